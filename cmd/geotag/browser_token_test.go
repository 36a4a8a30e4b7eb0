package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// brIssueToken creates a token through the API with the admin token and
// returns its secret.
func brIssueToken(t *testing.T, base, admin, name string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", strings.NewReader(`{"name":`+brJsString(name)+`}`))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated || out.Token == "" {
		t.Fatalf("issue token %s: %d %v", name, res.StatusCode, err)
	}
	return out.Token
}

// A login link whose token differs from the one stored asks first: it
// names who the link signs in as and who is signed in now, keeps the
// stored token when told to (or when the link's token is refused), and
// switches only on the user's word. A browser without a token takes a link
// at once, and the token never stays in the address bar.
func TestBrowserTokenLinkAsks(t *testing.T) {
	base, admin := startService(t)
	analyst := brIssueToken(t, base, admin, "analyst <b>desk</b>")
	b := brNewBrowser(t)
	const stored = `localStorage.getItem("geotag.token")`
	const asked = `window.geotag && window.geotag.ready && !document.getElementById("token-link").hidden`

	b.do("open the admin's link", chromedp.Navigate(base+"/#token="+admin))
	b.waitJS("the page", `window.geotag && window.geotag.ready`)
	if got := brEvalJS[string](b, stored); got != admin {
		t.Fatalf("a fresh browser did not take the link's token: %q", got)
	}
	if brEvalJS[bool](b, `!document.getElementById("token-link").hidden`) || strings.Contains(brEvalJS[string](b, `location.href`), "token") {
		t.Errorf("asked without a stored token, or the token stayed in the address bar")
	}

	// Another token's link: asked, nothing replaced until answered.
	b.do("open the analyst's link", chromedp.Navigate(base+"/?x=1#token="+analyst))
	b.waitJS("the question", asked)
	who := brEvalJS[string](b, `document.getElementById("token-link-who").textContent`)
	now := brEvalJS[string](b, `document.getElementById("token-link-current").textContent`)
	if !strings.Contains(who, "analyst <b>desk</b>") || !strings.Contains(who, "read and write") || !strings.Contains(now, "admin") {
		t.Errorf("the question: %q / %q", who, now)
	}
	if brEvalJS[int](b, `document.querySelectorAll("#token-link b").length`) != 0 {
		t.Errorf("the token's name became markup")
	}
	if got := brEvalJS[string](b, stored); got != admin || strings.Contains(brEvalJS[string](b, `location.href`), "token") {
		t.Errorf("before an answer: stored %q, address %q", got, brEvalJS[string](b, `location.href`))
	}
	b.screenshot("token-link-question")
	b.click("keep", `#token-link-keep`)
	b.waitJS("the question closed", `document.getElementById("token-link").hidden`)
	if got := brEvalJS[string](b, stored); got != admin {
		t.Errorf("kept, yet the stored token is %q", got)
	}

	// Again, and switch.
	b.do("open the analyst's link again", chromedp.Navigate(base+"/?x=2#token="+analyst))
	b.waitJS("the question", asked)
	b.click("switch", `#token-link-use`)
	b.waitJS("switched", stored+` === `+brJsString(analyst))
	b.waitJS("the sign-in tab", `document.getElementById("tab-token").textContent.includes("analyst")`)

	// A token the service refuses cannot be chosen.
	b.do("open a bad link", chromedp.Navigate(base+"/?x=3#token=gt_not_a_token"))
	b.waitJS("the question", asked)
	if !brEvalJS[bool](b, `document.getElementById("token-link-use").hidden`) ||
		!strings.Contains(brEvalJS[string](b, `document.getElementById("token-link-who").textContent`), "not accept") {
		t.Errorf("a refused token was offered")
	}
	b.click("keep", `#token-link-keep`)
	if got := brEvalJS[string](b, stored); got != analyst {
		t.Errorf("after a bad link: stored %q", got)
	}
	if ex := b.exceptions(); len(ex) > 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}
