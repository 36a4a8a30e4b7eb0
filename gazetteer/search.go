package gazetteer

import "github.com/geotag/geotag"

// Search returns places for a partial or misspelled name. (Filled in below.)
func (g *Gazetteer) Search(q geotag.PlaceQuery) []geotag.Candidate { return nil }
