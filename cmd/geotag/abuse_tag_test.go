package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag/geo/newstext"
)

// procCPU returns the CPU time process pid has used (Linux), for logs.
func procCPU(t testing.TB, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatalf("CPU time of the service: %v", err)
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks (100 a second).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// hostileTagTexts are texts of about n bytes made to cost a tagger more
// than linear work or to multiply its output (geo's own tests use the
// fixture gazetteer; these run against the bundled one).
func hostileTagTexts(n int) []struct{ name, text string } {
	r := rand.New(rand.NewPCG(5, 6))
	var distinct strings.Builder
	for distinct.Len() < n {
		fmt.Fprintf(&distinct, "in %c%s, ", 'A'+r.IntN(26), []byte{"aeiou"[r.IntN(5)], "bdklmnrst"[r.IntN(9)], "aeiou"[r.IntN(5)]})
	}
	return []struct{ name, text string }{
		{"news", newstext.Doc(9, n)},
		{"Al- run", strings.Repeat("Al-", n/3)},
		{"Al run", strings.Repeat("Al ", n/3)},
		{"one place name", strings.Repeat("Aleppo, ", n/8)},
		{"a list of places", strings.Repeat("in Paris and Tripoli, ", n/22)},
		{"distinct names", distinct.String()},
		{"capitalised run", strings.Repeat("Foo Bar Baz ", n/12)},
		{"Cyrillic", strings.Repeat("Москва ", n/13)},
		{"Arabic", strings.Repeat("حلب ", n/7)},
		{"real names", realPlaceNames(r, n)},
		{"hyphen chain", strings.Repeat("Aleppo-Idlib-", n/13)},
		{"apostrophes", "A" + strings.Repeat("'b", n/2)},
		{"long words", strings.Repeat("Ab"+strings.Repeat("cdefghij", 128)+" ", max(1, n/1027))},
	}
}

// realPlaceNames writes about n bytes of place names in a random order, as
// a list ("in Port Salem, in Richmond, "): names that many places of the
// world bear (up to the tagger's 40 candidates each), alone or after a
// word that makes another real name, about a thousand distinct ones.
func realPlaceNames(r *rand.Rand, n int) string {
	bases := strings.Fields(`Springfield Richmond Salem Franklin Clinton Madison Georgetown Arlington
		Greenville Fairview Bristol Kingston Manchester Newport Oxford Jackson Marion Chester Milton
		Ashland Burlington Dover Hamilton Lebanon Jordan Tripoli Alexandria Athens Troy Florence Vienna
		Berlin Moscow Cairo Lima Toledo Valencia Cordoba Victoria Santiago Aurora Columbia Jericho
		Bethlehem Hebron Nazareth Goshen Sparta Carthage Memphis Delhi Canton Warsaw Dublin Paris London
		Belfast Perth Windsor Cambridge Plymouth Portland Lancaster York Durham Mansfield Auburn Bedford
		Clayton Dayton Frankfort Glasgow Hanover Kent Lexington Lincoln Monroe Newark Norfolk Orange
		Quincy Rochester Sheffield Stratford Trenton Union Waterloo Williamsburg Avon Bath Berea Camden`)
	before := []string{"", "", "New ", "North ", "South ", "East ", "West ", "Port ", "Fort ", "Mount ", "Lake "}
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "in %s%s, ", before[r.IntN(len(before))], bases[r.IntN(len(bases))])
	}
	return b.String()
}

