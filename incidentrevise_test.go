package geotag_test

import (
	"errors"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

func TestIncidentRevise(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	old := &geotag.Incident{ID: "i1", Created: t0, Updated: t0, Version: 3, Title: "Strike", Sources: []string{"a", "b"}}
	now := t0.Add(time.Hour)
	c, err := old.Revise(func(c *geotag.Incident) error {
		c.Title, c.ID, c.Version = "Strike on the market", "other", 99
		c.Sources[0] = "z"
		return nil
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "i1" || !c.Created.Equal(t0) || !c.Updated.Equal(now) || c.Version != 4 || c.Title != "Strike on the market" {
		t.Errorf("revised %+v", c)
	}
	if old.Sources[0] != "a" || old.Title != "Strike" {
		t.Errorf("old changed: %+v", old)
	}
	stop := errors.New("no")
	if _, err := old.Revise(func(*geotag.Incident) error { return stop }, now); !errors.Is(err, stop) {
		t.Errorf("fn's error: %v", err)
	}
	if _, err := old.Revise(func(c *geotag.Incident) error { c.Sources = nil; return nil }, now); err == nil {
		t.Error("an incident without sources passed Validate")
	}
}
