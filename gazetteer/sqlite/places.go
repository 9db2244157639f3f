package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"wumen/gazetteer"
)

// Get returns the place with the given id.
func (s *DB) Get(ctx context.Context, id int64) (*gazetteer.Place, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM places WHERE id=?`, id).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "place %d not found", id)
	} else if err != nil {
		return nil, err
	}
	return gazetteer.DecodeDoc(doc)
}

// GetByCode returns the administrative unit with the given statistical code.
func (s *DB) GetByCode(ctx context.Context, code string) (*gazetteer.Place, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM places WHERE code=? ORDER BY id LIMIT 1`, code).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "no administrative unit with code %s", code)
	} else if err != nil {
		return nil, err
	}
	return gazetteer.DecodeDoc(doc)
}

// where is the WHERE clause of a filter over places p.
func where(f gazetteer.Filter) (string, []any) {
	var conds []string
	var args []any
	if len(f.IDs) > 0 {
		ph := strings.Repeat("?,", len(f.IDs))
		conds = append(conds, "p.id IN ("+ph[:len(ph)-1]+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Class != "" {
		conds = append(conds, "(p.class=? OR p.subclass=?)")
		args = append(args, f.Class, f.Class)
	}
	if f.Admin != "" {
		conds = append(conds, "(p.code LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM place_admin a WHERE a.place_id=p.id AND a.code LIKE ? ESCAPE '\\'))")
		pre := likePrefix(f.Admin)
		args = append(args, pre, pre)
	}
	if f.Heritage == "*" || f.Heritage == "any" {
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id)")
	} else if f.Heritage != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id AND (h.list=? OR h.level=?))")
		args = append(args, f.Heritage, f.Heritage)
	}
	if f.Status != "" {
		conds = append(conds, "p.status=?")
		args = append(args, string(f.Status))
	}
	if f.BBox != nil {
		conds = append(conds, "p.id IN (SELECT id FROM places_rtree WHERE max_lon>=? AND min_lon<=? AND max_lat>=? AND min_lat<=?)")
		args = append(args, f.BBox.Min.Lon(), f.BBox.Max.Lon(), f.BBox.Min.Lat(), f.BBox.Max.Lat())
	}
	if f.MissingGeometry {
		conds = append(conds, "p.has_geom=0")
	}
	if !f.ChangedSince.IsZero() {
		conds = append(conds, "p.updated>=?")
		args = append(args, f.ChangedSince.UTC().Format(gazetteer.TimeLayout))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// EachDoc streams the stored JSON records the filter selects, in id order.
func (s *DB) EachDoc(ctx context.Context, f gazetteer.Filter, fn func(doc []byte) error) error {
	w, args := where(f)
	q := `SELECT doc FROM places p` + w + ` ORDER BY p.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var doc []byte
	for rows.Next() {
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count returns how many places the filter selects (ignoring paging).
func (s *DB) Count(ctx context.Context, f gazetteer.Filter) (int, error) {
	w, args := where(f)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM places p`+w, args...).Scan(&n)
	return n, err
}

// NextID returns one more than the largest id (places are never deleted).
func (s *DB) NextID(ctx context.Context) (int64, error) {
	return nextID(ctx, s.db)
}

type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func nextID(ctx context.Context, q queryer) (int64, error) {
	var max sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(id) FROM places`).Scan(&max); err != nil {
		return 0, err
	}
	return max.Int64 + 1, nil
}

// latestAfter is a revision r's record after the change. The latest
// revision of a place stores it as the empty string (it is the record in places, written
// once), replaced by the record itself when the place is written again.
const latestAfter = `coalesce(nullif(r.after,''), (SELECT doc FROM places WHERE id=r.place_id))`

// Revisions returns the revisions of a place, oldest first.
func (s *DB) Revisions(ctx context.Context, placeID int64) ([]gazetteer.Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.place_id, r.at, r.actor, r.reason, coalesce(r.before,'null'), `+latestAfter+`
		FROM revisions r WHERE r.place_id=? ORDER BY r.id`, placeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Revision
	for rows.Next() {
		var r gazetteer.Revision
		var before, after string
		if err := rows.Scan(&r.ID, &r.PlaceID, &r.At, &r.Actor, &r.Reason, &before, &after); err != nil {
			return nil, err
		}
		r.Before, r.After = json.RawMessage(before), json.RawMessage(after)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AdminNames maps statistical codes to the name of the first place holding
// each.
func (s *DB) AdminNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name FROM places WHERE code <> '' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		if _, ok := out[c]; !ok {
			out[c] = n
		}
	}
	return out, rows.Err()
}

// Walks returns every walk in order.
func (s *DB) Walks(ctx context.Context) ([]gazetteer.Walk, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc FROM walks ORDER BY seq, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Walk
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var w gazetteer.Walk
		if err := json.Unmarshal(doc, &w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
