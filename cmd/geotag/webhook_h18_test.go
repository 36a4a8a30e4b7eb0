package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/geotag/geotag/webhook"
)

// TestWebhookEndToEnd saves a view with a webhook on the real service and
// checks that its receiver gets the view's new report once, signed, and
// never a report outside the view.
func TestWebhookEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var got []string // report IDs received with a valid signature
	bad := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify("hook-secret", body, r.Header.Get(webhook.SignatureHeader)) {
			bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var fc struct{ Features []struct{ ID string } }
		json.Unmarshal(body, &fc)
		for _, f := range fc.Features {
			got = append(got, f.ID)
		}
	}))
	defer rcv.Close()

	base, token := startService(t, append(feedFlags, "--webhook-interval", "100ms")...)
	code, b, _ := apiDo(t, "POST", base+"/api/v1/views", token,
		`{"name":"alerts","query":"tag=alert","webhook":{"url":"`+rcv.URL+`/hook","secret":"hook-secret","enabled":true}}`)
	if code != http.StatusCreated {
		t.Fatalf("POST view: %d %s", code, b)
	}
	var view struct{ ID string }
	json.Unmarshal(b, &view)
	code, b, _ = apiDo(t, "POST", base+"/api/v1/reports", token, `{"title":"Other","text":"Nothing to watch.","tags":["other"]}`)
	if code != http.StatusCreated {
		t.Fatalf("POST report: %d %s", code, b)
	}
	code, b, _ = apiDo(t, "POST", base+"/api/v1/reports", token, `{"title":"Alert","text":"Shelling in Aleppo.","tags":["alert"]}`)
	if code != http.StatusCreated {
		t.Fatalf("POST report: %d %s", code, b)
	}
	var rep, rep2 struct{ ID string }
	json.Unmarshal(b, &rep)

	var log struct {
		Deliveries []struct {
			ViewID  string `json:"view_id"`
			Reports []string
			State   string
		}
	}
	waitFor(t, "a delivered webhook", func() bool {
		_, b, _ := apiDo(t, "GET", base+"/api/v1/webhooks/deliveries?state=delivered", token, "")
		return json.Unmarshal(b, &log) == nil && len(log.Deliveries) > 0
	})
	waitFor(t, "the view's cursor", func() bool {
		_, b, _ := apiDo(t, "GET", base+"/api/v1/views/"+view.ID, token, "")
		return strings.Contains(string(b), `"after":"`+rep.ID+`"`)
	})
	// The next matching report is the next notice's only one: the rounds
	// between sent the first one no more.
	code, b, _ = apiDo(t, "POST", base+"/api/v1/reports", token, `{"title":"Alert again","text":"Shelling in Homs.","tags":["alert"]}`)
	if code != http.StatusCreated {
		t.Fatalf("POST report: %d %s", code, b)
	}
	json.Unmarshal(b, &rep2)
	waitFor(t, "a second delivered webhook", func() bool {
		_, b, _ := apiDo(t, "GET", base+"/api/v1/webhooks/deliveries?state=delivered", token, "")
		return json.Unmarshal(b, &log) == nil && len(log.Deliveries) > 1
	})
	_, b, _ = apiDo(t, "GET", base+"/api/v1/webhooks/deliveries", token, "")
	json.Unmarshal(b, &log)
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != rep.ID+" "+rep2.ID || bad != 0 {
		t.Errorf("the receiver got %v (%d badly signed), want %s then %s", got, bad, rep.ID, rep2.ID)
	}
	if len(log.Deliveries) != 2 || log.Deliveries[0].ViewID != view.ID || strings.Join(log.Deliveries[0].Reports, " ") != rep2.ID || strings.Join(log.Deliveries[1].Reports, " ") != rep.ID {
		t.Errorf("delivery log %+v, want the deliveries of %s then %s for view %s", log.Deliveries, rep.ID, rep2.ID, view.ID)
	}
}
