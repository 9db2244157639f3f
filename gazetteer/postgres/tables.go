package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"wumen/gazetteer"
)

// quoted lists a table's columns for SQL ("end" is a keyword).
func quoted(t gazetteer.TableSpec) []string {
	out := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		out[i] = pgx.Identifier{c.Name}.Sanitize()
	}
	return out
}

// DumpTable streams a table's rows in key order.
func (s *DB) DumpTable(ctx context.Context, t gazetteer.TableSpec, fn func(row []any) error) error {
	rows, err := s.pool.Query(ctx, `SELECT `+strings.Join(quoted(t), ", ")+` FROM `+t.Name+` ORDER BY `+t.Key)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		for i, c := range t.Cols {
			if c.Type == gazetteer.ColInt {
				switch v := vals[i].(type) {
				case int32:
					vals[i] = int64(v)
				case int16:
					vals[i] = int64(v)
				}
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LoadTables loads tables in one transaction with COPY, then builds the
// PostGIS geometry of the places from their records and continues each
// table's numbering after the largest id copied.
func (s *DB) LoadTables(ctx context.Context, fn func(load func(t gazetteer.TableSpec, rows [][]any) error) error) error {
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer ptx.Rollback(context.Background())
	if _, err := ptx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return err
	}
	loaded := map[string]gazetteer.TableSpec{}
	err = fn(func(t gazetteer.TableSpec, rows [][]any) error {
		if t.Name == "meta" { // the settings the schema made are replaced
			for _, r := range rows {
				if _, err := ptx.Exec(ctx, `INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, r[0], r[1]); err != nil {
					return err
				}
			}
			return nil
		}
		names := make([]string, len(t.Cols))
		for i, c := range t.Cols {
			names[i] = c.Name
		}
		loaded[t.Name] = t
		_, err := ptx.CopyFrom(ctx, pgx.Identifier{t.Name}, names, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return err
	}
	if _, err := ptx.Exec(ctx, `UPDATE places SET geom = ST_SetSRID(ST_GeomFromGeoJSON((doc::jsonb)->'geometry'), 4326) WHERE has_geom`); err != nil {
		return err
	}
	for _, t := range loaded {
		if t.Serial {
			if _, err := ptx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM `+t.Name+`), 0) + 1, false)`, t.Name); err != nil {
				return err
			}
		}
	}
	if err := ptx.Commit(ctx); err != nil {
		return err
	}
	s.changed()
	return nil
}

var _ gazetteer.TableCopier = (*DB)(nil)
