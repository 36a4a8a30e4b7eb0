package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"

	"github.com/geotag/geotag"
	bolt "go.etcd.io/bbolt"
)

// Incidents live in three buckets, made by the first incident written:
//
//	incidents             ID → the incident as JSON
//	ix_incident_time      time key of its figures' time, ID → nil (newest-first listing)
//	ix_report_incident    report ID → incident ID (a report is one incident's source at most)
var (
	bucketIncidents      = []byte("incidents")
	bucketIncidentTime   = []byte("ix_incident_time")
	bucketReportIncident = []byte("ix_report_incident")
)

// maxIncidentRecord bounds one incident's JSON.
const maxIncidentRecord = 1 << 20

var _ geotag.IncidentService = (*DB)(nil)

// CreateIncident stores a new incident (geotag.IncidentService).
func (db *DB) CreateIncident(ctx context.Context, inc *geotag.Incident) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := inc.Validate(); err != nil {
		return err
	}
	now := db.now().UTC()
	id := db.ids.next(now).String()
	var stored *geotag.Incident
	err := db.write(func(tx *bolt.Tx) error {
		c := inc.Clone()
		c.ID, c.Created, c.Updated, c.Version = id, now, now, 1
		if err := linkSources(tx, c.ID, nil, c.Sources); err != nil {
			return err
		}
		stored = c
		return putIncident(tx, nil, c)
	})
	if err != nil {
		return err
	}
	*inc = *stored
	return nil
}

// FindIncidentByID returns ENOTFOUND for an unknown id.
func (db *DB) FindIncidentByID(ctx context.Context, id string) (*geotag.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var inc *geotag.Incident
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		inc, err = getIncident(tx, id)
		return err
	})
	return inc, err
}

// UpdateIncident loads, changes with fn and stores an incident in one
// transaction (geotag.IncidentService). fn may run more than once (batched
// writes), each time on a fresh copy.
func (db *DB) UpdateIncident(ctx context.Context, id string, fn func(*geotag.Incident) error) (*geotag.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var stored *geotag.Incident
	err := db.write(func(tx *bolt.Tx) error {
		old, err := getIncident(tx, id)
		if err != nil {
			return err
		}
		c, err := old.Revise(fn, db.now().UTC())
		if err != nil {
			return err
		}
		if err := linkSources(tx, c.ID, old.Sources, c.Sources); err != nil {
			return err
		}
		stored = c
		return putIncident(tx, old, c)
	})
	return stored, err
}

// DeleteIncident deletes an incident and frees its sources.
func (db *DB) DeleteIncident(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.write(func(tx *bolt.Tx) error {
		old, err := getIncident(tx, id)
		if err != nil {
			return err
		}
		if err := linkSources(tx, id, old.Sources, nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketIncidentTime).Delete(incidentTimeKey(old)); err != nil {
			return err
		}
		return tx.Bucket(bucketIncidents).Delete([]byte(id))
	})
}

// IncidentOf returns the incident a report is a source of, "" for none.
func (db *DB) IncidentOf(ctx context.Context, reportID string) (string, error) {
	var id string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketReportIncident); b != nil {
			id = string(b.Get([]byte(reportID)))
		}
		return nil
	})
	return id, err
}

