package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/geotag/geotag"
	"github.com/jackc/pgx/v5"
)

// Feeds, views, deliveries, audit entries and bulk records are each one
// row: the thing's JSON in record (json, as reports' records, so a NUL
// in a text survives) and the columns it is found by.

// getRecord decodes into v the record the query selects; false when no
// row does.
func getRecord(ctx context.Context, q querier, v any, sql string, args ...any) (bool, error) {
	var rec []byte
	err := q.QueryRow(ctx, sql, args...).Scan(&rec)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, decodeJSON(rec, v)
}

// eachRecord calls fn with every record the query selects, in its order,
// on a transaction or the pool.
func eachRecord(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, sql string, args []any, fn func(rec []byte) error) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rec []byte
		if err := rows.Scan(&rec); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// listRecords decodes every record the query selects, in its order.
func listRecords[T any](ctx context.Context, db *DB, sql string, args ...any) ([]*T, error) {
	out := []*T{}
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return eachRecord(ctx, tx, sql, args, func(rec []byte) error {
			v := new(T)
			if err := decodeJSON(rec, v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}

func decodeJSON(rec []byte, v any) error {
	if err := json.Unmarshal(rec, v); err != nil {
		return geotag.Errorf(geotag.EINTERNAL, "postgres: corrupt record: %v", err)
	}
	return nil
}
