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
	// h20-perf: each report's map and export GeoJSON Features, made with
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
}

// SchemaVersion is the schema this build writes: Open migrates older
// databases to it and refuses newer ones.
var SchemaVersion = len(migrations)

// wantIndexes are the indexes Verify checks exist and are valid.
var wantIndexes = []string{
	"reports_pkey", "reports_external_id_key", "reports_pos", "reports_time", "reports_geom",
	"reports_status", "reports_tags", "reports_actors", "reports_places", "reports_event",
	"reports_fatalities", "reports_title_trgm", "reports_text_trgm",
	"report_tags_pkey", "cellday_pkey", "counts_pkey", "tokens_pkey", "tokens_id_key",
}

// migrationLock is the advisory lock key of migrations (any constant that
// other applications of the database are unlikely to use).
const migrationLock = 0x67656f746167 // "geotag"
