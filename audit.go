package geotag

import (
	"context"
	"encoding/json"
	"time"
)

// Audit kinds: what an audit entry is about.
const (
	AuditRule      = "rule"
	AuditDeskPlace = "desk_place"
)

// AuditEntry records one change to a desk rule or desk place: who, when,
// what (Action "create", "update" or "delete") and the thing before and
// after it (JSON; absent before a create and after a delete).
type AuditEntry struct {
	Seq    uint64          `json:"seq"` // increasing; the cursor of the next page
	At     time.Time       `json:"at"`
	By     string          `json:"by,omitempty"`
	Kind   string          `json:"kind"`
	ID     string          `json:"id"`
	Action string          `json:"action"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries: of one kind and id when set, older
// than Before (a Seq) when set, at most Limit (1…1000; 0 means 100).
type AuditFilter struct {
	Kind   string
	ID     string
	Before uint64
	Limit  int
}

// AuditLog reads the audit log that RuleService and DeskPlaceService
// write.
type AuditLog interface {
	// Audit returns the entries matching f, newest first. EINVALID for a
	// limit outside 0…1000 or an unknown kind.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
