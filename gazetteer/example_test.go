package gazetteer_test

import (
	"fmt"
	"log"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
)

func ExampleGazetteer_Lookup() {
	g, err := gazetteer.Open()
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range g.Lookup(geotag.NameKey("al-Hasakah"))[:2] {
		fmt.Println(p.ID, p.Name, p.Feature, p.Country)
	}
	// Walk up the hierarchy from a city district.
	for _, p := range g.Lookup(geotag.NameKey("Khalidiyah")) {
		if p.ParentID == 170063 {
			for id := p.ID; id != 0; {
				q, _ := g.Place(id)
				fmt.Println(q.Name, q.Feature)
				id = q.ParentID
			}
		}
	}
	// Output:
	// 173811 Al Ḩasakah P.PPLA SY
	// 173813 Al-Hasakah A.ADM1 SY
	// Khalidiyah P.PPLX
	// Aleppo P.PPLA
	// Aleppo A.ADM1
	// Syria A.PCLI
}

func ExampleGazetteer_Search() {
	g, err := gazetteer.Open()
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range g.Search(geotag.PlaceQuery{Text: "Alepo", Limit: 2}) {
		fmt.Println(c.ID, c.Label())
	}
	// Output:
	// 170063 Aleppo, Syria
	// 170062 Aleppo, Syria
}

func ExampleGazetteer_Alias() {
	g, err := gazetteer.Open()
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range []string{"Syrians", "U.S.", "W.Va."} {
		p, kind, _ := g.Alias(geotag.NameKey(s))
		fmt.Println(s, kind, p.Name)
	}
	// Output:
	// Syrians demonym Syria
	// U.S. abbreviation United States
	// W.Va. abbreviation West Virginia
}
