package geotag_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/geotag/geotag"
)

func ExampleDistinctKeys() {
	fmt.Println(geotag.DistinctKeys([]string{" Shelling", "shelling ", "", "Aleppo", "  "}, geotag.TagKey))
	// Output: [shelling aleppo]
}

func TestPlaceIDs(t *testing.T) {
	place := func(id int64) geotag.Mention { return geotag.Mention{Place: &geotag.Place{ID: id}} }
	if got := (&geotag.Report{}).PlaceIDs(); got == nil || len(got) != 0 {
		t.Errorf("PlaceIDs of a report without places = %#v, want an empty non-nil slice", got)
	}
	r := &geotag.Report{
		Mentions: []geotag.Mention{place(7), {}, place(3), place(7)},
		Location: &geotag.Location{PlaceID: 3},
	}
	if got := r.PlaceIDs(); !slices.Equal(got, []int64{7, 3}) {
		t.Errorf("PlaceIDs = %v, want [7 3]", got)
	}
	r.Location = &geotag.Location{PlaceID: 9}
	if got := r.PlaceIDs(); !slices.Equal(got, []int64{7, 3, 9}) {
		t.Errorf("PlaceIDs = %v, want [7 3 9]", got)
	}
	// Past the few compared directly, a set: every id once, in order.
	r = &geotag.Report{}
	var want []int64
	for i := range 100 {
		id := int64(i%40 + 1)
		r.Mentions = append(r.Mentions, place(id))
		if i < 40 {
			want = append(want, id)
		}
	}
	if got := r.PlaceIDs(); !slices.Equal(got, want) {
		t.Errorf("PlaceIDs of 100 mentions of 40 places = %v", got)
	}
}

func TestActorNames(t *testing.T) {
	r := &geotag.Report{}
	for i := range 3 {
		r.Actors = append(r.Actors, geotag.Actor{Name: "group " + strconv.Itoa(i)})
	}
	if got := r.ActorNames(); !slices.Equal(got, []string{"group 0", "group 1", "group 2"}) {
		t.Errorf("ActorNames = %v", got)
	}
}
