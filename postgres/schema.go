package postgres

// migrations are applied in order; migrations[i] brings the schema to
// version i+1. Never edit one that has shipped: append a new one.
var migrations = []string{
	// 1: reports, their tags, cell-day counts, the report count, tokens.
	`CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE reports (
	id          text COLLATE "C" PRIMARY KEY,
	external_id text COLLATE "C" UNIQUE,
	tsec        bigint NOT NULL,
	tnsec       integer NOT NULL,
	time        timestamptz NOT NULL,
	created     timestamptz NOT NULL,
	updated     timestamptz NOT NULL,
	status      text NOT NULL,
	lat         double precision,
	lon         double precision,
	geom        geometry(Point, 4326),
	tags        text[] NOT NULL,
	actors      text[] NOT NULL,
	places      bigint[] NOT NULL,
	event_code  smallint NOT NULL,
	fatalities  integer,
	title_lc    text NOT NULL,
	text_lc     text NOT NULL,
	record      json COMPRESSION lz4 NOT NULL
);
CREATE INDEX reports_pos ON reports (tsec DESC, tnsec DESC, id DESC);
CREATE INDEX reports_time ON reports USING brin (time);
CREATE INDEX reports_geom ON reports USING gist (geom);
CREATE INDEX reports_status ON reports (status, tsec DESC, tnsec DESC, id DESC);
CREATE INDEX reports_tags ON reports USING gin (tags);
CREATE INDEX reports_actors ON reports USING gin (actors);
CREATE INDEX reports_places ON reports USING gin (places);
CREATE INDEX reports_event ON reports (event_code, tsec DESC, tnsec DESC, id DESC);
CREATE INDEX reports_fatalities ON reports (fatalities) WHERE fatalities IS NOT NULL;
CREATE INDEX reports_title_trgm ON reports USING gin (title_lc gin_trgm_ops);
CREATE INDEX reports_text_trgm ON reports USING gin (text_lc gin_trgm_ops);
CREATE TABLE report_tags (
	tag   text COLLATE "C" NOT NULL,
	tsec  bigint NOT NULL,
	tnsec integer NOT NULL,
	id    text COLLATE "C" NOT NULL,
	PRIMARY KEY (tag, tsec, tnsec, id)
);
CREATE TABLE cellday (
	level smallint NOT NULL,
	res   smallint NOT NULL,
	t     integer NOT NULL,
	cx    integer NOT NULL,
	cy    integer NOT NULL,
	n     bigint NOT NULL,
	slat  double precision NOT NULL,
	slon  double precision NOT NULL,
	PRIMARY KEY (level, res, t, cx, cy)
);
CREATE TABLE counts (
	shard   smallint PRIMARY KEY,
	reports bigint NOT NULL
);
INSERT INTO counts SELECT generate_series(0, 15), 0;
CREATE TABLE tokens (
	hash      bytea PRIMARY KEY,
	id        text COLLATE "C" NOT NULL UNIQUE,
	name      text NOT NULL,
	read_only boolean NOT NULL,
	admin     boolean NOT NULL,
	created   timestamptz NOT NULL
);`,

	// 2: what the bbolt store keeps besides reports and tokens —
	// feeds and their item states, saved views (with their webhooks), the
	// webhook delivery log, the audit log of desk rules and places, the
	// records of finished bulk corrections — and the leases that let one
	// of several servers poll a feed or follow a view's webhook at a time.
	// Each thing is its JSON (record) plus the columns it is found by.
	`CREATE TABLE feeds (
	id     text COLLATE "C" PRIMARY KEY,
	url    text NOT NULL UNIQUE,
	record json NOT NULL
);
CREATE TABLE feed_items (
	feed_id  text COLLATE "C" NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
	key_hash bytea NOT NULL,
	record   json NOT NULL,
	PRIMARY KEY (feed_id, key_hash)
);
CREATE TABLE views (
	id     text COLLATE "C" PRIMARY KEY,
	record json NOT NULL
);
CREATE TABLE webhook_deliveries (
	id      text COLLATE "C" PRIMARY KEY,
	view_id text COLLATE "C" NOT NULL,
	state   text NOT NULL,
	record  json NOT NULL
);
CREATE INDEX webhook_deliveries_view ON webhook_deliveries (view_id, id);
CREATE TABLE audit (
	seq      bigint PRIMARY KEY,
	kind     text NOT NULL,
	thing_id text COLLATE "C" NOT NULL,
	record   json NOT NULL
);
CREATE INDEX audit_thing ON audit (kind, thing_id, seq);
CREATE SEQUENCE audit_seq;
CREATE TABLE bulk_jobs (
	id     text COLLATE "C" PRIMARY KEY,
	record json NOT NULL
);
CREATE TABLE leases (
	kind  text NOT NULL,
	id    text COLLATE "C" NOT NULL,
	owner text NOT NULL,
	until timestamptz NOT NULL,
	PRIMARY KEY (kind, id)
);`,
	// 3: incidents and the report each source is (a report is one
	// incident's source at most), desk rules, desk places (their audit
	// log is migration 2's audit table), and the desk's
	// change counter, which every rule and desk place write moves in its
	// transaction (it serialises them, and other servers poll it to reload
	// their tagger: DeskVersion).
	`CREATE TABLE incidents (
	id     text COLLATE "C" PRIMARY KEY,
	tsec   bigint NOT NULL,
	tnsec  integer NOT NULL,
	record json NOT NULL
);
CREATE INDEX incidents_pos ON incidents (tsec DESC, tnsec DESC, id DESC);
CREATE TABLE incident_sources (
	report_id   text COLLATE "C" PRIMARY KEY,
	incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id) ON DELETE CASCADE
);
CREATE INDEX incident_sources_incident ON incident_sources (incident_id);
CREATE TABLE rules (
	id     text COLLATE "C" PRIMARY KEY,
	record json NOT NULL
);
CREATE TABLE desk_places (
	id     bigint PRIMARY KEY,
	record json NOT NULL
);
CREATE TABLE desk_changes (
	one       boolean PRIMARY KEY DEFAULT true CHECK (one),
	n         bigint NOT NULL,
	place_seq bigint NOT NULL
);
INSERT INTO desk_changes VALUES (true, 0, 0);`,
	// 4: each report's map and export GeoJSON Features, made with
	// the row (feature.go), so that pages of features and exports do not
	// decode records. They and the record are kept in the row (STORAGE
	// MAIN: compressed, out of line only when a row cannot fit a page),
	// where the record went to TOAST, costing a page of 1,000 reports four
	// times the buffer reads; the lower-cased text, read only to recheck a
	// trigram match, stays in TOAST. Rows written before have no
	// feature_ver and are encoded from their records.
	`ALTER TABLE reports ADD COLUMN feature bytea, ADD COLUMN feature_full bytea, ADD COLUMN feature_ver bigint;
ALTER TABLE reports ALTER COLUMN feature SET STORAGE MAIN, ALTER COLUMN feature_full SET STORAGE MAIN,
	ALTER COLUMN record SET STORAGE MAIN;`,
	// 5: the map's clusters split by precision and event type: each
	// located report's precision class (geotag.PrecisionClass; written by
	// every write, filled here from the record's text: its location's
	// "precision", which the encoder writes after lat and lon, as the json
	// operators fail on a record holding an escaped NUL), and cellday's
	// counts by precision class (p1…p3) and event type code (e0…e6),
	// rebuilt from the reports.
	`ALTER TABLE reports ADD COLUMN precision_class smallint;
UPDATE reports SET precision_class = CASE
	substring(record::text FROM '"location":\{"lat":[^,]*,"lon":[^,]*,"precision":(-?[0-9]+)')
	WHEN '1' THEN 1 WHEN '2' THEN 2 ELSE 3 END WHERE lat IS NOT NULL;
ALTER TABLE cellday ADD COLUMN p1 bigint NOT NULL DEFAULT 0, ADD COLUMN p2 bigint NOT NULL DEFAULT 0,
	ADD COLUMN p3 bigint NOT NULL DEFAULT 0, ADD COLUMN e0 bigint NOT NULL DEFAULT 0,
	ADD COLUMN e1 bigint NOT NULL DEFAULT 0, ADD COLUMN e2 bigint NOT NULL DEFAULT 0,
	ADD COLUMN e3 bigint NOT NULL DEFAULT 0, ADD COLUMN e4 bigint NOT NULL DEFAULT 0,
	ADD COLUMN e5 bigint NOT NULL DEFAULT 0, ADD COLUMN e6 bigint NOT NULL DEFAULT 0;
DELETE FROM cellday;
INSERT INTO cellday (level, res, t, cx, cy, n, slat, slon, p1, p2, p3, e0, e1, e2, e3, e4, e5, e6)
SELECT lv, res, t, cx, cy, count(*), sum(lat), sum(lon),
	count(*) FILTER (WHERE precision_class = 1), count(*) FILTER (WHERE precision_class = 2),
	count(*) FILTER (WHERE precision_class = 3), count(*) FILTER (WHERE event_code = 0),
	count(*) FILTER (WHERE event_code = 1), count(*) FILTER (WHERE event_code = 2),
	count(*) FILTER (WHERE event_code = 3), count(*) FILTER (WHERE event_code = 4),
	count(*) FILTER (WHERE event_code = 5), count(*) FILTER (WHERE event_code = 6)
FROM (SELECT lv, res,
		(CASE res WHEN 0 THEN day WHEN 1 THEN floor(day / 32.0) ELSE 0 END)::int AS t,
		floor((lon + 180) / (360::float8 / (1 << lv)))::int AS cx,
		floor((lat + 90) / (360::float8 / (1 << lv)))::int AS cy,
		lat, lon, precision_class, event_code
	FROM (SELECT lat, lon, precision_class, event_code,
			least(greatest(floor(tsec / 86400.0), -2147483648), 2147483647) AS day
		FROM reports WHERE lat IS NOT NULL) d,
		unnest(ARRAY[6, 9, 12]::smallint[]) lv, unnest(ARRAY[0, 1, 2]::smallint[]) res) x
GROUP BY 1, 2, 3, 4, 5;`,
	// 6: indexes the map's queries read alone (index-only scans, once
	// VACUUM has marked the heap's pages all-visible, as autovacuum does):
	// the position index carries each report's coordinates, precision
	// class and event type, so that a bbox + time page finds its rows, a
	// total or a histogram counts them, without reading the heap (rows of
	// 3.5 KB or more, a page each); reports_lonlat, by longitude and
	// latitude with the position and the split columns, serves views
	// selective in space (a region over all time, the edge strips of a
	// dense view). The filters test lon and lat rather than geom, which
	// only the GiST index and SQL users read. cellday_days gives a
	// histogram from the counts (40,000 day rows for a world bbox at
	// 200,000 reports) its rows' counts in day order, without the heap or
	// a sort (206 buffers instead of 1,271), at the price of updates of
	// cellday no longer being HOT.
	`CREATE INDEX IF NOT EXISTS reports_pos_cover ON reports (tsec DESC, tnsec DESC, id DESC)
	INCLUDE (lon, lat, precision_class, event_code);
DROP INDEX IF EXISTS reports_pos;
CREATE INDEX IF NOT EXISTS reports_lonlat ON reports (lon, lat) INCLUDE (tsec, tnsec, id, precision_class, event_code)
	WHERE lat IS NOT NULL;
CREATE INDEX IF NOT EXISTS cellday_days ON cellday (level, res, t, cx, cy) INCLUDE (n);`,
}

