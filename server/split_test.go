package server

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Splitting a daily summary: each selected part becomes a report with
// the summary's source, time and tags, tagged anew, with a split revision
// naming the summary; the summary keeps the rest, with an edit and a split
// revision naming the new reports. Bad parts are 400, an old If-Match 412,
// a read-only token is refused.
func TestSplitReport(t *testing.T) {
	e := newEnv(t)
	text := "Daily summary. Shelling hit Khalidiyah in Aleppo on Monday. Refugees reached Amman, Jordan. A rally was held in Nice."
	r := e.create(t, `{"title":"Summary","text":"`+text+`","source":"https://news.example/daily","time":"2024-03-01","tags":["daily"]}`)
	cp := func(s string) int { return utf8.RuneCountInString(text[:strings.Index(text, s)]) }
	first := "Shelling hit Khalidiyah in Aleppo on Monday."
	second := "A rally was held in Nice."
	body := `{"parts":[{"start":` + itoa(cp(first)) + `,"end":` + itoa(cp(first)+len(first)) + `},{"start":` + itoa(cp(second)) + `,"end":` + itoa(cp(second)+len(second)) + `}]}`
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/split", body, "token", `If-Match: "old"`); w.Code != http.StatusPreconditionFailed {
		t.Errorf("old If-Match: %d", w.Code)
	}
	w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/split", body, "token")
	if w.Code != http.StatusOK {
		t.Fatalf("split: %d %s", w.Code, w.Body)
	}
	ans := decode[splitAnswer](t, w)
	if len(ans.New) != 2 || ans.New[0].Text != first || ans.New[1].Text != second {
		t.Fatalf("new reports %+v", ans.New)
	}
	for i, n := range ans.New {
		if n.Source != r.Source || !n.Time.Equal(r.Time) || n.TimePrecision != "day" || len(n.Tags) != 1 || n.Status != geotag.StatusUnreviewed ||
			!strings.HasSuffix(n.Title, "(part "+itoa(i+1)+")") {
			t.Errorf("new report %d: %+v", i, n)
		}
		if len(n.Mentions) == 0 {
			t.Errorf("new report %d is not tagged", i)
		}
		h := n.History
		if len(h) != 2 || h[0].Action != "create" || h[1].Action != geotag.ActionSplit || h[1].SplitFrom != r.ID {
			t.Errorf("new report %d history %+v", i, h)
		}
	}
	o := ans.Report
	if o.Text != "Daily summary.\n\nRefugees reached Amman, Jordan." {
		t.Errorf("rest %q", o.Text)
	}
	last := o.History[len(o.History)-1]
	if last.Action != geotag.ActionSplit || len(last.SplitInto) != 2 || last.SplitInto[0] != ans.New[0].ID || o.History[len(o.History)-2].Action != geotag.ActionEdit {
		t.Errorf("original history %+v", o.History)
	}
	for _, m := range o.Mentions {
		if m.Text == "Aleppo" || m.Text == "Nice" {
			t.Errorf("the rest still names %s", m.Text)
		}
	}
	for _, b := range []string{`{"parts":[]}`, `{"parts":[{"start":5,"end":2}]}`, `{"parts":[{"start":0,"end":9999}]}`,
		`{"parts":[{"start":0,"end":` + itoa(utf8.RuneCountInString(o.Text)) + `}]}`, `{"parts":[{"start":0,"end":5},{"start":3,"end":8}]}`} {
		if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/split", b, "token"); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", b, w.Code)
		}
	}
	if n := len(e.reports.matching(geotag.ReportFilter{})); n != 3 {
		t.Errorf("%d reports stored, want 3 (refused splits store nothing)", n)
	}
	if w := e.do(t, "POST", "/api/v1/reports/"+r.ID+"/split", body, "Authorization: Bearer "+readerToken); w.Code != http.StatusForbidden {
		t.Errorf("read-only token: %d", w.Code)
	}
}
