package geotag_test

import (
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestViewValidate(t *testing.T) {
	ok := []geotag.View{
		{Name: "a"},
		{Name: "a", Webhook: &geotag.Webhook{URL: "https://h.example/x", Secret: strings.Repeat("s", geotag.MaxWebhookSecret)}},
	}
	for _, v := range ok {
		if err := v.Validate(); err != nil {
			t.Errorf("%+v: %v", v, err)
		}
	}
	bad := map[string]geotag.View{
		"name":           {Name: "  "},
		"name ":          {Name: strings.Repeat("é", geotag.MaxViewNameRunes+1)},
		"query":          {Name: "a", Query: strings.Repeat("q", geotag.MaxViewQueryBytes+1)},
		"webhook.url":    {Name: "a", Webhook: &geotag.Webhook{URL: "javascript:alert(1)"}},
		"webhook.url ":   {Name: "a", Webhook: &geotag.Webhook{URL: "https://user:pw@h.example/"}},
		"webhook.secret": {Name: "a", Webhook: &geotag.Webhook{URL: "https://h.example/", Secret: strings.Repeat("s", geotag.MaxWebhookSecret+1)}},
	}
	for field, v := range bad {
		err := v.Validate()
		if geotag.ErrorCode(err) != geotag.EINVALID || geotag.ErrorField(err) != strings.TrimSpace(field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestWebhookPending(t *testing.T) {
	since := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	w := geotag.Webhook{Since: since}
	before := &geotag.Report{ID: "01A", Created: since.Add(-time.Second)}
	at := &geotag.Report{ID: "01B", Created: since}
	if w.Pending(before) || !w.Pending(at) {
		t.Error("before any delivery: reports from Since on are pending")
	}
	w.After = "01B"
	if w.Pending(at) || !w.Pending(&geotag.Report{ID: "01C", Created: since.Add(-time.Hour)}) {
		t.Error("after a delivery: the reports with a greater ID are pending")
	}
}