// SchemaVersion is the schema this build writes: Open migrates older
// databases to it and refuses newer ones.
var SchemaVersion = len(migrations)

// wantIndexes are the indexes Verify checks exist and are valid.
var wantIndexes = []string{
	"reports_pkey", "reports_external_id_key", "reports_pos_cover", "reports_time", "reports_geom",
	"reports_status", "reports_tags", "reports_actors", "reports_places", "reports_event",
	"reports_fatalities", "reports_title_trgm", "reports_text_trgm",
	"report_tags_pkey", "cellday_pkey", "counts_pkey", "tokens_pkey", "tokens_id_key",
	// migration 2
	"feeds_pkey", "feeds_url_key", "feed_items_pkey", "views_pkey", "webhook_deliveries_pkey",
	"webhook_deliveries_view", "audit_pkey", "audit_thing", "bulk_jobs_pkey", "leases_pkey",
	// migration 3
	"incidents_pkey", "incidents_pos", "incident_sources_pkey", "incident_sources_incident",
	"rules_pkey", "desk_places_pkey", "desk_changes_pkey",
	// migration 6
	"reports_lonlat", "cellday_days",
}

// migrationLock is the advisory lock key of migrations (any constant that
// other applications of the database are unlikely to use).
const migrationLock = 0x67656f746167 // "geotag"
