package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"wumen/gazetteer"
)

// columnList lists a table's columns for SQL ("end" is a keyword).
func columnList(t gazetteer.TableSpec) string {
	names := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		names[i] = `"` + c.Name + `"`
	}
	return strings.Join(names, ", ")
}

// DumpTable streams a table's rows in key order, each value of its
// column's kind.
func (s *DB) DumpTable(ctx context.Context, t gazetteer.TableSpec, fn func(row []any) error) error {
	cols := columnList(t)
	if t.Name == "revisions" { // the latest revisions' records are in places
		cols = strings.Replace(cols, `"after"`, latestAfter, 1)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+cols+` FROM `+t.Name+` r ORDER BY `+t.Key)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(t.Cols))
	ptrs := make([]any, len(t.Cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range t.Cols {
			vals[i] = asKind(vals[i], c.Type)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// asKind converts what SQLite's dynamic typing gives back to the column's
// kind.
func asKind(v any, k gazetteer.ColType) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		switch k {
		case gazetteer.ColBool:
			return x != 0
		case gazetteer.ColFloat:
			return float64(x)
		}
	case []byte:
		if k != gazetteer.ColBytes {
			return string(x)
		}
	case string:
		if k == gazetteer.ColBytes {
			return []byte(x)
		}
	}
	return v
}

// LoadTables loads tables in one transaction, then builds the R*Tree of
// the places from their records.
func (s *DB) LoadTables(ctx context.Context, fn func(load func(t gazetteer.TableSpec, rows [][]any) error) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	err = fn(func(t gazetteer.TableSpec, rows [][]any) error {
		one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.Cols)), ",") + ")"
		conflict := ""
		if t.Name == "meta" { // the settings the schema made are replaced
			conflict = ` ON CONFLICT(key) DO UPDATE SET value=excluded.value`
		}
		for start := 0; start < len(rows); start += rowsPerInsert {
			end := min(start+rowsPerInsert, len(rows))
			var args []any
			for _, r := range rows[start:end] {
				args = append(args, r...)
			}
			q := `INSERT INTO ` + t.Name + `(` + columnList(t) + `) VALUES ` + strings.TrimSuffix(strings.Repeat(one+",", end-start), ",") + conflict
			if _, err := sqlTx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := rebuildRTree(ctx, sqlTx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	s.changed()
	return nil
}

var _ gazetteer.TableCopier = (*DB)(nil)

// rebuildRTree fills the R*Tree from the geometry of the stored records.
func rebuildRTree(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT doc FROM places WHERE has_geom`)
	if err != nil {
		return err
	}
	var boxes []rtreeBox
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			rows.Close()
			return err
		}
		p, err := gazetteer.DecodeDoc(doc)
		if err != nil {
			rows.Close()
			return err
		}
		if p.Geometry != nil {
			b := p.Geometry.Bound()
			boxes = append(boxes, boxOf(p.ID, b))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return packRTree(ctx, tx, boxes)
}
