package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// apiDoc answers the OpenAPI 3.0 description of /api/v1, so that scripts
// and tools (Swagger UI, code generators) can discover the API.
func (s *Server) apiDoc(c *gin.Context) {
	str := gin.H{"type": "string"}
	num := gin.H{"type": "number"}
	integer := gin.H{"type": "integer"}
	ref := func(name string) gin.H { return gin.H{"$ref": "#/components/schemas/" + name} }
	q := func(name, desc string, schema gin.H) gin.H {
		return gin.H{"name": name, "in": "query", "description": desc, "schema": schema}
	}
	idParam := gin.H{"name": "id", "in": "path", "required": true, "schema": str}
	problems := func(codes ...string) gin.H {
		out := gin.H{}
		for _, code := range codes {
			out[code] = gin.H{"$ref": "#/components/responses/Problem"}
		}
		return out
	}
	with := func(r gin.H, more gin.H) gin.H {
		for k, v := range more {
			r[k] = v
		}
		return r
	}
	jsonBody := func(schema gin.H) gin.H {
		return gin.H{"required": true, "content": gin.H{"application/json": gin.H{"schema": schema}}}
	}
	jsonResp := func(desc string, schema gin.H) gin.H {
		return gin.H{"description": desc, "content": gin.H{"application/json": gin.H{"schema": schema}}}
	}
	geoResp := func(desc string) gin.H {
		return gin.H{"description": desc, "content": gin.H{"application/geo+json": gin.H{"schema": gin.H{"type": "object"}}}}
	}
	filter := []gin.H{
		q("bbox", "W,S,E,N in degrees; W > E crosses the antimeridian", str),
		q("from", "event time at or after: RFC 3339 or a date", str),
		q("to", "event time at or before: RFC 3339 or a date (the whole day)", str),
		q("datetime", "OGC interval instead of from/to: T, A/B, ../B, A/..", str),
		q("place", "geonameid of a place the report names", integer),
		q("q", "text in the title or text, case-insensitive", str),
		q("status", "reviewed or unreviewed", gin.H{"type": "string", "enum": []string{"reviewed", "unreviewed"}}),
		q("tag", "a tag of the report (any case); repeat it for several (at most 8)", str),
		q("tag_mode", "several tags: any (default) or all of them", str),
		q("located", "true: only reports with a main location; false: only those without (on no map)", gin.H{"type": "boolean"}),
		q("event_type", "ACLED event types, comma-separated (any of them)", str),
		q("fatalities_min", "fatalities known and at least this many", integer),
		q("fatalities_max", "fatalities known and at most this many", integer),
		q("actor", "an actor of the event, case-insensitive", str),
	}
	page := append(append([]gin.H{}, filter...),
		q("limit", "page size, 1…10000, default 100", integer), q("cursor", "from the previous page's next link", str))
	secured := []gin.H{{"bearer": []string{}}}
	// edited is what PUT and PATCH answer: the report and, when the server
	// tagged the text again, what became of the corrections made by hand.
	carries := gin.H{"type": "array", "items": gin.H{"type": "object", "properties": gin.H{
		"action":  gin.H{"type": "string", "enum": []string{geotag.ActionPick, geotag.ActionPoint, geotag.ActionAdd, geotag.ActionRemove, geotag.ActionMain}},
		"text":    gin.H{"type": "string", "description": "the corrected words, at start…end"},
		"start":   gin.H{"type": "integer", "description": "code points: in the new text when carried, in the old text when dropped"},
		"end":     integer,
		"mention": gin.H{"type": "integer", "description": "index of the corrected mention after the edit; -1 when dropped and for remove"},
		"place":   with(ref("Place"), gin.H{}),
		"by":      gin.H{"type": "string", "description": "who made the correction (not the edit)"},
		"at":      gin.H{"type": "string", "description": "when the correction was made"}}}}
	edited := gin.H{"allOf": []gin.H{ref("Report"), {"type": "object", "properties": gin.H{
		"carried": with(gin.H{"description": "corrections carried over to the new mentions, and one remove per tagged mention a removed name took away; present when the server tagged the text again"}, carries),
		"dropped": with(gin.H{"description": "corrections whose words are gone from the text; present when the server tagged the text again"}, carries)}}}}
	editNote := "When the text changes and no mentions are sent, the server tags the new text and, in the same write (stored only if the report is still the version read, else done again on the newer one; a 409 when it keeps changing), carries the corrections made by hand over to the new mentions: " +
		"a place picked, a point set or a mention added moves with its words (the occurrence nearest the old position; exact case first, then the normalised name), " +
		"a name removed as not a place stays removed wherever it appears, and a main location chosen among the mentions follows its mention. " +
		"Corrections whose words are gone are answered in dropped. The edit revision records carried, dropped and the text and mentions it replaced: undo restores them. " +
		"Mentions sent by the client are stored as they are, with nothing carried."

	hook := gin.H{"type": "object", "properties": gin.H{"url": str, "enabled": gin.H{"type": "boolean"}, "secret_set": gin.H{"type": "boolean"},
		"since": str, "after": gin.H{"type": "string", "description": "id of the newest report delivered"}, "delivered": str}}
	view := gin.H{"type": "object", "properties": gin.H{"id": str, "name": str, "query": str, "by": str, "created": str, "updated": str,
		"webhook": hook, "feed": str, "map": str, "reports": str}}
	viewIn := gin.H{"type": "object", "properties": gin.H{"name": str, "query": gin.H{"type": "string", "example": "bbox=36.5,35.9,37.6,36.6&tag=shelling&since=7d"},
		"webhook": gin.H{"type": "object", "nullable": true, "properties": gin.H{"url": str, "secret": gin.H{"type": "string", "description": "write-only"}, "enabled": gin.H{"type": "boolean"}}}}}
	doc := gin.H{
		"openapi": "3.0.3",
		"info": gin.H{"title": "geotag API", "version": "1",
			"description": "Geotag news and conflict reports: find the places they name, store them, correct them, export them. " +
				"Writes need a bearer token; errors are RFC 9457 problem documents."},
		"servers": []gin.H{{"url": requestURL(c, "/api/v1", nil)}},
		"paths": gin.H{
			"/tag": gin.H{"post": gin.H{"summary": "Find the places in a text (stores nothing): at most max_mentions mentions, max_alternatives alternatives each, max_tag_response bytes (GET /api/v1/config); truncated says some were left out",
				"requestBody": jsonBody(ref("TagRequest")),
				"responses":   with(gin.H{"200": jsonResp("The mentions", ref("TagResponse"))}, problems("400", "413", "415", "429"))}},
			"/preview": gin.H{"post": gin.H{"summary": "Apply the report rules to a tagging without storing it: the automatic main location, then up to 100 corrections in order (each to the mentions the ones before left)",
				"requestBody": jsonBody(gin.H{"type": "object", "properties": gin.H{"title": str, "text": str, "mentions": gin.H{"type": "array", "items": ref("Mention")},
					"title_mentions": gin.H{"type": "array", "items": ref("Mention"), "description": "the title's (a tagging answer's), offsets in the title; they weigh in the main location"},
					"corrections":    gin.H{"type": "array", "items": ref("Correction")}}}),
				"responses": with(gin.H{"200": jsonResp("The mentions, main location and revisions a report would have", gin.H{"type": "object", "properties": gin.H{"mentions": gin.H{"type": "array", "items": ref("Mention")}, "location": ref("Location"), "revisions": gin.H{"type": "array", "items": gin.H{"type": "object"}}}})}, problems("400", "409", "413", "415", "422", "429"))}},
			"/split": gin.H{"post": gin.H{"summary": "Split a live-blog page (text or html) into its updates, each with its time, source and title (stores nothing; save them with POST /api/v1/import); at most max_split_updates updates, the first ones (truncated says more were found)",
				"description": "Updates start at header lines (\"UPDATE 1800 GMT:\", \"14:32\", \"Posted at 11:05 BST\", \"Update, 6:45 p.m.:\", \"ORIGINAL ENTRY:\"), dated headings (\"Saturday 16 July 2016\", \"16 июля\", \"16 липня\", \"16 يوليو\") or HTML elements with an id holding one <time datetime>. " +
					"A clock time is read in the zone written after it (GMT, BST, CET, MSK, EDT… or an offset), else in zone (an IANA name, an abbreviation or an offset), else in the zone the page's other headers write most often, else UTC, on the day of its dated heading, else counting from date (the day of the page's earliest update; default: the HTML page's published date, else today), moving to the next day when the clock rolls back past midnight; pages newest first are read from the bottom. " +
					"Each entry's time is RFC 3339 (precision minute) or a date (precision day); its source is url with the update's HTML id as fragment. " +
					"With url alone (no text, no html) the service fetches the page through its safe outgoing client (as POST /api/v1/fetch: http(s) only, no loopback or private addresses unless serve --allow-fetch-hosts lists them; size and time caps) and reads it as HTML, or as text when served text/plain; this form needs a write token (401, 403), and a page the service may not or cannot fetch is 422.",
				"requestBody": jsonBody(gin.H{"type": "object", "properties": gin.H{"text": str, "html": str, "url": str, "title": str,
					"date": gin.H{"type": "string", "format": "date"}, "zone": gin.H{"type": "string", "example": "Europe/London"},
					"tag": gin.H{"type": "boolean", "description": "tag each update and answer its main location and mention count"}, "country": str, "bbox": str}}),
				"responses": with(gin.H{"200": jsonResp("The updates, in page order", gin.H{"type": "object", "properties": gin.H{
					"title": str, "url": str, "date": str, "date_from": gin.H{"type": "string", "enum": []string{"request", "page", "today"}}, "zone": str, "zone_from": gin.H{"type": "string", "enum": []string{"request", "page", "default"}},
					"newest_first": gin.H{"type": "boolean"}, "truncated": gin.H{"type": "boolean"},
					"entries": gin.H{"type": "array", "items": gin.H{"type": "object", "properties": gin.H{
						"title": str, "heading": str, "text": str, "source": str, "anchor": str, "time": str,
						"precision": gin.H{"type": "string", "enum": []string{"minute", "day"}}, "label": str, "zone": str,
						"mentions": integer, "location": gin.H{"type": "object"}}}}}})}, problems("400", "401", "403", "413", "415", "422", "429", "503"))}},
			"/reports": gin.H{
				"get": gin.H{"summary": "A page of reports as a GeoJSON FeatureCollection (numberMatched, or numberMatchedAtLeast past 10,000 matches; next link)", "parameters": append(append([]gin.H{}, page...),
					q("whole", "true: on a first page, every match or no features at all (only the counts) when they do not fit", gin.H{"type": "boolean"})),
					"description": "A text search (q) or a page over 2,000 is a scan, charged to the client's scan budget for what it reads: 429 with Retry-After when that is spent.",
					"responses":   with(gin.H{"200": geoResp("Reports, newest event first")}, problems("400", "401", "429", "503"))},
				"post": gin.H{"summary": "Store a report; its text is tagged unless mentions are given", "security": secured,
					"requestBody": jsonBody(ref("ReportInput")),
					"responses": with(gin.H{"201": jsonResp("The stored report", ref("Report")),
						"200": jsonResp("A report with this external_id was already stored", ref("Report"))}, problems("400", "401", "403", "413", "415", "422"))},
			},
			"/import": gin.H{"post": gin.H{"summary": "Store up to 10,000 reports (max_import_items) from a JSON array, JSON Lines, GeoJSON, a GeoJSON text sequence or CSV; each report is tagged and stored on its own (201, 200 for a stored external_id or export id, or its problem); the body may be max_import_body bytes (GET /api/v1/config)",
				"description": "CSV columns and GeoJSON properties are matched case-insensitively: external_id; id or event_id_cnty (the external_id when none is given, so an export imports once); title, headline; text, body, notes, description; source, url, source_url, link; time, datetime, event_time, event_date (also \"1 March 2024\"), date; time_precision (day, month, year, or ACLED's 3 for a month: the time is stored at that precision); tags, tag (split at ';', else ','); status; latitude, lat, y; longitude, lon, lng, long, x; location_method, method. " +
					"A point (lat/lon, or a Point geometry) is the manual main point, unless method is \"auto\": then it stays automatic when the tagger chooses it again from the text, else it becomes the manual point. A CSV cell starting with an apostrophe followed by = + - @ tab CR or another apostrophe loses that first apostrophe (the CSV export adds it). Without a title column, event_type and location make the title \"<event_type>: <location>\". A source without a URL scheme (ACLED's \"Reuters; Al Jazeera\") is kept as tags \"source:<name>\", and columns.notes says so. " +
					"Malformed records are per-item errors (400, 422 out of range) with their line (CSV, sequences) or index; an undecodable body is one 400.",
				"security": secured,
				"requestBody": gin.H{"required": true, "content": gin.H{
					"application/json":         gin.H{"schema": gin.H{"description": "an array of ReportInput (or of GeoJSON Features), a GeoJSON FeatureCollection or one Feature", "oneOf": []gin.H{{"type": "array", "items": ref("ReportInput")}, {"type": "object"}}}},
					"application/geo+json":     gin.H{"schema": gin.H{"type": "object", "description": "a FeatureCollection or one Feature: properties are the report, a Point geometry its main point"}},
					"application/x-ndjson":     gin.H{"schema": with(ref("ReportInput"), gin.H{}), "example": "{\"title\":\"a\"}\n{\"title\":\"b\"}\n"},
					"application/geo+json-seq": gin.H{"schema": gin.H{"type": "string", "description": "RFC 8142: RS, a Feature, LF, each (GET /api/v1/export/geojsonseq)"}},
					"text/csv":                 gin.H{"schema": gin.H{"type": "string", "description": "a header row naming a title or text column, then one report a record (GET /api/v1/export/csv imports back)"}}}},
				"responses": with(gin.H{"200": jsonResp("Per-report outcome", ref("ImportResult"))}, problems("400", "401", "403", "413", "415"))}},
			"/reports/{id}": gin.H{
				"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "One report as a Feature with its text, mentions, location and history (ETag)",
					"responses": with(gin.H{"200": geoResp("The report"), "304": gin.H{"description": "Not modified"}}, problems("404"))},
				"patch": gin.H{"summary": "Change the fields sent (If-Match for safe concurrent edits); corrections survive a text change", "security": secured,
					"description": editNote, "requestBody": jsonBody(ref("ReportInput")),
					"responses": with(gin.H{"200": jsonResp("The report, with carried and dropped when the text was tagged again", edited)}, problems("400", "401", "403", "404", "409", "412", "422"))},
				"put": gin.H{"summary": "Replace the editable fields; corrections survive a text change", "security": secured,
					"description": editNote, "requestBody": jsonBody(ref("ReportInput")),
					"responses": with(gin.H{"200": jsonResp("The report, with carried and dropped when the text was tagged again", edited)}, problems("400", "401", "403", "404", "409", "412", "422"))},
				"delete": gin.H{"summary": "Delete a report; it leaves the incident it was a source of (the incident's figures derived again; the incident deleted with its last source)", "security": secured,
					"responses": with(gin.H{"204": gin.H{"description": "Deleted"}}, problems("401", "403", "404"))},
			},
			"/reports/{id}/corrections": gin.H{"parameters": []gin.H{idParam},
				"post": gin.H{"summary": "Correct a report's places; recorded as revisions", "security": secured,
					"requestBody": jsonBody(ref("Correction")),
					"responses": with(gin.H{"200": jsonResp("The report and the new revisions", gin.H{"type": "object",
						"properties": gin.H{"report": ref("Report"), "revisions": gin.H{"type": "array", "items": gin.H{"type": "object"}}}})},
						problems("400", "401", "403", "404", "409", "412", "422"))}},
			"/reports/{id}/split": gin.H{"parameters": []gin.H{idParam},
				"post": gin.H{"summary": "Split a report: each part (code points of its text) becomes a new report with the report's source, time and tags, tagged anew; the report keeps the rest, its corrections carried over (an edit revision), and a split revision names the new reports, each of which has a split revision naming it (split_from). If-Match: 412 for an old version",
					"security": secured,
					"requestBody": jsonBody(gin.H{"type": "object", "required": []string{"parts"}, "properties": gin.H{"parts": gin.H{"type": "array", "maxItems": geotag.MaxSplitParts,
						"items": gin.H{"type": "object", "properties": gin.H{"start": integer, "end": integer}}}}}),
					"responses": with(gin.H{"200": jsonResp("The report as changed and the new reports", gin.H{"type": "object",
						"properties": gin.H{"report": ref("Report"), "new": gin.H{"type": "array", "items": ref("Report")}}})},
						problems("400", "401", "403", "404", "409", "412", "422"))}},
			"/reports/{id}/history": gin.H{"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "A report's revisions, oldest first",
					"responses": with(gin.H{"200": jsonResp("Revisions", gin.H{"type": "object"})}, problems("404"))}},
			"/corrections/bulk": gin.H{"post": gin.H{"summary": "The same correction (pick a place, a point, or remove: not a place) to every report where the same words (NameKey) resolved to place_id, optionally within filter (the query string of GET /reports); mentions corrected by hand are never changed",
				"description": "dry_run answers the counts and changes nothing. Otherwise a job starts (202): reports are corrected before and written 100 to a write transaction, one revision group per report carrying the bulk id; poll GET /corrections/bulk/{id}. Finding the reports walks the place index as a bulk scan (429/503 as exports).",
				"security":    secured,
				"requestBody": jsonBody(gin.H{"type": "object", "required": []string{"words", "place_id", "action"}, "properties": gin.H{"words": str, "place_id": integer,
					"action": gin.H{"type": "string", "enum": []string{"pick", "point", "remove"}}, "to_place_id": integer, "lat": num, "lon": num, "name": str, "filter": str, "dry_run": gin.H{"type": "boolean"}}}),
				"responses": with(gin.H{"200": jsonResp("dry_run: the reports and mentions it would change", gin.H{"type": "object"}), "202": jsonResp("The job", gin.H{"type": "object"})},
					problems("400", "401", "403", "422", "429", "503"))}},
			"/corrections/bulk/{id}": gin.H{"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "A bulk job: state (running, done, failed) and progress (total, done, changed, skipped); finished jobs are kept in the store",
					"responses": with(gin.H{"200": jsonResp("The job", gin.H{"type": "object"})}, problems("404"))}},
			"/corrections/bulk/{id}/undo": gin.H{"parameters": []gin.H{idParam},
				"post": gin.H{"summary": "Undo a finished bulk correction on every report whose latest change it still is; the others are skipped and counted (a job, 202)", "security": secured,
					"responses": with(gin.H{"202": jsonResp("The undo's job", gin.H{"type": "object"})}, problems("401", "403", "404", "409", "503"))}},
			"/rules": gin.H{
				"get": gin.H{"summary": "The desk rules ({\"rules\":[…]}; format=jsonl: one a line, the file geotag tag --rules reads)",
					"parameters": []gin.H{q("format", "jsonl for the export", str)},
					"responses":  gin.H{"200": jsonResp("Rules", gin.H{"type": "object"})}},
				"post": gin.H{"summary": "Remember a correction as a rule: these words (NameKey) are place_id, or not a place; optional scope country, bbox, feed, domain", "security": secured,
					"requestBody": jsonBody(ref("RuleInput")),
					"responses":   with(gin.H{"201": jsonResp("The rule", gin.H{"type": "object"})}, problems("400", "401", "403", "413", "422"))}},
			"/rules/{id}": gin.H{"parameters": []gin.H{idParam},
				"patch": gin.H{"summary": "Edit, disable or enable a rule (audited)", "security": secured, "requestBody": jsonBody(ref("RuleInput")),
					"responses": with(gin.H{"200": jsonResp("The rule", gin.H{"type": "object"})}, problems("400", "401", "403", "404", "422"))},
				"delete": gin.H{"summary": "Remove a rule (audited)", "security": secured,
					"responses": with(gin.H{"204": gin.H{"description": "Removed"}}, problems("401", "403", "404"))}},
			"/rules/{id}/retag": gin.H{"parameters": []gin.H{idParam},
				"post": gin.H{"summary": "Re-tag the stored reports a rule touches (its words resolved to place_id, default the rule's from_place_id) as a bulk correction", "security": secured,
					"requestBody": jsonBody(gin.H{"type": "object", "properties": gin.H{"place_id": integer, "filter": str, "dry_run": gin.H{"type": "boolean"}}}),
					"responses":   with(gin.H{"200": jsonResp("dry_run counts", gin.H{"type": "object"}), "202": jsonResp("The job", gin.H{"type": "object"})}, problems("400", "401", "403", "404", "409", "422"))}},
			"/desk-places": gin.H{
				"get": gin.H{"summary": "The desk's own places as a GeoJSON FeatureCollection (the export)", "responses": gin.H{"200": geoResp("Desk places")}},
				"post": gin.H{"summary": "Add a desk place (a GeoJSON Point Feature with names) or import a FeatureCollection (at most 1000); part of the gazetteer for tagging and search", "security": secured,
					"requestBody": jsonBody(gin.H{"type": "object"}),
					"responses":   with(gin.H{"201": geoResp("The places stored")}, problems("400", "401", "403", "413"))}},
			"/desk-places/{id}": gin.H{"parameters": []gin.H{idParam},
				"patch": gin.H{"summary": "Edit a desk place: names, lat, lon, country, feature, note (audited)", "security": secured, "requestBody": jsonBody(gin.H{"type": "object"}),
					"responses": with(gin.H{"200": geoResp("The place")}, problems("400", "401", "403", "404"))},
				"delete": gin.H{"summary": "Remove a desk place (audited)", "security": secured,
					"responses": with(gin.H{"204": gin.H{"description": "Removed"}}, problems("401", "403", "404"))}},
			"/audit": gin.H{"get": gin.H{"summary": "Who changed which desk rule or place, when, before and after; newest first",
				"parameters": []gin.H{q("kind", "rule or desk_place", str), q("id", "one rule's or place's", str), q("before", "seq of the last entry of the previous page", integer), q("limit", "1…1000, default 100", integer)},
				"responses":  with(gin.H{"200": jsonResp("Entries", gin.H{"type": "object"})}, problems("400"))}},
			"/export/{format}": gin.H{"get": gin.H{"summary": "Every report matching the filter, streamed as a download",
				"parameters": append([]gin.H{{"name": "format", "in": "path", "required": true,
					"schema": gin.H{"type": "string", "enum": []string{"geojson", "geojsonseq", "ndjson", "csv"}}}}, filter...),
				"description": "A bulk scan: charged to the client's scan budget for what it reads (429 with Retry-After when that is spent), and it waits for a bulk turn (503 when busy).",
				"responses":   with(gin.H{"200": gin.H{"description": "The export"}}, problems("400", "404", "429", "503"))}},
			"/cells": gin.H{"get": gin.H{"summary": "Cluster counts for a map view: Points with a count, split by precision and by event type",
				"description": "Each Point's properties: count; by_precision, the count by the location's precision " +
					"([sites or towns, districts or vicinities, regions or countries]: precision 1, 2, and 3 or any other); " +
					"by_event_type, each ACLED event type's count (only the types present; the rest of the count has no type).",
				"parameters": append([]gin.H{q("zoom", "map zoom 0…18, default 3", integer)}, filter...),
				"responses":  with(gin.H{"200": geoResp("Cells")}, problems("400"))}},
			"/histogram": gin.H{"get": gin.H{"summary": "Event-time histogram of the reports matching the filter, counted from the indexes (the time bar)",
				"parameters": append([]gin.H{q("bins", "at most this many bins, 1…1000, default 100", integer),
					q("by", "event_type: split each bin by event type (by_event_type)", gin.H{"type": "string", "enum": []string{"event_type"}})}, filter...),
				"responses": with(gin.H{"200": jsonResp("Bins of equal width from the oldest to the newest match: a power-of-two multiple of a minute, or, for views of 10,000 reports or more whose minute bins would be about 8 hours or wider, of a day, starting at UTC midnight: counts[i] reports in [from + i·width_seconds, from + (i+1)·width_seconds)",
					gin.H{"type": "object", "properties": gin.H{"from": gin.H{"type": []string{"string", "null"}, "format": "date-time"},
						"to": gin.H{"type": []string{"string", "null"}, "format": "date-time"}, "width_seconds": integer,
						"counts": gin.H{"type": "array", "items": integer}, "total": integer,
						"by_event_type": gin.H{"type": "object", "description": "with by=event_type: each ACLED event type's counts per bin (the rest of a bin has no type)",
							"additionalProperties": gin.H{"type": "array", "items": integer}},
						"by_truncated": gin.H{"type": "boolean", "description": "the view was too large to split by type (200,000 index entries)"}}})}, problems("400"))}},
			"/tags": gin.H{"get": gin.H{"summary": "Tags starting with prefix, each with how many of its reports match the filter, most used first (the tag box's suggestions)",
				"description": "With a filter, a bulk scan charged to the client's scan budget (429 with Retry-After when spent). " +
					"Deprecated spelling, read for one more release when prefix is absent: q the prefix and text the text search (text beside prefix is a 400).",
				"parameters": append([]gin.H{q("prefix", "prefix of the tag, case-insensitive; empty lists every tag. Send it (even empty) for q to be the text search", str),
					q("text", "deprecated: the text search when prefix is absent (use q)", str), q("limit", "1…100, default 20", integer)},
					filter...),
				"responses": with(gin.H{"200": jsonResp("Tags in lower case; count stops at 10,000 (count_at_least), and truncated says the listing stopped after 5,000 tags or about a million index entries",
					gin.H{"type": "object", "properties": gin.H{"tags": gin.H{"type": "array", "items": gin.H{"type": "object",
						"properties": gin.H{"tag": str, "count": integer, "count_at_least": gin.H{"type": "boolean"}}}},
						"truncated": gin.H{"type": "boolean"}}})}, problems("400", "429", "503"))}},
			"/places": gin.H{"get": gin.H{"summary": "Search the gazetteer by a partial or misspelled name",
				"parameters": []gin.H{with(q("q", "the name typed", str), gin.H{"required": true}), q("focus", "lat,lon to rank nearby places up", str),
					q("country", "ISO codes, comma-separated", str), q("bbox", "W,S,E,N", str), q("limit", "1…100, default 10", integer)},
				"responses": with(gin.H{"200": geoResp("Places, best first: Point features whose properties are the place (id, name, lat, lon, country, admin1, feature, population…), label, precision, score and rank (from 1), as geotag places --json writes them")}, problems("400", "422"))}},
			"/places/labels": gin.H{"get": gin.H{"summary": "The towns, divisions and countries to label a map view with (for a map without tiles), most important first, at most four per half tile at the zoom",
				"parameters": []gin.H{with(q("bbox", "W,S,E,N", str), gin.H{"required": true}), with(q("zoom", "the map's zoom, 0…22", integer), gin.H{"required": true}),
					q("limit", "1…500, default 100", integer)},
				"description": "The index is built in the background when the service starts (seconds); a request before it is ready gets 503 with Retry-After.",
				"responses":   with(gin.H{"200": geoResp("Places, most important first: Point features with the place, label, precision and rank (from 1)")}, problems("400", "404", "503"))}},
			"/places/{id}": gin.H{"get": gin.H{"summary": "One place by geonameid",
				"parameters": []gin.H{{"name": "id", "in": "path", "required": true, "schema": integer}},
				"responses":  with(gin.H{"200": geoResp("The place")}, problems("400", "404"))}},
			"/tokens": gin.H{
				"get": gin.H{"summary": "List tokens (admin)", "security": secured,
					"responses": with(gin.H{"200": jsonResp("Tokens", gin.H{"type": "object"})}, problems("401", "403"))},
				"post": gin.H{"summary": "Create a token (admin); its secret is shown once", "security": secured,
					"requestBody": jsonBody(gin.H{"type": "object", "required": []string{"name"}, "properties": gin.H{
						"name": str, "read_only": gin.H{"type": "boolean"}, "admin": gin.H{"type": "boolean"}}}),
					"responses": with(gin.H{"201": jsonResp("The token and its secret", gin.H{"type": "object"})}, problems("400", "401", "403"))},
			},
			"/views": gin.H{
				"get": gin.H{"summary": "The saved views, oldest first: {views: [View]}",
					"responses": with(gin.H{"200": jsonResp("The views", gin.H{"type": "object", "properties": gin.H{"views": gin.H{"type": "array", "items": view}}})}, problems("401"))},
				"post": gin.H{"summary": "Save a view: a name and a query in the filter language (checked, stored canonical: filter parameters only; since=24h|7d|30d or any Nh/Nd is a rolling window), and an optional webhook", "security": secured,
					"requestBody": jsonBody(viewIn),
					"responses":   with(gin.H{"201": jsonResp("The view", view)}, problems("400", "401", "403", "413", "415", "422"))},
			},
			"/views/{id}": gin.H{"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "One saved view", "responses": with(gin.H{"200": jsonResp("The view", view)}, problems("401", "404"))},
				"patch": gin.H{"summary": "Change a view's name, query or webhook (its fields merged; null removes it; enabling starts delivery from now)", "security": secured,
					"requestBody": jsonBody(viewIn),
					"responses":   with(gin.H{"200": jsonResp("The view", view)}, problems("400", "401", "403", "404", "413", "415"))},
				"delete": gin.H{"summary": "Delete a view", "security": secured,
					"responses": with(gin.H{"204": gin.H{"description": "Deleted"}}, problems("401", "403", "404"))}},
			"/views/{id}/feed.atom": gin.H{"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "The view's newest reports (by event time) as an Atom 1.0 feed with GeoRSS points; entries link to the report on the map. ETag and Last-Modified; If-None-Match / If-Modified-Since give 304",
					"parameters": []gin.H{q("limit", "entries, 1…200 (default 50)", integer)},
					"responses": with(gin.H{"200": gin.H{"description": "The feed", "content": gin.H{"application/atom+xml": gin.H{"schema": str}}},
						"304": gin.H{"description": "Not modified"}}, problems("400", "401", "404", "429"))}},
			"/tokens/{id}": gin.H{"parameters": []gin.H{idParam}, "delete": gin.H{"summary": "Revoke a token (admin)", "security": secured,
				"responses": with(gin.H{"204": gin.H{"description": "Revoked"}}, problems("401", "403", "404"))}},
			"/backup": gin.H{"get": gin.H{"summary": "A consistent snapshot of the whole store, taken while serving (admin; only when tokens are checked): a bbolt file to restore in place of DATA/geotag.db. Never gzipped; Content-Length is exact, so a short download is detectable. One at a time",
				"security": secured,
				"responses": with(gin.H{"200": gin.H{"description": "The store file, as an attachment geotag-<UTC time>.db",
					"headers": gin.H{"Content-Length": gin.H{"description": "the snapshot's exact size in bytes", "schema": integer}},
					"content": gin.H{"application/octet-stream": gin.H{"schema": gin.H{"type": "string", "format": "binary"}}}}},
					problems("401", "403", "503"))}},
			"/feeds": gin.H{
				"get": gin.H{"summary": "Every feed with its status: last fetch, last success, last new item, last error, items stored, next fetch",
					"responses": with(gin.H{"200": jsonResp("Feeds", gin.H{"type": "object"})}, problems("401"))},
				"post": gin.H{"summary": "Add a feed (RSS 2.0, Atom or JSON Feed); it is fetched at once and then every interval, each new item becoming a tagged report", "security": secured,
					"requestBody": jsonBody(gin.H{"type": "object", "properties": gin.H{"url": str, "interval": gin.H{"type": "string", "description": "a duration: 5m (default), 1h; at least serve --feed-min-interval, at most 24h"},
						"country": gin.H{"type": "string", "description": "tagging bias: ISO codes, comma-separated"}, "bbox": gin.H{"type": "string", "description": "tagging bias: W,S,E,N"},
						"tags": gin.H{"type": "array", "items": str}, "paused": gin.H{"type": "boolean"}}}),
					"responses": with(gin.H{"201": jsonResp("The feed", gin.H{"type": "object"})}, problems("400", "401", "403", "409", "422"))},
			},
			"/feeds/{id}": gin.H{"parameters": []gin.H{idParam},
				"get": gin.H{"summary": "One feed", "responses": with(gin.H{"200": jsonResp("The feed", gin.H{"type": "object"})}, problems("401", "404"))},
				"patch": gin.H{"summary": "Change a feed's fields sent", "security": secured, "requestBody": jsonBody(gin.H{"type": "object", "properties": gin.H{"url": str, "interval": gin.H{"type": "string", "description": "a duration: 5m (default), 1h; at least serve --feed-min-interval, at most 24h"},
					"country": gin.H{"type": "string", "description": "tagging bias: ISO codes, comma-separated"}, "bbox": gin.H{"type": "string", "description": "tagging bias: W,S,E,N"},
					"tags": gin.H{"type": "array", "items": str}, "paused": gin.H{"type": "boolean"}}}),
					"responses": with(gin.H{"200": jsonResp("The feed", gin.H{"type": "object"})}, problems("400", "401", "403", "404", "409"))},
				"delete": gin.H{"summary": "Stop polling a feed (its reports stay)", "security": secured,
					"responses": with(gin.H{"204": gin.H{"description": "Removed"}}, problems("401", "403", "404"))}},
			"/webhooks/deliveries": gin.H{"get": gin.H{"summary": "The webhook delivery log, newest first: each notice of a saved view's webhook, its attempts, last status and error, state (pending, delivered, failed)",
				"parameters": []gin.H{q("view", "one saved view's deliveries", str), q("state", "pending, delivered or failed", str), q("limit", "1…1000, default 100", integer)},
				"responses":  with(gin.H{"200": jsonResp("Deliveries", gin.H{"type": "object"})}, problems("400", "401"))}},
			"/fetch": gin.H{"post": gin.H{"summary": "Fetch a web page through the service's safe client and extract its article (title, text, time) for the New report form; stores nothing", "security": secured,
				"requestBody": jsonBody(gin.H{"type": "object", "required": []string{"url"}, "properties": gin.H{"url": str}}),
				"responses":   with(gin.H{"200": jsonResp("The article: url (after redirects), title, text, time, site, byline, truncated", gin.H{"type": "object"})}, problems("400", "401", "403", "413", "422"))}},
			"/me": gin.H{"get": gin.H{"summary": "The token this request carries", "responses": gin.H{"200": jsonResp("Who", gin.H{"type": "object"})}}},
			"/config": gin.H{"get": gin.H{"summary": "What the map page needs to know", "responses": gin.H{"200": jsonResp("Settings", gin.H{"type": "object", "properties": gin.H{
				"tagger": str, "auth_required": gin.H{"type": "boolean"}, "reads_need_token": gin.H{"type": "boolean"},
				"max_body":         gin.H{"type": "integer", "description": "largest request body, bytes"},
				"max_import_body":  gin.H{"type": "integer", "description": "largest body of POST /api/v1/import, bytes"},
				"max_import_items": gin.H{"type": "integer", "description": "most reports in one import"},
				"report_limits": gin.H{"type": "object", "description": "what one report may hold (422 over a limit; the history is trimmed instead); -1 for no limit",
					"additionalProperties": gin.H{"type": "integer"}},
				"max_mentions":     gin.H{"type": "integer", "description": "most mentions of one tagged text (more: a tag answer is truncated, a report refused)"},
				"max_alternatives": gin.H{"type": "integer", "description": "most alternatives of one tagged mention"},
				"max_tag_response": gin.H{"type": "integer", "description": "largest POST /api/v1/tag answer, bytes"},
				"tiles":            gin.H{"type": "object", "properties": gin.H{"url": str, "attribution": str}}}})}}},
		},
		"components": gin.H{
			"securitySchemes": gin.H{"bearer": gin.H{"type": "http", "scheme": "bearer"}},
			"responses": gin.H{"Problem": gin.H{"description": "An RFC 9457 problem", "content": gin.H{
				"application/problem+json": gin.H{"schema": ref("Problem")}}}},
			"schemas": gin.H{
				"Problem": gin.H{"type": "object", "properties": gin.H{"type": str, "title": str, "status": integer,
					"detail": str, "instance": str, "code": str, "field": str}},
				"TagRequest": gin.H{"type": "object", "required": []string{"text"}, "properties": gin.H{
					"title": gin.H{"type": "string", "description": "tagged with the text (one document): its places are title_mentions and weigh in the main location; at most 1000 characters"},
					"text":  str, "country": gin.H{"type": "string", "description": "bias: ISO codes, comma-separated"},
					"bbox": gin.H{"type": "string", "description": "bias: W,S,E,N"}}},
				"TagResponse": gin.H{"type": "object", "properties": gin.H{"mentions": gin.H{"type": "array", "items": ref("Mention")},
					"truncated": gin.H{"type": "boolean", "description": "the text has more mentions than the answer holds (max_mentions, max_tag_response)"}, "tagger": str,
					"lang":           gin.H{"type": "string", "description": "the language whose rules tagged the text (most of it, when paragraphs differ): en, ar, uk or ru"},
					"event":          eventSuggestionSchema(),
					"title_mentions": gin.H{"type": "array", "items": ref("Mention"), "description": "the title's mentions, offsets in code points of the title (absent without a title)"},
					"location":       with(ref("Location"), gin.H{"description": "the automatic main location and why; null when no place is found"}),
					"degraded":       gin.H{"type": "string", "description": "absent when every name was resolved with all the text's evidence; else why not: the resolution budget (candidate places in proportion to the text's length) was reached, and the names after that point were chosen by their prior alone"}}},
				"Location": gin.H{"type": "object", "nullable": true, "properties": gin.H{"lat": num, "lon": num, "precision": integer, "name": str, "place_id": integer,
					"mention":    gin.H{"type": "integer", "description": "index into mentions; -1 for a point set by hand, or an automatic location only the title names"},
					"provenance": gin.H{"type": "object", "properties": gin.H{"method": gin.H{"type": "string", "enum": []string{"auto", "manual"}}, "tagger": str, "by": str, "at": str}},
					"why":        gin.H{"type": "string", "description": "for an automatic location, why it was chosen, in words: named in the headline, where the reported events happened, most mentioned (n×), most specific; and the places set aside (only the dateline, only as where someone spoke, only in background)"}}},
				"Place": gin.H{"type": "object", "properties": gin.H{"id": integer, "name": str, "lat": num, "lon": num,
					"country": str, "country_name": str, "admin1": str, "feature": str, "population": integer}},
				"Mention": gin.H{"type": "object", "properties": gin.H{
					"start": gin.H{"type": "integer", "description": "Unicode code points, inclusive"},
					"end":   gin.H{"type": "integer", "description": "Unicode code points, exclusive"},
					"text":  str, "kind": gin.H{"type": "string", "enum": []string{"place", "demonym", "abbreviation"}},
					"confidence": num, "precision": integer, "place": with(ref("Place"), gin.H{}),
					"alternatives": gin.H{"type": "array", "items": gin.H{"type": "object"}}, "manual": gin.H{"type": "boolean"}}},
				"ReportInput": gin.H{"type": "object", "properties": gin.H{
					"external_id": str, "title": str, "text": str, "source": gin.H{"type": "string", "format": "uri"},
					"time":   gin.H{"type": "string", "description": "RFC 3339, or a date, month or year; from 1900-01-01 to before 2200-01-01 UTC (422 otherwise)"},
					"status": gin.H{"type": "string", "enum": []string{"reviewed", "unreviewed"}}, "tags": gin.H{"type": "array", "items": str},
					"mentions": gin.H{"type": "array", "items": ref("Mention"), "description": "given: stored as they are; absent: the server tags the text"},
					"location": gin.H{"type": "object", "properties": gin.H{"lat": num, "lon": num}, "description": "a manual main point"},
					"country":  str, "bbox": str,
					"event_type": eventTypeSchema(), "sub_event_type": subEventTypeSchema(),
					"fatalities": gin.H{"type": "integer", "nullable": true, "minimum": 0, "description": "people killed; null: unknown (PATCH: absent keeps, null clears)"},
					"actors":     actorsSchema(), "civilian_targeting": gin.H{"type": "boolean"}}},
				"Report": gin.H{"type": "object", "properties": gin.H{"id": str, "external_id": str, "title": str, "text": str,
					"source": str, "time": str, "created": str, "updated": str, "status": str, "tags": gin.H{"type": "array", "items": str},
					"mentions":       gin.H{"type": "array", "items": ref("Mention")},
					"title_mentions": gin.H{"type": "array", "items": ref("Mention"), "description": "the title's mentions, offsets in code points of the title; tagged with the text, weighing in the main location; corrections are made to the text's mentions"},
					"location":       ref("Location"),
					"history":        gin.H{"type": "array", "items": gin.H{"type": "object"}},
					"event_type":     eventTypeSchema(), "sub_event_type": subEventTypeSchema(),
					"fatalities": gin.H{"type": "integer", "nullable": true}, "actors": actorsSchema(), "civilian_targeting": gin.H{"type": "boolean"}}},
				"ImportResult": gin.H{"type": "object", "properties": gin.H{"created": integer, "duplicates": integer, "failed": integer,
					"columns": gin.H{"type": "object", "description": "CSV columns / GeoJSON properties read into a report field and ignored (absent for report bodies)",
						"properties": gin.H{"used": gin.H{"type": "array", "items": str}, "ignored": gin.H{"type": "array", "items": str},
							"notes": gin.H{"type": "array", "items": str, "description": "how a column was read other than as its name says (a source column of names kept as tags)"}}},
					"items": gin.H{"type": "array", "items": gin.H{"type": "object", "properties": gin.H{
						"index":  gin.H{"type": "integer", "description": "0-based position in the import (a GeoJSON feature's index)"},
						"line":   gin.H{"type": "integer", "description": "1-based line the CSV record or sequence text starts on; absent for arrays and FeatureCollections"},
						"status": gin.H{"type": "integer", "description": "201 stored, 200 already stored (external_id), else the error's status"},
						"id":     str, "problem": ref("Problem")}}}}},
				"RuleInput": gin.H{"type": "object", "properties": gin.H{"words": str, "action": gin.H{"type": "string", "enum": []string{"place", "not_place"}},
					"place_id": integer, "from_place_id": integer, "country": str, "bbox": gin.H{"type": "string", "description": "W,S,E,N"}, "feed": str, "domain": str,
					"disabled": gin.H{"type": "boolean"}, "note": str}},
				"Correction": gin.H{"type": "object", "required": []string{"action"}, "properties": gin.H{
					"action":  gin.H{"type": "string", "enum": []string{geotag.ActionPick, geotag.ActionPoint, geotag.ActionAdd, geotag.ActionRemove, geotag.ActionMain, geotag.ActionReview, geotag.ActionUnreview, geotag.ActionUndo}},
					"mention": integer, "text": str, "place_id": integer, "lat": num, "lon": num, "name": str,
					"start": integer, "end": integer, "all": gin.H{"type": "boolean"}}},
			},
		},
	}
	if s.incidents != nil {
		for path, item := range s.incidentAPIDoc(page, idParam, secured, problems, jsonResp, geoResp, jsonBody) {
			doc["paths"].(gin.H)[path] = item
		}
	}
	c.JSON(http.StatusOK, doc)
}
