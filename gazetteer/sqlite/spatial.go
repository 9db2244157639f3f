package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// pointBoxDeg: the R*Tree stores 32-bit floats rounded outwards, so a point's
// box is a few microdegrees wide; anything narrower than this is a point.
const pointBoxDeg = 3e-5

const spatialSelect = `SELECT p.id, p.name, p.class, p.subclass, p.code, p.level, p.lon, p.lat, p.updated,
	r.max_lon-r.min_lon < ? AND r.max_lat-r.min_lat < ?,
	coalesce((SELECT group_concat(a.code, ',') FROM place_admin a WHERE a.place_id=p.id), '')
	FROM places_rtree r JOIN places p ON p.id=r.id
	WHERE r.max_lon>=? AND r.min_lon<=? AND r.max_lat>=? AND r.min_lat<=? AND p.status='current'`

// Within returns the current places whose bounding box (the R*Tree) meets
// box, their admin codes broadest first.
func (s *DB) Within(ctx context.Context, box orb.Bound, shape gazetteer.Shape) ([]gazetteer.BoxHit, error) {
	q := spatialSelect
	switch shape {
	case gazetteer.PointsOnly:
		q += ` AND r.max_lon-r.min_lon < ? AND r.max_lat-r.min_lat < ?`
	case gazetteer.AreasOnly:
		q += ` AND (r.max_lon-r.min_lon >= ? OR r.max_lat-r.min_lat >= ?)`
	}
	args := []any{pointBoxDeg, pointBoxDeg, box.Min[0], box.Max[0], box.Min[1], box.Max[1]}
	if shape != gazetteer.AnyShape {
		args = append(args, pointBoxDeg, pointBoxDeg)
	}
	rows, err := s.queryPrepared(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.BoxHit
	for rows.Next() {
		var h gazetteer.BoxHit
		var lon, lat sql.NullFloat64
		var admin string
		if err := rows.Scan(&h.ID, &h.Name, &h.Class, &h.Subclass, &h.Code, &h.Level, &lon, &lat, &h.Updated, &h.Point, &admin); err != nil {
			return nil, err
		}
		h.Label = orb.Point{lon.Float64, lat.Float64}
		if admin != "" {
			h.Admin = strings.Split(admin, ",")
			sort.SliceStable(h.Admin, func(i, j int) bool { return len(h.Admin[i]) < len(h.Admin[j]) })
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Units returns the current administrative units with those codes, broadest
// first.
func (s *DB) Units(ctx context.Context, codes []string) ([]gazetteer.AdminRef, error) {
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",")
	rows, err := s.queryPrepared(ctx, `SELECT id, code, name, level FROM places WHERE code IN (`+ph+`) AND code <> '' AND status='current' ORDER BY length(code), id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.AdminRef
	for rows.Next() {
		var a gazetteer.AdminRef
		if err := rows.Scan(&a.ID, &a.Code, &a.Name, &a.Level); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// queryPrepared runs q as a statement prepared once per store: parsing the
// SQL again on every lookup was a third of a reverse lookup's cost.
func (s *DB) queryPrepared(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, ok := s.stmts.Load(q)
	if !ok {
		prep, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		var loaded bool
		if st, loaded = s.stmts.LoadOrStore(q, prep); loaded {
			prep.Close()
		}
	}
	return st.(*sql.Stmt).QueryContext(ctx, args...)
}

// Extents returns, per 大类, how many places there are and the bound of
// those with a geometry.
func (s *DB) Extents(ctx context.Context) ([]gazetteer.Extent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.class, count(*), min(r.min_lon), min(r.min_lat), max(r.max_lon), max(r.max_lat)
		FROM places p LEFT JOIN places_rtree r ON r.id = p.id GROUP BY p.class`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Extent
	for rows.Next() {
		var e gazetteer.Extent
		var x0, y0, x1, y1 sql.NullFloat64
		if err := rows.Scan(&e.Class, &e.Count, &x0, &y0, &x1, &y1); err != nil {
			return nil, err
		}
		if x0.Valid {
			e.Bound = &orb.Bound{Min: orb.Point{x0.Float64, y0.Float64}, Max: orb.Point{x1.Float64, y1.Float64}}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
