package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brChromiumPath is Debian's chromium; GEOTAG_CHROMIUM overrides it.
func brChromiumPath() string {
	if p := os.Getenv("GEOTAG_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// brBrowser is one headless chromium tab for a test, with the page's
// uncaught exceptions collected.
type brBrowser struct {
	t    *testing.T
	ctx  context.Context
	mu   sync.Mutex
	errs []string
	csp  []string // Content-Security-Policy violations the console reported
}

// brNewBrowser starts headless chromium with no access to the internet:
// every host but the loopback fails to resolve and every request but
// loopback ones goes to a closed proxy port. A missing chromium fails the
// test: the browser tests are part of the suite, never skipped.
func brNewBrowser(t *testing.T) *brBrowser {
	t.Helper()
	path := brChromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("chromium is needed for the browser tests (apt-get install -y chromium, or set GEOTAG_CHROMIUM): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}
	b := &brBrowser{t: t, ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch {
			case m.Type == chromedp.ConsoleException:
				b.mu.Lock()
				b.errs = append(b.errs, m.Text)
				b.mu.Unlock()
			case strings.Contains(m.Text, "Content Security Policy"):
				b.mu.Lock()
				b.csp = append(b.csp, m.Text)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// cspViolations returns the policy violations the console reported.
func (b *brBrowser) cspViolations() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.csp...)
}

// exceptions returns the page's uncaught exceptions so far.
func (b *brBrowser) exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// do runs actions with a time limit.
func (b *brBrowser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page exceptions: %v)", what, err, b.exceptions())
	}
}

// click clicks the element sel, retrying while the page re-renders it
// (the panels redraw themselves after each answer of the API).
func (b *brBrowser) click(what, sel string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 35*time.Second)
		err := chromedp.Do(ctx, chromedp.Click(sel))
		cancel()
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "Could not find node") || time.Now().After(deadline) {
			b.screenshot("failed-" + what)
			b.t.Fatalf("%s: %v (page exceptions: %v)", what, err, b.exceptions())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// brEvalJS evaluates a JavaScript expression (awaiting a promise) into T.
func brEvalJS[T any](b *brBrowser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v (page exceptions: %v)", expr, err, b.exceptions())
	}
	return v
}

// waitJS waits until the expression is truthy. Errors from a page that
// is still navigating (no execution context yet) are retried.
func (b *brBrowser) waitJS(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(35 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 40*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond),
			chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		if err == nil {
			return
		}
		msg := err.Error()
		transient := strings.Contains(msg, "context with specified id") || strings.Contains(msg, "navigated") ||
			strings.Contains(msg, "Execution context was destroyed")
		if !transient || time.Now().After(deadline) {
			b.screenshot("failed-" + what)
			b.t.Fatalf("waiting for %s (%s): %v (page exceptions: %v)", what, expr, err, b.exceptions())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// popupShown waits for an open popup that has finished fading in.
func (b *brBrowser) popupShown() {
	b.t.Helper()
	b.waitJS("the popup", `(() => { const p = document.querySelector(".leaflet-popup"); return p !== null && p.querySelector(".popup") !== null && getComputedStyle(p).opacity === "1"; })()`)
}

// brScreenshotDir is where the browser tests leave screenshots of the main
// states of the page: test-artifacts/screenshots at the module root, or
// GEOTAG_SCREENSHOTS.
func brScreenshotDir() string {
	if d := os.Getenv("GEOTAG_SCREENSHOTS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "test-artifacts", "screenshots")
}

// screenshot saves the viewport as NAME.png; failing to save is logged,
// not fatal.
func (b *brBrowser) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := brScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot dir: %v", err)
		return
	}
	file := filepath.Join(dir, brSanitize(b.t.Name())+"-"+brSanitize(name)+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func brSanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// brJsString quotes s as a JavaScript string literal.
func brJsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprint("jsString: ", err))
	}
	return string(b)
}

// brOpenSeeded starts a service (with args), stores the three reports of
// seed (brSeed, brSeedTags), opens the map on them and waits until it
// holds all three.
func brOpenSeeded(t *testing.T, seed func(t *testing.T, base, token string) map[string]string, args ...string) (b *brBrowser, base, token string) {
	t.Helper()
	base, token = startService(t, args...)
	seed(t, base, token)
	b = brNewBrowser(t)
	b.do("open the map", chromedp.Navigate(base+"/?c=38,20&z=4#token="+token))
	b.waitJS("three markers", `window.geotag && window.geotag.ready && window.geotag.reports().length === 3`)
	return b, base, token
}