// TestAbuseTagging: POST /api/v1/tag needs no token. Texts of about 1 MB
// (the body limit) made of hostile patterns are answered 200 with at most
// max_mentions (5,000) mentions within max_tag_response (8 MiB), saying
// "truncated" when they hold more; eight such requests at once leave the
// service's memory bounded and the service responsive. Before: "Al-"
// repeated took 18 s for 1 MB (quadratic), and 931 KB of place names gave
// 150,000 mentions, 160 MB of JSON (eight at once: 6 GB). The CPU time of
// each text beside news of the same size is logged.
func TestAbuseTagging(t *testing.T) {
	if testing.Short() {
		t.Skip("tags megabytes of hostile text on the real service")
	}
	ch := startChild(t, filepath.Join(t.TempDir(), "data"), "--rate-ip", "-1", "--rate-token", "-1")
	pid := ch.cmd.Process.Pid
	client := &http.Client{Timeout: 2 * time.Minute} // a guard against a hang, not a measure
	post := func(t *testing.T, text string) (int, []byte) {
		body, _ := json.Marshal(map[string]string{"text": text})
		resp, err := client.Post(ch.base+"/api/v1/tag", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("POST /api/v1/tag (%d bytes): %v", len(text), err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b
	}
	check := func(t *testing.T, name string, code int, b []byte) {
		t.Helper()
		var got struct {
			Mentions  []json.RawMessage `json:"mentions"`
			Truncated *bool             `json:"truncated"`
		}
		if code != http.StatusOK {
			t.Fatalf("%s: %d %.300s", name, code, b)
		}
		if len(b) > 8<<20 {
			t.Errorf("%s: an answer of %d MiB", name, len(b)>>20)
		}
		if err := json.Unmarshal(b, &got); err != nil || got.Truncated == nil {
			t.Fatalf("%s: not a tag answer with truncated (%v): %.300s", name, err, b)
		}
		if len(got.Mentions) > 5000 || len(got.Mentions) == 5000 && !*got.Truncated {
			t.Errorf("%s: %d mentions, truncated %v", name, len(got.Mentions), *got.Truncated)
		}
	}

	texts := hostileTagTexts(1_000_000)
	var news time.Duration
	for _, h := range texts {
		t.Run(h.name, func(t *testing.T) {
			cpu := procCPU(t, pid)
			code, b := post(t, h.text)
			used := procCPU(t, pid) - cpu
			check(t, h.name, code, b)
			if h.name == "news" {
				news = max(used, 10*time.Millisecond)
			}
			t.Logf("%d bytes: %v of service CPU (%.1f× news), %d KiB answer", len(h.text), used, float64(used)/float64(news), len(b)>>10)
		})
	}

	t.Run("eight at once", func(t *testing.T) {
		texts := texts[1:]
		before := anonRSS(t, pid)
		peakRSS := watchPeakRSS(t, pid)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := texts[i%len(texts)]
				code, b := post(t, h.text)
				check(t, h.name, code, b)
			}()
		}
		wg.Wait()
		peak := peakRSS()
		t.Logf("anonymous RSS %d MiB before, %d MiB peak", before>>20, peak>>20)
		if peak-before > 512<<20 {
			t.Errorf("eight 1 MB tag requests grew the service's memory by %d MiB", (peak-before)>>20)
		}
		responsive(t, ch.base)
	})
}

// TestAbuseTagDegraded: POST /api/v1/tag on the real service says
// "degraded" (the resolution budget was reached) for 10 KB of distinct
// made-up names, which many places bear, and for a thousand real names
// that many places bear; never for generated news of the same size.
// Before, every candidate of every name was scored with the whole of the
// evidence (5–7× the CPU time of the news a byte) and nothing was said.
func TestAbuseTagDegraded(t *testing.T) {
	ch := startChild(t, filepath.Join(t.TempDir(), "data"), "--rate-ip", "-1", "--rate-token", "-1")
	want := map[string]bool{"news": false, "distinct names": true, "real names": true}
	for _, h := range hostileTagTexts(10_000) {
		degraded, ok := want[h.name]
		if !ok {
			continue
		}
		body, _ := json.Marshal(map[string]string{"text": h.text})
		resp, err := http.Post(ch.base+"/api/v1/tag", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Mentions []json.RawMessage `json:"mentions"`
			Degraded *string           `json:"degraded"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", h.name, resp.StatusCode, err)
		}
		if len(got.Mentions) == 0 || (got.Degraded != nil && *got.Degraded != "") != degraded {
			t.Errorf("%s: %d mentions, degraded %v; want degraded %v", h.name, len(got.Mentions), got.Degraded, degraded)
		} else if degraded {
			t.Logf("%s: %s", h.name, *got.Degraded)
		}
	}
}
