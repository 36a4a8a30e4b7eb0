package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// fill sets every exported field reachable from v to a distinct non-zero
// value: two elements per slice, a value behind every pointer.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)) + "é\x00" + string(rune(0x4e00+*n)))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * -7)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(v.Index(i), n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2020+*n%10, 3, 4, 5, 6, 7, *n, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	default:
		panic("codec_test: add a case for " + v.Type().String())
	}
}

// filledReport returns a report with every exported field set (fill).
func filledReport() geotag.Report {
	var r geotag.Report
	n := 0
	fill(reflect.ValueOf(&r).Elem(), &n)
	return r
}

// TestCodecRoundTrip fails when a field is added to a root type without
// being added to the record codec.
func TestCodecRoundTrip(t *testing.T) {
	full := filledReport()
	id := newIDGen().next(time.Now())
	full.ID = id.String()

	for _, tt := range []struct {
		name string
		r    *geotag.Report
	}{
		{"Full", &full},
		{"Zero", &geotag.Report{ID: id.String()}},
		{"EmptySlices", &geotag.Report{ID: id.String(), Tags: []string{}, Mentions: []geotag.Mention{}, History: []geotag.Revision{}}},
		{"BeforeUnixEpoch", &geotag.Report{ID: id.String(), Time: time.Date(1914, 6, 28, 10, 50, 0, 1, time.UTC)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := encodeReport(nil, tt.r)
			got, err := decodeReport(id[:], rec)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.r) {
				t.Fatalf("round trip lost data:\n got %+v\nwant %+v\n(a field added to a root type must be added to store/codec.go)", got, tt.r)
			}
			// Truncated records are corrupt, never a panic or a partial report.
			for i := 0; i < len(rec); i++ {
				if _, err := decodeReport(id[:], rec[:i]); err == nil {
					t.Fatalf("truncated at %d of %d: no error", i, len(rec))
				}
			}
		})
	}
}

func FuzzDecodeReport(f *testing.F) {
	full := filledReport()
	f.Add(encodeReport(nil, &full))
	f.Add(encodeReport(nil, &geotag.Report{Title: "x"}))
	key := make([]byte, idLen)
	f.Fuzz(func(t *testing.T, rec []byte) {
		r, err := decodeReport(key, rec)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to a record that decodes and
		// re-encodes to itself.
		once := encodeReport(nil, r)
		r2, err := decodeReport(key, once)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if twice := encodeReport(nil, r2); string(twice) != string(once) {
			t.Fatalf("re-encoding is not stable")
		}
	})
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		{},
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 1; i < len(times); i++ {
		a, b := appendTimeKey(nil, times[i-1]), appendTimeKey(nil, times[i])
		if string(a) >= string(b) {
			t.Errorf("key(%v) >= key(%v)", times[i-1], times[i])
		}
		if got := timeFromKey(b); !got.Equal(times[i]) {
			t.Errorf("timeFromKey=%v, want %v", got, times[i])
		}
	}
}

func BenchmarkDecodeReport(b *testing.B) {
	full := filledReport()
	full.History = nil
	rec := encodeReport(nil, &full)
	key := make([]byte, idLen)
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for i := 0; i < b.N; i++ {
		if _, err := decodeReport(key, rec); err != nil {
			b.Fatal(err)
		}
	}
}

// v3Record is r's record as version 3 wrote it: less the section version
// 4 appends.
func v3Record(r *geotag.Report) []byte {
	return encodeReportAs(nil, r, 3)
}

// TestCodecVersion3 decodes a record written before version 4 added the
// title's mentions and the locations' whys: none, the rest intact.
func TestCodecVersion3(t *testing.T) {
	full := filledReport()
	id := newIDGen().next(time.Now())
	full.ID = id.String()
	if full.TitleMentions == nil || full.Location.Why == "" || full.History[0].AfterLocation.Why == "" {
		t.Fatal("the filled report has no version 4 fields")
	}
	withoutV4(&full)
	rec := v3Record(&full)
	got, err := decodeReport(id[:], rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &full) {
		t.Fatalf("version 3 record:\n got %+v\nwant %+v", got, &full)
	}
	var sc featureScratch
	if _, err := sc.appendFeature(nil, id[:], rec); err != nil {
		t.Errorf("a version 3 record is no feature: %v", err)
	}
}

