package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configure Open. A nil *Options means the defaults.
type Options struct {
	// Limits bound each stored report (zero fields: the defaults), as the
	// bbolt store's Options.Limits do.
	Limits geotag.ReportLimits

	// MaxConns bounds the pool's connections; zero means the DSN's
	// pool_max_conns when it sets one, else DefaultMaxConns.
	MaxConns int32

	// MaxViews bounds the saved views the database holds; zero means
	// geotag.DefaultMaxViews.
	MaxViews int

	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time
}

// DefaultMaxConns is the pool's size when neither Options.MaxConns nor the
// DSN's pool_max_conns sets it. The database's cores, not this process's,
// bound how many queries are worth running at once, so it does not follow
// the CPUs (pgxpool's default, 4 on small machines, queued a load test's
// clients into 503s): 16 is room for the walks and bulk scans a server runs
// at once (each holds one connection while it reads) beside pages, writes
// and the feed, webhook and desk pollers, and six servers fit in
// PostgreSQL's default max_connections of 100.
const DefaultMaxConns = 16

// DB is a report and token store in a PostgreSQL database with PostGIS.
// It implements geotag.ReportService and geotag.TokenService and is safe
// for concurrent use, by several processes too.
type DB struct {
	pool *pgxpool.Pool
	opts Options
	now  func() time.Time
	ids  *idGen

	// owner names this DB in the leases it holds (lease.go).
	owner string
	fver  int64 // featureVersion
}

var (
	_ geotag.ReportService = (*DB)(nil)
	_ geotag.TokenService  = (*DB)(nil)
)

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string) and brings its schema up to SchemaVersion, applying
// the missing migrations in one transaction under an advisory lock, so
// that servers starting together migrate once. It returns EUNAVAILABLE
// when the database cannot be reached or was migrated by a newer build,
// EINVALID for a malformed dsn.
func Open(ctx context.Context, dsn string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, geotag.Errorf(geotag.EINVALID, "postgres: %v", err)
	}
	switch {
	case o.MaxConns > 0:
		cfg.MaxConns = o.MaxConns
	case !setsPoolMax(dsn):
		cfg.MaxConns = DefaultMaxConns
	}
	// pgx prepares each statement once per connection; after five runs
	// PostgreSQL may then plan it without its arguments, guessing a
	// bbox's or a time window's rows by rule of thumb (a generic plan read
	// 11,473 heap blocks for a place page that takes 2,184). Each query
	// is planned with its arguments instead, unless the DSN says otherwise.
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, geotag.Errorf(geotag.EUNAVAILABLE, "postgres: %v", err)
	}
	db := &DB{pool: pool, opts: o, now: o.Now, ids: newIDGen(), owner: newOwner(), fver: featureVersion()}
	if db.now == nil {
		db.now = time.Now
	}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// setsPoolMax reports whether dsn (a URL, or key=value pairs) sets
// pool_max_conns.
func setsPoolMax(dsn string) bool {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		return u.Query().Has("pool_max_conns")
	}
	for _, f := range strings.Fields(dsn) {
		if strings.HasPrefix(f, "pool_max_conns=") {
			return true
		}
	}
	return false
}

// MaxConns returns the most connections the pool opens.
func (db *DB) MaxConns() int32 { return db.pool.Config().MaxConns }

// Close closes the pool's connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrate applies the migrations the database lacks.
func (db *DB) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return geotag.Errorf(geotag.EUNAVAILABLE, "postgres: %v", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
			return fmt.Errorf("postgres: schema_version: %w", err)
		}
		var v int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
			return err
		}
		if v > SchemaVersion {
			return geotag.Errorf(geotag.EUNAVAILABLE, "postgres: the database has schema %d, newer than this build's %d", v, SchemaVersion)
		}
		for i := v; i < SchemaVersion; i++ {
			if _, err := tx.Exec(ctx, migrations[i]); err != nil {
				return fmt.Errorf("postgres: migration %d: %w", i+1, err)
			}
		}
		if v == SchemaVersion {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM schema_version`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_version VALUES ($1)`, SchemaVersion)
		return err
	})
}

// Version returns the database's schema version.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

// Verify checks that the schema is this build's and that every index
// exists and is valid (an index a failed CREATE INDEX CONCURRENTLY left
// is invalid), and that the report count matches the rows. It returns
// one error naming every problem it found, or nil.
func (db *DB) Verify(ctx context.Context) error {
	var errs []error
	v, err := db.Version(ctx)
	if err != nil {
		return err
	}
	if v != SchemaVersion {
		errs = append(errs, fmt.Errorf("schema version is %d, this build wants %d", v, SchemaVersion))
	}
	valid := map[string]bool{}
	rows, err := db.pool.Query(ctx, `SELECT c.relname, i.indisvalid FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema()`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		var ok bool
		if err := rows.Scan(&name, &ok); err != nil {
			return err
		}
		valid[name] = ok
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range wantIndexes {
		ok, found := valid[name]
		switch {
		case !found:
			errs = append(errs, fmt.Errorf("index %s is missing", name))
		case !ok:
			errs = append(errs, fmt.Errorf("index %s is invalid: rebuild it (REINDEX INDEX %s)", name, name))
		}
	}
	var counted, rowsN int64
	err = db.pool.QueryRow(ctx, `SELECT (SELECT sum(reports)::bigint FROM counts), (SELECT count(*) FROM reports)`).Scan(&counted, &rowsN)
	if err != nil {
		return err
	}
	if counted != rowsN {
		errs = append(errs, fmt.Errorf("count is %d, there are %d reports", counted, rowsN))
	}
	more, err := db.verifyServices(ctx)
	if err != nil {
		return err
	}
	return errors.Join(append(errs, more...)...)
}

// Count returns the number of stored reports.
func (db *DB) Count(ctx context.Context) (int, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT sum(reports)::bigint FROM counts`).Scan(&n)
	return int(n), err
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation
// on the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// Size returns the database's size on disk in bytes.
func (db *DB) Size(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
	return n, err
}

// Exec runs one SQL statement on the pool, for maintenance (ANALYZE after
// a bulk import) and tools.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := db.pool.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

// unavailable turns *err into EUNAVAILABLE (503: try again, or another
// server) when the database could not be reached or dropped the
// connection — a failover, a restart, a full pool of connections — so
// that a load balancer and clients see an outage, not a bug. Other errors,
// fn's among them, are left as they are.
func unavailable(err *error) {
	if *err == nil {
		return
	}
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	switch {
	case errors.As(*err, &ce), pgconn.Timeout(*err) && !errors.Is(*err, context.DeadlineExceeded):
	case errors.As(*err, &pe) && (strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" ||
		pe.Code == "57P03" || pe.Code == "53300"):
	case errors.Is(*err, io.ErrUnexpectedEOF), errors.Is(*err, syscall.ECONNRESET), errors.Is(*err, syscall.ECONNREFUSED):
	default:
		return
	}
	*err = geotag.Errorf(geotag.EUNAVAILABLE, "the database is unavailable: %v", *err)
}
