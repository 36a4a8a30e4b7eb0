package geotag_test

import (
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestViewRecordKeepsTheSecret(t *testing.T) {
	v := &geotag.View{ID: "v1", Name: "Aleppo", Query: "bbox=36,35,38,37",
		Webhook: &geotag.Webhook{URL: "https://example.org/hook", Secret: "s3cret"}}
	b, err := geotag.EncodeView(v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"webhook_secret":"s3cret"`) {
		t.Errorf("stored %s without the secret", b)
	}
	got, err := geotag.DecodeView(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Webhook == nil || got.Webhook.Secret != "s3cret" || !got.Webhook.SecretSet || got.Name != "Aleppo" {
		t.Errorf("decoded %+v / %+v", got, got.Webhook)
	}
	v.Webhook = nil
	b, _ = geotag.EncodeView(v)
	if got, err := geotag.DecodeView(b); err != nil || got.Webhook != nil || strings.Contains(string(b), "webhook_secret") {
		t.Errorf("a view without a webhook: %s → %+v, %v", b, got, err)
	}
}
