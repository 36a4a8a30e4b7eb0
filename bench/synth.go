package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/geotag/geotag"
)

// Synthetic reports spread like real conflict reporting: most fall around a
// few dozen hotspots (weighted, Gaussian around each), a few anywhere on
// land-ish latitudes; event times cover five years; each has one to four
// mentions with gazetteer-like places and alternatives, tags and a text of
// a few hundred bytes. The same seed gives the same reports.

type hotspot struct {
	name     string
	lat, lon float64
	sigma    float64 // spread in degrees
	weight   float64
	country  string
}

var hotspots = []hotspot{
	{"Aleppo", 36.20, 37.16, 0.3, 6, "SY"}, {"Idlib", 35.93, 36.63, 0.25, 5, "SY"},
	{"Damascus", 33.51, 36.29, 0.3, 4, "SY"}, {"Homs", 34.73, 36.71, 0.2, 2, "SY"},
	{"Raqqa", 35.95, 39.01, 0.3, 2, "SY"}, {"Deir ez-Zor", 35.33, 40.14, 0.4, 2, "SY"},
	{"Mosul", 36.34, 43.13, 0.3, 3, "IQ"}, {"Baghdad", 33.31, 44.36, 0.3, 2, "IQ"},
	{"Kyiv", 50.45, 30.52, 0.4, 5, "UA"}, {"Kharkiv", 49.99, 36.23, 0.4, 6, "UA"},
	{"Donetsk", 48.02, 37.80, 0.5, 8, "UA"}, {"Bakhmut", 48.59, 38.00, 0.2, 5, "UA"},
	{"Zaporizhzhia", 47.84, 35.14, 0.5, 4, "UA"}, {"Kherson", 46.64, 32.61, 0.4, 4, "UA"},
	{"Gaza", 31.50, 34.47, 0.08, 8, "PS"}, {"Khan Younis", 31.35, 34.31, 0.05, 4, "PS"},
	{"Beirut", 33.89, 35.50, 0.2, 2, "LB"}, {"Sanaa", 15.37, 44.19, 0.4, 3, "YE"},
	{"Hodeidah", 14.80, 42.95, 0.3, 2, "YE"}, {"Khartoum", 15.50, 32.56, 0.3, 5, "SD"},
	{"El Fasher", 13.63, 25.35, 0.4, 3, "SD"}, {"Mogadishu", 2.05, 45.32, 0.3, 2, "SO"},
	{"Tripoli", 32.89, 13.19, 0.3, 1, "LY"}, {"Kabul", 34.53, 69.17, 0.3, 2, "AF"},
	{"Goma", -1.68, 29.22, 0.4, 3, "CD"}, {"Bamako", 12.64, -8.00, 0.8, 1, "ML"},
	{"Maiduguri", 11.85, 13.16, 0.6, 2, "NG"}, {"Myitkyina", 25.38, 97.40, 0.8, 1, "MM"},
	{"Port-au-Prince", 18.59, -72.31, 0.1, 2, "HT"}, {"Mekelle", 13.50, 39.47, 0.5, 1, "ET"},
	{"Suva", -18.14, 178.44, 0.5, 0.3, "FJ"}, {"Caracas", 10.48, -66.90, 0.3, 0.7, "VE"},
}

var (
	synthWords = strings.Fields(`the a forces shelling reported near town village city residents said
		army attack drone strike civilians killed wounded hospital road bridge checkpoint clashes between
		fighters district north south east west of in on after overnight morning local officials according
		to sources displaced families aid convoy reached market destroyed power water supply cut front line`)
	synthTags = []string{"shelling", "airstrike", "drone", "protest", "displacement", "aid", "ceasefire", "casualties"}
)

// placesPerHotspot is how many distinct gazetteer places each hotspot has.
const placesPerHotspot = 40

type synth struct {
	rnd   *rand.Rand
	ev    *rand.Rand // events' own stream: the other fields stay as before events were made
	cum   []float64
	start time.Time
	span  time.Duration
	n     int
	total int // reports to make in event-time order; 0 for random times
	text  strings.Builder
}

func newSynth(seed uint64) *synth {
	s := &synth{rnd: rand.New(rand.NewPCG(seed, 0x5eed)), ev: rand.New(rand.NewPCG(seed, 0xe7e7)),
		start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), span: 5 * 365 * 24 * time.Hour}
	total := 0.0
	for _, h := range hotspots {
		total += h.weight
	}
	acc := 0.0
	for _, h := range hotspots {
		acc += h.weight / total
		s.cum = append(s.cum, acc)
	}
	return s
}

func (s *synth) hotspot() int {
	x := s.rnd.Float64()
	for i, c := range s.cum {
		if x <= c {
			return i
		}
	}
	return len(s.cum) - 1
}

// placeID is the synthetic geonameid of place k of hotspot h.
func placeID(h, k int) int64 { return int64(1000000 + h*1000 + k) }

