package geotag_test

import (
	"testing"

	"github.com/geotag/geotag"
)

// TestIncidentLimits: zero limits are the defaults; each is refused
// outside its range, naming its flag; Check refuses too many sources and
// too long a title.
func TestIncidentLimits(t *testing.T) {
	if err := (geotag.IncidentLimits{}).Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	if d := (geotag.IncidentLimits{}).OrDefault(); d.MaxSources != 200 || d.MaxPage != 1000 || d.MaxSameEvent != 20 || d.SameEventReads != 100 {
		t.Errorf("defaults %+v", d)
	}
	for flag, l := range map[string]geotag.IncidentLimits{
		"max-incident-sources":   {MaxSources: geotag.MaxIncidentSources + 1},
		"max-incident-title":     {MaxTitle: -1},
		"max-incident-revisions": {MaxRevisions: 1},
		"max-incident-page":      {MaxPage: geotag.MaxIncidentPage + 1},
		"max-same-event":         {MaxSameEvent: 1001},
		"same-event-reads":       {SameEventReads: -5},
	} {
		if err := l.Validate(); err == nil || err.Error()[:len(flag)] != flag {
			t.Errorf("%+v: %v, want an error about %s", l, err, flag)
		}
	}
	l := geotag.IncidentLimits{MaxSources: 2, MaxTitle: 5}
	if err := l.Check(&geotag.Incident{Sources: []string{"a", "b", "c"}}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("3 sources over 2: %v", err)
	}
	if err := l.Check(&geotag.Incident{Title: "Strike!", Sources: []string{"a"}}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("a 7-byte title over 5: %v", err)
	}
	if err := l.Check(&geotag.Incident{Title: "Raid", Sources: []string{"a", "b"}}); err != nil {
		t.Errorf("within the limits: %v", err)
	}
}
