package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// A report written for this test, with the seed page's places and traps.
const tagFixture = `US Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in Moscow.
Kerry said a joint cell would sit in Amman, Jordan. Jabhat al-Nusra was not invited.
Explosions were reported in Safira, east of Aleppo, and in the Khalidiyah district of Aleppo city.
The truck attack in Nice in southern France was also discussed.`

type tagOutput struct {
	Mentions []geotag.Mention `json:"mentions"`
}

func runTagCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"tag"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), err
}

func TestTagPlain(t *testing.T) {
	out, err := runTagCmd(t, tagFixture)
	if err != nil {
		t.Fatal(err)
	}
	var res tagOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not {\"mentions\":[...]}: %v\n%s", err, out)
	}
	got := map[string]*geotag.Mention{}
	runes := []rune(tagFixture)
	for i := range res.Mentions {
		m := &res.Mentions[i]
		if string(runes[m.Start:m.End]) != m.Text {
			t.Errorf("offsets %d..%d do not give %q", m.Start, m.End, m.Text)
		}
		if _, seen := got[m.Text]; !seen {
			got[m.Text] = m
		}
	}
	want := map[string]string{ // text → country of the place
		"Moscow": "RU", "Amman": "JO", "Jordan": "JO", "Safira": "SY", "Aleppo": "SY",
		"Khalidiyah": "SY", "Nice": "FR", "France": "FR", "Russian": "RU", "US": "US",
	}
	for name, cc := range want {
		m := got[name]
		if m == nil || m.Place == nil || m.Place.Country != cc {
			t.Errorf("%s: got %+v, want a place in %s", name, m, cc)
		}
	}
	for _, not := range []string{"Kerry", "Lavrov", "Nusra", "al-Nusra", "Jabhat al-Nusra"} {
		if m := got[not]; m != nil {
			t.Errorf("%q tagged: %+v", not, m.Place)
		}
	}
	if got["Khalidiyah"] != nil && got["Khalidiyah"].Place != nil {
		if p := got["Khalidiyah"].Place; geotag.DistanceKm(p.Lat, p.Lon, 36.2, 37.16) > 15 {
			t.Errorf("Khalidiyah resolved to %s (%v,%v), not the Aleppo district", p.Name, p.Lat, p.Lon)
		}
	}
}

func TestTagEmptyInput(t *testing.T) {
	out, err := runTagCmd(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != `{"mentions":[],"lang":"en"}` {
		t.Errorf("empty input: %q", out)
	}
}

func TestTagInvalidUTF8(t *testing.T) {
	_, err := runTagCmd(t, "Aleppo \xff")
	if geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestTagBias(t *testing.T) {
	res := func(args ...string) string {
		out, err := runTagCmd(t, "A storm hit Moscow overnight.", args...)
		if err != nil {
			t.Fatal(err)
		}
		var r tagOutput
		json.Unmarshal([]byte(out), &r)
		if len(r.Mentions) != 1 || r.Mentions[0].Place == nil {
			t.Fatalf("mentions %s", out)
		}
		return r.Mentions[0].Place.Country
	}
	if cc := res(); cc != "RU" {
		t.Errorf("no bias: %s", cc)
	}
	if cc := res("--country", "us"); cc != "US" {
		t.Errorf("--country us: %s", cc)
	}
	if cc := res("--bbox", "-125,40,-110,50"); cc != "US" {
		t.Errorf("--bbox: %s", cc)
	}
	for _, bad := range [][]string{{"--country", "USA"}, {"--bbox", "1,2,3"}, {"--bbox", "0,10,5,0"}} {
		if _, err := runTagCmd(t, "Moscow", bad...); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%v: err %v, want EINVALID", bad, err)
		}
	}
}

func TestTagJSONL(t *testing.T) {
	var in strings.Builder
	n := 60
	for i := range n {
		switch {
		case i == 7:
			in.WriteString("not json\n")
		case i == 11:
			in.WriteString("\n") // blank lines are skipped
			fmt.Fprintf(&in, `{"id":%d,"text":%q}`+"\n", i, "Nothing here.")
		case i%2 == 0:
			fmt.Fprintf(&in, `{"id":"doc-%d","text":%q}`+"\n", i, fmt.Sprintf("Report %d from Amman, Jordan.", i))
		default:
			fmt.Fprintf(&in, `{"id":%d,"text":%q}`+"\n", i, "Shelling hit Aleppo again.")
		}
	}
	out, err := runTagCmd(t, in.String(), "--jsonl", "--workers", "3")
	if err == nil || !strings.Contains(err.Error(), "1 of 60 lines failed") {
		t.Errorf("err = %v, want one failed line", err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	i := 0
	for sc.Scan() {
		var line struct {
			ID       json.RawMessage  `json:"id"`
			Mentions []geotag.Mention `json:"mentions"`
			Error    string           `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, sc.Text())
		}
		if line.Mentions == nil {
			t.Errorf("line %d: no mentions array: %s", i, sc.Text())
		}
		switch {
		case i == 7:
			if line.Error == "" || string(line.ID) != "null" {
				t.Errorf("bad line: %s", sc.Text())
			}
		case i == 11:
			if string(line.ID) != "11" || len(line.Mentions) != 0 {
				t.Errorf("line 11: %s", sc.Text())
			}
		case i%2 == 0:
			if string(line.ID) != fmt.Sprintf(`"doc-%d"`, i) || len(line.Mentions) != 2 || line.Mentions[1].Text != "Jordan" {
				t.Errorf("line %d out of order or wrong: %s", i, sc.Text())
			}
		default:
			if string(line.ID) != fmt.Sprint(i) || len(line.Mentions) != 1 || line.Mentions[0].Text != "Aleppo" {
				t.Errorf("line %d out of order or wrong: %s", i, sc.Text())
			}
		}
		i++
	}
	if i != n {
		t.Errorf("%d output lines for %d input lines", i, n)
	}
}

func TestTagJSONLCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, w := io.Pipe()
	defer w.Close()
	err := Run(ctx, []string{"tag", "--jsonl"}, r, io.Discard, io.Discard)
	if err == nil {
		t.Error("cancelled run returned no error")
	}
}

func TestTagUsage(t *testing.T) {
	if _, err := runTagCmd(t, "", "extra-arg"); err == nil {
		t.Error("stray argument accepted")
	}
}

func TestTagLanguage(t *testing.T) {
	out, err := runTagCmd(t, "Уночі обстріляли Харків, вибухи чули й у Києві.")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Mentions []geotag.Mention `json:"mentions"`
		Lang     string           `json:"lang"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Lang != "uk" {
		t.Errorf("lang %q, want uk", res.Lang)
	}
	got := map[string]string{}
	for _, m := range res.Mentions {
		if m.Place != nil {
			got[m.Text] = m.Place.Country
		}
	}
	if got["Харків"] != "UA" || got["Києві"] != "UA" {
		t.Errorf("mentions %v", got)
	}
}