// place returns place k of hotspot h: a fixed point near the hotspot.
func place(h, k int) geotag.Place {
	hs := hotspots[h]
	// A deterministic spread of the places around the hotspot.
	a := float64(k) * 2.399963 // golden angle
	r := hs.sigma * math.Sqrt(float64(k)/placesPerHotspot) * 1.5
	name := hs.name
	if k > 0 {
		name = fmt.Sprintf("%s-%d", hs.name, k)
	}
	return geotag.Place{ID: placeID(h, k), Name: name, Lat: hs.lat + r*math.Sin(a), Lon: wrapLon(hs.lon + r*math.Cos(a)),
		Country: hs.country, CountryName: hs.country, Admin1: hs.name + " Governorate", Admin1Code: "01",
		Feature: "P.PPL", Population: int64(1000 * (placesPerHotspot - k))}
}

func wrapLon(lon float64) float64 {
	for lon > 180 {
		lon -= 360
	}
	for lon < -180 {
		lon += 360
	}
	return lon
}

// report returns the next synthetic report.
func (s *synth) report() *geotag.Report {
	s.n++
	h := s.hotspot()
	r := &geotag.Report{
		ExternalID: fmt.Sprintf("synth:%d", s.n),
		Source:     fmt.Sprintf("https://news.example.org/%d/%d", s.rnd.IntN(1000), s.n),
	}
	if s.total > 0 {
		// Arriving as news does: in event order, give or take two days.
		at := time.Duration(float64(s.span) * float64(s.n) / float64(s.total))
		at += time.Duration(s.rnd.NormFloat64() * float64(48*time.Hour))
		r.Time = s.start.Add(max(0, min(at, s.span-1))).Truncate(time.Second)
	} else {
		r.Time = s.start.Add(time.Duration(s.rnd.Int64N(int64(s.span)))).Truncate(time.Second)
	}
	if s.rnd.IntN(5) == 0 {
		r.Status = geotag.StatusReviewed
	}
	for i := s.rnd.IntN(3); i > 0; i-- {
		r.Tags = append(r.Tags, synthTags[s.rnd.IntN(len(synthTags))])
	}
	s.text.Reset()
	nm := 1 + s.rnd.IntN(4)
	main := -1
	for i := 0; i < nm; i++ {
		k := int(math.Abs(s.rnd.NormFloat64()) * placesPerHotspot / 3)
		k = min(k, placesPerHotspot-1)
		p := place(h, k)
		alts := []geotag.Candidate{{Place: place((h+1)%len(hotspots), k), Score: 0.1}, {Place: place((h+2)%len(hotspots), k), Score: 0.05}}
		for w := 8 + s.rnd.IntN(20); w > 0; w-- {
			s.text.WriteString(synthWords[s.rnd.IntN(len(synthWords))])
			s.text.WriteByte(' ')
		}
		start := len([]rune(s.text.String()))
		s.text.WriteString(p.Name)
		s.text.WriteString(". ")
		r.Mentions = append(r.Mentions, geotag.Mention{Start: start, End: start + len([]rune(p.Name)), Text: p.Name,
			Kind: geotag.KindPlace, Confidence: 0.85, Precision: 1, Place: &p, Alternatives: alts})
		if main < 0 {
			main = i
		}
	}
	r.Text = s.text.String()
	r.Title = strings.TrimSpace(r.Text[:min(len(r.Text), 70)])
	if s.rnd.IntN(20) == 0 { // background noise anywhere
		r.Location = &geotag.Location{Lat: s.rnd.Float64()*120 - 55, Lon: s.rnd.Float64()*360 - 180, Precision: 3,
			Mention: -1, Provenance: geotag.Provenance{Method: geotag.MethodManual, By: "analyst", At: r.Time}}
	} else {
		p := r.Mentions[main].Place
		hs := hotspots[h]
		r.Location = &geotag.Location{Lat: p.Lat + s.rnd.NormFloat64()*hs.sigma/10, Lon: wrapLon(p.Lon + s.rnd.NormFloat64()*hs.sigma/10),
			Precision: 1, Name: p.Name, PlaceID: p.ID, Mention: main,
			Provenance: geotag.Provenance{Method: geotag.MethodAuto, Tagger: "geotag synth", At: r.Time}}
	}
	r.Event = s.event()
	return r
}

// synthEventWeights is how often each ACLED event type is coded (in
// geotag.EventTypes order), out of 100; the rest (30) is uncoded.
var synthEventWeights = [...]int{21, 25, 10, 8, 4, 2}

// event codes seven reports in ten: a type by synthEventWeights, and for
// six in ten of those a death count (none in four of ten, else mostly
// small, sometimes large).
func (s *synth) event() geotag.Event {
	x := s.ev.IntN(100)
	for i, w := range synthEventWeights {
		if x < w {
			e := geotag.Event{EventType: geotag.EventTypes[i].Name}
			if s.ev.IntN(10) < 6 {
				f := 0
				if s.ev.IntN(10) >= 4 {
					f = int(math.Exp(s.ev.Float64() * 5)) // 1…148, log-uniform
				}
				e.Fatalities = &f
			}
			return e
		}
		x -= w
	}
	return geotag.Event{}
}
