package geotag

import (
	"encoding/json"
	"time"
)

// ReviseRule is the read-modify-write every store makes of a stored rule:
// it decodes the rule's JSON, lets fn change it, keeps its id, stamps it
// updated at now and returns it with its new JSON. It returns fn's error, or
// the decoding's.
func ReviseRule(old []byte, id string, fn func(*Rule) error, now time.Time) (Rule, []byte, error) {
	return reviseJSON(old, fn, func(r *Rule) { r.ID, r.Updated = id, now })
}

// ReviseDeskPlace is ReviseRule for a stored desk place.
func ReviseDeskPlace(old []byte, id int64, fn func(*DeskPlace) error, now time.Time) (DeskPlace, []byte, error) {
	return reviseJSON(old, fn, func(d *DeskPlace) { d.ID, d.Updated = id, now })
}

func reviseJSON[T any](old []byte, fn func(*T) error, stamp func(*T)) (T, []byte, error) {
	var t T
	if err := json.Unmarshal(old, &t); err != nil {
		return t, nil, err
	}
	if err := fn(&t); err != nil {
		return t, nil, err
	}
	stamp(&t)
	v, err := json.Marshal(t)
	return t, v, err
}
