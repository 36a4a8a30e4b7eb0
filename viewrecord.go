package geotag

import "encoding/json"

// ViewRecord is a saved view as the stores keep it: with its webhook's
// secret, which a View's JSON never shows.
type ViewRecord struct {
	View
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// NewViewRecord is v as stored.
func NewViewRecord(v *View) ViewRecord {
	rec := ViewRecord{View: *v}
	if v.Webhook != nil {
		rec.WebhookSecret = v.Webhook.Secret
	}
	return rec
}

// EncodeView is v's stored JSON (NewViewRecord).
func EncodeView(v *View) ([]byte, error) { return json.Marshal(NewViewRecord(v)) }

// DecodeView reads a view's stored JSON, its webhook's secret restored.
func DecodeView(b []byte) (*View, error) {
	var rec ViewRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, err
	}
	return rec.Restored(), nil
}

// Restored is the view of rec with its webhook's secret (SecretSet says
// whether it has one).
func (rec *ViewRecord) Restored() *View {
	if rec.Webhook != nil {
		rec.Webhook.Secret = rec.WebhookSecret
		rec.Webhook.SecretSet = rec.WebhookSecret != ""
	}
	return &rec.View
}
