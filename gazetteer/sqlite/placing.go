package sqlite

import (
	"context"
	"database/sql"

	"wumen/gazetteer"
)

// Unpositioned lists the places without a position that the filter selects,
// the most looked-at first (only ID and Views set), and how many there are.
func (s *DB) Unpositioned(ctx context.Context, f gazetteer.AwaitingFilter) ([]gazetteer.Awaiting, int, error) {
	where := `p.has_geom = 0`
	var args []any
	if f.Admin != "" {
		where += ` AND EXISTS (SELECT 1 FROM place_admin a WHERE a.place_id = p.id AND a.code = ?)`
		args = append(args, f.Admin)
	}
	if f.Category != "" {
		where += ` AND (p.class = ? OR p.subclass = ?)`
		args = append(args, f.Category, f.Category)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM places p WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, coalesce(v.n, 0) FROM places p LEFT JOIN place_views v ON v.place_id = p.id
		WHERE `+where+` ORDER BY coalesce(v.n, 0) DESC, p.id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []gazetteer.Awaiting
	for rows.Next() {
		var a gazetteer.Awaiting
		if err := rows.Scan(&a.ID, &a.Views); err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// AddViews adds counted page views, on the connection Version polls on: a
// write made there does not change that connection's data_version, so
// bookkeeping that no page shows leaves caches valid.
func (s *DB) AddViews(ctx context.Context, counts map[int64]int64) error {
	return s.onVersionConn(func(c *sql.Conn) error {
		tx, err := c.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		st, err := tx.PrepareContext(ctx, `INSERT INTO place_views(place_id, n) VALUES (?, ?) ON CONFLICT(place_id) DO UPDATE SET n = n + excluded.n`)
		if err != nil {
			return err
		}
		defer st.Close()
		for id, n := range counts {
			if _, err := st.ExecContext(ctx, id, n); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
}
