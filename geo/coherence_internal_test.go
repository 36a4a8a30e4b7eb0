package geo

import (
	"testing"

	"github.com/geotag/geotag"
)

// Fixture places written for this test (points rounded from public atlases).
func coherencePlace(id int64, name, feature, cc, admin1 string, lat, lon float64) geotag.Place {
	return geotag.Place{ID: id, Name: name, Feature: feature, Country: cc, Admin1Code: admin1, Lat: lat, Lon: lon}
}

func coherenceGroup(key string, places []geotag.Place, scores ...float64) *group {
	return &group{key: key, places: places, score: scores, boost: make([]float64, len(places))}
}

// cohere runs the coherence phase on groups, with their related names.
func cohere(groups ...*group) {
	(&Tagger{}).scoreCoherence(groups, newDocContext(groups).related)
}

func TestScoreCoherence(t *testing.T) {
	paris := coherenceGroup("paris", []geotag.Place{
		coherencePlace(1, "Paris", "P.PPLC", "FR", "11", 48.85, 2.35),
		coherencePlace(2, "Paris", "P.PPLA2", "US", "TN", 36.30, -88.33),
		coherencePlace(3, "Paris", "P.PPLA2", "US", "TX", 33.66, -95.56),
	}, 8, 4, 4)
	county := coherenceGroup("henry county", []geotag.Place{
		coherencePlace(11, "Henry County", "A.ADM2", "US", "AL", 31.51, -85.24),
		coherencePlace(12, "Henry County", "A.ADM2", "US", "TN", 36.33, -88.30),
	}, 3, 3)
	cohere(paris, county)
	if paris.score[0] != 8 || paris.score[2] != 4 {
		t.Errorf("Paris, France and Paris, Texas lie next to no Henry County, yet their scores moved: %v", paris.score)
	}
	if paris.score[1] <= 4+wPair/2 {
		t.Errorf("Paris, Tennessee beside Henry County, Tennessee gained too little: %v", paris.score)
	}
	if county.score[1] <= county.score[0] {
		t.Errorf("Henry County, Tennessee beside Paris, Tennessee did not win: %v", county.score)
	}

	// A name with a reading next to both candidates splits its support.
	spring := coherenceGroup("springfield", []geotag.Place{
		coherencePlace(21, "Springfield", "P.PPLA", "US", "IL", 39.80, -89.64),
		coherencePlace(22, "Springfield", "P.PPLA2", "US", "MO", 37.21, -93.29),
	}, 5, 5)
	wash := coherenceGroup("washington", []geotag.Place{
		coherencePlace(31, "Washington", "P.PPL", "US", "IL", 39.80, -89.64),
		coherencePlace(32, "Washington", "P.PPL", "US", "MO", 37.21, -93.29),
	}, 5, 5)
	cohere(spring, wash)
	if spring.score[0] != spring.score[1] || spring.score[0] > 5+wPair/2 {
		t.Errorf("a namesake next to every reading should split its support evenly: %v", spring.score)
	}

	// Names nested in one another are no evidence for each other.
	dublin := coherenceGroup("dublin", []geotag.Place{
		coherencePlace(41, "Dublin", "P.PPLC", "IE", "L", 53.35, -6.26),
		coherencePlace(42, "Dublin", "P.PPL", "US", "OH", 40.10, -83.11),
	}, 8, 4)
	city := coherenceGroup("dublin city", []geotag.Place{
		coherencePlace(43, "Dublin City", "A.ADM2", "US", "OH", 40.10, -83.11),
		coherencePlace(44, "Dublin City", "A.ADM2", "IE", "L", 53.30, -6.20),
	}, 4, 4)
	cohere(dublin, city)
	if dublin.score[0] != 8 || dublin.score[1] != 4 {
		t.Errorf("nested names moved each other's scores: %v", dublin.score)
	}
}