// FindIncidents walks the incident time index newest first within f's
// time window, decoding each incident to check the rest of f
// (geotag.IncidentService). The cursor is the time key of the last
// incident of the page.
func (db *DB) FindIncidents(ctx context.Context, f geotag.ReportFilter) (geotag.IncidentPage, error) {
	var page geotag.IncidentPage
	if err := geotag.CheckIncidentFilter(f); err != nil {
		return page, err
	}
	if f.Limit < 0 {
		return page, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must not be negative")
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	limit = min(limit, 10000)
	var lo, hi []byte
	if f.From != nil {
		lo = appendTimeKey(nil, *f.From)
	}
	if f.To != nil {
		hi = appendTimeKey(nil, *f.To)
	}
	if f.Cursor != "" {
		k, err := base64.RawURLEncoding.DecodeString(f.Cursor)
		if err != nil || len(k) < 12 {
			return page, geotag.FieldErrorf(geotag.EINVALID, "cursor", "malformed cursor")
		}
		if hi == nil || bytes.Compare(k, hi) < 0 {
			hi = k
		}
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ix, recs := tx.Bucket(bucketIncidentTime), tx.Bucket(bucketIncidents)
		if ix == nil {
			return nil
		}
		c := ix.Cursor()
		k, _ := c.Last()
		if hi != nil {
			if k, _ = c.Seek(hi); k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
		}
		for n := 0; k != nil && (lo == nil || bytes.Compare(k, lo) >= 0); k, _ = c.Prev() {
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			inc, err := decodeIncident(recs.Get(k[12:]))
			if err != nil {
				return err
			}
			if !inc.Matches(f) {
				continue
			}
			if len(page.Incidents) == limit {
				page.Next = base64.RawURLEncoding.EncodeToString(incidentTimeKey(page.Incidents[limit-1]))
				return nil
			}
			page.Incidents = append(page.Incidents, inc)
		}
		return nil
	})
	return page, err
}

// linkSources moves the report-to-incident index from the old sources to
// the new: ENOTFOUND for an added report that is not stored, ECONFLICT for
// one that is another incident's source.
func linkSources(tx *bolt.Tx, id string, old, sources []string) error {
	b, err := tx.CreateBucketIfNotExists(bucketReportIncident)
	if err != nil {
		return err
	}
	for _, r := range old {
		if !slices.Contains(sources, r) {
			if err := b.Delete([]byte(r)); err != nil {
				return err
			}
		}
	}
	reports := tx.Bucket(bucketReports)
	for _, r := range sources {
		if slices.Contains(old, r) {
			continue
		}
		if other := b.Get([]byte(r)); other != nil && string(other) != id {
			return geotag.FieldErrorf(geotag.ECONFLICT, "report_ids", "report %s is a source of incident %s already; unlink it there first", r, other)
		}
		key, ok := parseID(r)
		if !ok || reports.Get(key[:]) == nil {
			return geotag.FieldErrorf(geotag.ENOTFOUND, "report_ids", "report %q not found", r)
		}
		if err := b.Put([]byte(r), []byte(id)); err != nil {
			return err
		}
	}
	return nil
}

// putIncident writes c and moves its time key from old's (nil: new).
func putIncident(tx *bolt.Tx, old, c *geotag.Incident) error {
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if len(v) > maxIncidentRecord {
		return geotag.Errorf(geotag.ETOOLARGE, "incident %s is over %d bytes", c.ID, maxIncidentRecord)
	}
	recs, err := tx.CreateBucketIfNotExists(bucketIncidents)
	if err != nil {
		return err
	}
	ix, err := tx.CreateBucketIfNotExists(bucketIncidentTime)
	if err != nil {
		return err
	}
	if old != nil {
		if err := ix.Delete(incidentTimeKey(old)); err != nil {
			return err
		}
	}
	if err := ix.Put(incidentTimeKey(c), nil); err != nil {
		return err
	}
	return recs.Put([]byte(c.ID), v)
}

func getIncident(tx *bolt.Tx, id string) (*geotag.Incident, error) {
	var v []byte
	if b := tx.Bucket(bucketIncidents); b != nil && id != "" {
		v = b.Get([]byte(id))
	}
	if v == nil {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	return decodeIncident(v)
}

func decodeIncident(v []byte) (*geotag.Incident, error) {
	if v == nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "store: the incident time index points to a missing incident")
	}
	var inc geotag.Incident
	if err := json.Unmarshal(v, &inc); err != nil {
		return nil, geotag.Errorf(geotag.EINTERNAL, "store: decoding an incident: %v", err)
	}
	return &inc, nil
}

// incidentTimeKey is an incident's key in ix_incident_time: its figures'
// time, then its ID.
func incidentTimeKey(inc *geotag.Incident) []byte {
	return append(appendTimeKey(nil, inc.Figures.Time), inc.ID...)
}
