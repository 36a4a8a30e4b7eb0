package geotag_test

import (
	"math"
	"testing"

	"github.com/geotag/geotag"
)

func TestParseBBox(t *testing.T) {
	tests := []struct {
		in      string
		want    geotag.BBox
		wantErr bool
	}{
		{in: "35,32,42,37.5", want: geotag.BBox{W: 35, S: 32, E: 42, N: 37.5}},
		{in: " -180, -90 ,180,90", want: geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
		{in: "170,-20,-170,-10", want: geotag.BBox{W: 170, S: -20, E: -170, N: -10}}, // across the antimeridian
		{in: "", wantErr: true},
		{in: "1,2,3", wantErr: true},
		{in: "1,2,3,4,5", wantErr: true},
		{in: "a,2,3,4", wantErr: true},
		{in: "NaN,2,3,4", wantErr: true},
		{in: "1,2,Inf,4", wantErr: true},
		{in: "-181,0,10,10", wantErr: true},
		{in: "0,-91,10,10", wantErr: true},
		{in: "0,10,10,5", wantErr: true}, // south above north
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := geotag.ParseBBox(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseBBox(%q)=%v, want an error", tt.in, got)
				} else if code := geotag.ErrorCode(err); code != geotag.EINVALID {
					t.Fatalf("code=%q, want %q", code, geotag.EINVALID)
				} else if field := geotag.ErrorField(err); field != "bbox" {
					t.Fatalf("field=%q, want bbox", field)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBBox(%q): %v", tt.in, err)
			} else if got != tt.want {
				t.Fatalf("ParseBBox(%q)=%v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestBBoxContains(t *testing.T) {
	syria := geotag.BBox{W: 35.5, S: 32.3, E: 42.4, N: 37.4}
	fiji := geotag.BBox{W: 176, S: -21, E: -178, N: -12}
	tests := []struct {
		box      geotag.BBox
		lat, lon float64
		want     bool
	}{
		{syria, 36.2, 37.16, true},   // Aleppo
		{syria, 31.95, 35.93, false}, // Amman
		{syria, 32.3, 35.5, true},    // corner
		{fiji, -18, 179, true},       // west of the antimeridian
		{fiji, -18, -179, true},      // east of it
		{fiji, -18, 170, false},      // outside
		{fiji, -30, 179, false},      // south of it
	}
	for _, tt := range tests {
		if got := tt.box.Contains(tt.lat, tt.lon); got != tt.want {
			t.Errorf("%v.Contains(%v,%v)=%v, want %v", tt.box, tt.lat, tt.lon, got, tt.want)
		}
	}
}

func TestBBoxString(t *testing.T) {
	b := geotag.BBox{W: -1.5, S: 2, E: 3.25, N: 4}
	if got, want := b.String(), "-1.5,2,3.25,4"; got != want {
		t.Fatalf("String()=%q, want %q", got, want)
	}
	back, err := geotag.ParseBBox(b.String())
	if err != nil || back != b {
		t.Fatalf("round trip: %v, %v", back, err)
	}
}

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"35,32,42,37.5", "170,-20,-170,-10", "", "NaN,0,0,0", "1e400,0,0,0", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := geotag.ParseBBox(s)
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Fatalf("ParseBBox(%q) error code %q", s, geotag.ErrorCode(err))
			}
			return
		}
		for _, x := range []float64{b.W, b.S, b.E, b.N} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("ParseBBox(%q) accepted %v", s, b)
			}
		}
		if b.S > b.N || b.W < -180 || b.E > 180 {
			t.Fatalf("ParseBBox(%q) accepted %v", s, b)
		}
	})
}

func TestLatLonValidate(t *testing.T) {
	for _, p := range []geotag.LatLon{{Lat: 91}, {Lat: -91}, {Lon: 181}, {Lon: -180.5}, {Lat: math.NaN()}, {Lon: math.Inf(1)}} {
		if err := p.Validate(); geotag.ErrorCode(err) != geotag.EINVALID {
			t.Errorf("%v.Validate()=%v, want EINVALID", p, err)
		}
	}
	if err := (geotag.LatLon{Lat: 36.2, Lon: 37.16}).Validate(); err != nil {
		t.Errorf("Aleppo: %v", err)
	}
}

func TestParseTagOptions(t *testing.T) {
	opt, err := geotag.ParseTagOptions(" sy, JO ,", "35,32,43,38")
	if err != nil {
		t.Fatal(err)
	} else if got := opt.Countries; len(got) != 2 || got[0] != "SY" || got[1] != "JO" {
		t.Fatalf("Countries=%v, want [SY JO]", got)
	} else if opt.BBox == nil || *opt.BBox != (geotag.BBox{W: 35, S: 32, E: 43, N: 38}) {
		t.Fatalf("BBox=%v", opt.BBox)
	}
	if opt, err := geotag.ParseTagOptions("", ""); err != nil || opt.Countries != nil || opt.BBox != nil {
		t.Fatalf("empty: %+v, %v", opt, err)
	}
	for _, tt := range []struct{ countries, bbox, field string }{
		{"Syria", "", "country"}, {"S1", "", "country"}, {"SYR", "", "country"}, {"", "1,2,3", "bbox"},
	} {
		if _, err := geotag.ParseTagOptions(tt.countries, tt.bbox); geotag.ErrorCode(err) != geotag.EINVALID || geotag.ErrorField(err) != tt.field {
			t.Errorf("ParseTagOptions(%q, %q) = %v, want EINVALID on %s", tt.countries, tt.bbox, err, tt.field)
		}
	}
}