// TestCodecVersion1 decodes a record written before version 2 added a text
// edit's fields to each revision, and before version 3 added the event:
// they come back nil or zero, the rest intact.
func TestCodecVersion1(t *testing.T) {
	full := filledReport()
	id := newIDGen().next(time.Now())
	full.ID = id.String()
	rv := full.History[0]
	rv.BeforeText, rv.BeforeMentions, rv.Carried, rv.Dropped = nil, nil, nil, nil
	rv.BeforeEvent, rv.AfterEvent = nil, nil
	rv.SplitFrom, rv.SplitInto = "", nil
	full.History = nil
	full.Event = geotag.Event{}
	withoutV4(&full, &rv)

	rec := encodeReportAs(nil, &full, 1)
	var ev encoder
	ev.event(&full.Event)
	if rec[len(rec)-1] != 0 {
		t.Fatal("a nil history does not end the record")
	}
	e := encoder{b: rec[:len(rec)-1-len(ev.b)], version: 1} // less the event and the nil history
	e.b[0] = 1
	e.length(1, false)
	e.time(rv.At)
	e.str(rv.By)
	e.str(rv.Action)
	e.varint(int64(rv.Mention))
	e.optMention(rv.Before)
	e.optMention(rv.After)
	e.location(rv.BeforeLocation)
	e.location(rv.AfterLocation)

	got, err := decodeReport(id[:], e.b)
	if err != nil {
		t.Fatal(err)
	}
	full.History = []geotag.Revision{rv}
	if !reflect.DeepEqual(got, &full) {
		t.Fatalf("version 1 record:\n got %+v\nwant %+v", got, &full)
	}
	var sc featureScratch
	if _, err := sc.appendFeature(nil, id[:], e.b); err != nil {
		t.Errorf("a version 1 record is no feature: %v", err)
	}
	e.b[0] = recordVersion + 1
	if _, err := decodeReport(id[:], e.b); err == nil {
		t.Error("an unknown version decodes")
	}
}

// TestCodecVersion2 decodes a record written before version 3 added the
// event to reports and revisions: a zero Event, nil revision events.
func TestCodecVersion2(t *testing.T) {
	full := filledReport()
	id := newIDGen().next(time.Now())
	full.ID = id.String()
	rv := full.History[0]
	rv.BeforeEvent, rv.AfterEvent = nil, nil
	rv.SplitFrom, rv.SplitInto = "", nil
	full.History = nil
	full.Event = geotag.Event{}
	withoutV4(&full, &rv)

	rec := encodeReportAs(nil, &full, 2)
	var ev encoder
	ev.event(&full.Event)
	e := encoder{b: rec[:len(rec)-1-len(ev.b)], version: 2}
	e.b[0] = 2
	e.length(1, false)
	e.time(rv.At)
	e.str(rv.By)
	e.str(rv.Action)
	e.varint(int64(rv.Mention))
	e.optMention(rv.Before)
	e.optMention(rv.After)
	e.location(rv.BeforeLocation)
	e.location(rv.AfterLocation)
	e.boolean(true)
	e.str(*rv.BeforeText)
	e.length(len(rv.BeforeMentions), false)
	for i := range rv.BeforeMentions {
		e.mention(&rv.BeforeMentions[i])
	}
	e.carries(rv.Carried)
	e.carries(rv.Dropped)

	got, err := decodeReport(id[:], e.b)
	if err != nil {
		t.Fatal(err)
	}
	full.History = []geotag.Revision{rv}
	if !reflect.DeepEqual(got, &full) {
		t.Fatalf("version 2 record:\n got %+v\nwant %+v", got, &full)
	}
	var sc featureScratch
	if _, err := sc.appendFeature(nil, id[:], e.b); err != nil {
		t.Errorf("a version 2 record is no feature: %v", err)
	}
}

// withoutV4 clears what version 4 added from r, its history and rvs: the
// title's mentions, the locations' whys, the mentions' desk rules, the
// revisions' split links and bulk ids.
func withoutV4(r *geotag.Report, rvs ...*geotag.Revision) {
	r.TitleMentions = nil
	forEachLocation(r, func(l *geotag.Location) { l.Why = "" })
	noRules(r.Mentions)
	for i := range r.History {
		rvs = append(rvs, &r.History[i])
	}
	for _, rv := range rvs {
		for _, l := range []*geotag.Location{rv.BeforeLocation, rv.AfterLocation} {
			if l != nil {
				c := *l
				c.Why = ""
				*l = c
			}
		}
		for _, m := range []*geotag.Mention{rv.Before, rv.After} {
			if m != nil {
				m.Rule = nil
			}
		}
		noRules(rv.BeforeMentions)
		rv.SplitFrom, rv.SplitInto, rv.Bulk = "", nil, ""
	}
}

func noRules(ms []geotag.Mention) {
	for i := range ms {
		ms[i].Rule = nil
	}
}
