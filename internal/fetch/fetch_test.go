package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func allowLoopback(t *testing.T) Allow {
	t.Helper()
	a, err := ParseAllow("127.0.0.0/8, ::1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBlocked(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":              "loopback",
		"::1":                    "loopback",
		"10.1.2.3":               "private",
		"172.16.0.1":             "private",
		"192.168.1.1":            "private",
		"fd00:ec2::254":          "private",
		"169.254.169.254":        "link-local or metadata",
		"fe80::1":                "link-local or metadata",
		"100.100.100.200":        "carrier-grade NAT",
		"0.0.0.0":                "unspecified",
		"::":                     "unspecified",
		"224.0.0.1":              "multicast",
		"ff02::1":                "multicast",
		"::ffff:127.0.0.1":       "loopback",
		"::ffff:169.254.169.254": "link-local or metadata",
		"64:ff9b::a00:1":         "private",
		"2002:7f00:1::":          "loopback",
		"255.255.255.255":        "broadcast",
		"8.8.8.8":                "",
		"2606:4700::1111":        "",
		"93.184.216.34":          "",
	} {
		if got := Blocked(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Blocked(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestRefusesLoopbackWithoutAllow(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") }))
	defer ts.Close()
	_, err := New(Options{}).Get(context.Background(), ts.URL, nil)
	if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("loopback fetch: %v, want a refusal naming loopback", err)
	}
	// "localhost" resolves to loopback: refused at connect time too.
	u := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	if _, err := New(Options{}).Get(context.Background(), u, nil); geotag.ErrorCode(err) != geotag.EUNPROCESSABLE {
		t.Fatalf("localhost fetch: %v, want refused", err)
	}
	// A listed host name is allowed.
	a, _ := ParseAllow("localhost")
	resp, err := New(Options{Allow: a}).Get(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := ReadAll(resp); string(b) != "secret" {
		t.Fatalf("body %q", b)
	}
}

func TestRedirectToPrivateRefused(t *testing.T) {
	// The allowed server redirects to the metadata address, then to a
	// loopback address outside the allowed network: each hop is checked.
	for _, target := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:1/", "file:///etc/passwd"} {
		ts := httptest.NewServer(http.RedirectHandler(target, http.StatusFound))
		a, _ := ParseAllow("127.0.0.1/32")
		_, err := New(Options{Allow: a, Timeout: 5 * time.Second}).Get(context.Background(), ts.URL, nil)
		ts.Close()
		if err == nil {
			t.Fatalf("redirect to %s followed", target)
		}
		t.Logf("%s: %v", target, err)
		if c := geotag.ErrorCode(err); c != geotag.EUNPROCESSABLE && c != geotag.EINVALID {
			t.Fatalf("redirect to %s: %v (code %s)", target, err, c)
		}
	}
}

func TestRedirectsCapped(t *testing.T) {
	n := 0
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		http.Redirect(w, r, ts.URL+"/again", http.StatusFound)
	}))
	defer ts.Close()
	_, err := New(Options{Allow: allowLoopback(t), MaxRedirects: 3}).Get(context.Background(), ts.URL, nil)
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Fatalf("endless redirects: %v", err)
	}
	if n != 4 {
		t.Fatalf("%d requests, want 4 (the first and 3 redirects)", n)
	}
}

func TestHugeBodyCut(t *testing.T) {
	chunk := strings.Repeat("x", 4096)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 1024 && r.Context().Err() == nil; i++ { // 4 MiB, no Content-Length
			io.WriteString(w, chunk)
		}
	}))
	defer ts.Close()
	resp, err := New(Options{Allow: allowLoopback(t), MaxBytes: 100 << 10}).Get(context.Background(), ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadAll(resp)
	if geotag.ErrorCode(err) != geotag.ETOOLARGE {
		t.Fatalf("read %d bytes, err %v; want ETOOLARGE", len(b), err)
	}
	// A declared length over the cap is refused before reading.
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		w.Write(make([]byte, 1000000))
	}))
	defer big.Close()
	if _, err := New(Options{Allow: allowLoopback(t), MaxBytes: 1000}).Get(context.Background(), big.URL, nil); geotag.ErrorCode(err) != geotag.ETOOLARGE {
		t.Fatalf("declared length: %v", err)
	}
	// Exactly the cap is fine.
	exact := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 1000)) }))
	defer exact.Close()
	resp, err = New(Options{Allow: allowLoopback(t), MaxBytes: 1000}).Get(context.Background(), exact.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := ReadAll(resp); err != nil || len(b) != 1000 {
		t.Fatalf("%d bytes, %v", len(b), err)
	}
}

func TestSlowServerTimedOut(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)
	_, err := New(Options{Allow: allowLoopback(t), HeaderTimeout: 200 * time.Millisecond}).Get(context.Background(), ts.URL, nil)
	if geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || !strings.Contains(err.Error(), "in time") {
		t.Fatalf("slow headers: %v", err)
	}
	// So is a request whose context's deadline passes.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := New(Options{Allow: allowLoopback(t)}).Get(ctx, ts.URL, nil); geotag.ErrorCode(err) != geotag.EUNPROCESSABLE || !strings.Contains(err.Error(), "in time") {
		t.Fatalf("context deadline: %v", err)
	}
	// A body that trickles is cut by the overall timeout.
	trickle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}))
	defer trickle.Close()
	resp, err := New(Options{Allow: allowLoopback(t), Timeout: 300 * time.Millisecond}).Get(context.Background(), trickle.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAll(resp); err == nil {
		t.Fatal("a trickling body was read to its end")
	}
}

func TestNoCredentialsSent(t *testing.T) {
	var got http.Header
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer ts.Close()
	c := New(Options{Allow: allowLoopback(t)})
	h := http.Header{"Authorization": {"Bearer gt_x"}, "Cookie": {"a=b"}}
	resp, err := c.Get(context.Background(), ts.URL, h)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.Get("Authorization") != "" || got.Get("Cookie") != "" {
		t.Fatalf("credentials forwarded: %v", got)
	}
	if !strings.HasPrefix(got.Get("User-Agent"), "geotag/") {
		t.Fatalf("User-Agent %q", got.Get("User-Agent"))
	}
	for _, u := range []string{"ftp://example.org/", "http://user:pw@127.0.0.1/", "/relative", "gopher://x"} {
		if _, err := c.Get(context.Background(), u, nil); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%s: %v, want EINVALID", u, err)
		}
	}
}

func TestParseAllow(t *testing.T) {
	a, err := ParseAllow(" localhost, 10.0.0.0/8 ,::1, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if a.String() != "localhost,10.0.0.0/8,::1/128,127.0.0.1/32" {
		t.Fatalf("%s", a)
	}
	if a.check("10.9.9.9:80") != nil || a.check("[::1]:80") != nil || a.check("192.168.0.1:80") == nil {
		t.Fatal("allow list not applied")
	}
	if _, err := ParseAllow("exa mple"); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Fatalf("%v", err)
	}
}

func FuzzParseAllow(f *testing.F) {
	f.Add("localhost,10.0.0.0/8,::1")
	f.Add("::ffff:127.0.0.1/104,1.2.3.4")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAllow(s)
		if err != nil {
			return
		}
		b, err := ParseAllow(a.String())
		if err != nil || b.String() != a.String() {
			t.Fatalf("%q → %q → %q, %v", s, a, b, err)
		}
	})
}
