package geotag

import (
	"encoding/json"
	"time"
)

// Clone returns a deep copy of inc, made through its JSON as the stores
// keep it.
func (inc *Incident) Clone() *Incident {
	v, err := json.Marshal(inc)
	if err != nil {
		panic(err) // an Incident always encodes
	}
	var c Incident
	if err := json.Unmarshal(v, &c); err != nil {
		panic(err)
	}
	return &c
}

// Revise returns old changed by fn as every store writes an update: fn
// changes a deep copy, which must then Validate, and keeps old's ID and
// creation time, is updated at now and is one version on. It returns fn's
// error or Validate's; old is not changed.
func (old *Incident) Revise(fn func(*Incident) error, now time.Time) (*Incident, error) {
	c := old.Clone()
	if err := fn(c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.ID, c.Created, c.Updated, c.Version = old.ID, old.Created, now, old.Version+1
	return c, nil
}
