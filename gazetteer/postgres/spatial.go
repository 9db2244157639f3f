package postgres

import (
	"context"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// pointBoxDeg: a box narrower than this is a point (as gazetteer/sqlite
// decides from its R*Tree).
const pointBoxDeg = 3e-5

// spatialSelect reads what a reverse answer shows of the current places
// whose geometry's bounding box meets the envelope ($1–$4); the GiST index
// on places.geom answers the && test.
const spatialSelect = `SELECT p.id, p.name, p.class, p.subclass, p.code, p.level, p.lon, p.lat, p.updated,
	(ST_XMax(p.geom) - ST_XMin(p.geom) < $5 AND ST_YMax(p.geom) - ST_YMin(p.geom) < $5) AS point,
	coalesce((SELECT string_agg(a.code, ',') FROM place_admin a WHERE a.place_id = p.id), '')
	FROM places p
	WHERE p.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND p.status = 'current'`

// Within returns the current places whose bounding box meets box, their
// admin codes broadest first.
func (s *DB) Within(ctx context.Context, box orb.Bound, shape gazetteer.Shape) ([]gazetteer.BoxHit, error) {
	q := spatialSelect
	switch shape {
	case gazetteer.PointsOnly:
		q += ` AND ST_XMax(p.geom) - ST_XMin(p.geom) < $5 AND ST_YMax(p.geom) - ST_YMin(p.geom) < $5`
	case gazetteer.AreasOnly:
		q += ` AND (ST_XMax(p.geom) - ST_XMin(p.geom) >= $5 OR ST_YMax(p.geom) - ST_YMin(p.geom) >= $5)`
	}
	rows, err := s.pool.Query(ctx, q, box.Min[0], box.Min[1], box.Max[0], box.Max[1], pointBoxDeg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.BoxHit
	for rows.Next() {
		var h gazetteer.BoxHit
		var lon, lat *float64
		var admin string
		if err := rows.Scan(&h.ID, &h.Name, &h.Class, &h.Subclass, &h.Code, &h.Level, &lon, &lat, &h.Updated, &h.Point, &admin); err != nil {
			return nil, err
		}
		if lon != nil && lat != nil {
			h.Label = orb.Point{*lon, *lat}
		}
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
	rows, err := s.pool.Query(ctx, `SELECT id, code, name, level FROM places WHERE code = ANY($1) AND code <> '' AND status = 'current' ORDER BY length(code), id`, codes)
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

// Extents returns, per 大类, how many places there are and the bound of
// those with a geometry.
func (s *DB) Extents(ctx context.Context) ([]gazetteer.Extent, error) {
	rows, err := s.pool.Query(ctx, `SELECT class, count(*), min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom))
		FROM places GROUP BY class ORDER BY class`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gazetteer.Extent
	for rows.Next() {
		var e gazetteer.Extent
		var x0, y0, x1, y1 *float64
		if err := rows.Scan(&e.Class, &e.Count, &x0, &y0, &x1, &y1); err != nil {
			return nil, err
		}
		if x0 != nil {
			e.Bound = &orb.Bound{Min: orb.Point{*x0, *y0}, Max: orb.Point{*x1, *y1}}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Unpositioned lists the places without a position that the filter selects,
// the most looked-at first (only ID and Views set), and how many there are.
func (s *DB) Unpositioned(ctx context.Context, f gazetteer.AwaitingFilter) ([]gazetteer.Awaiting, int, error) {
	var a args
	cond := `NOT p.has_geom`
	if f.Admin != "" {
		cond += ` AND EXISTS (SELECT 1 FROM place_admin ad WHERE ad.place_id = p.id AND ad.code = ` + a.add(f.Admin) + `)`
	}
	if f.Category != "" {
		c := a.add(f.Category)
		cond += ` AND (p.class = ` + c + ` OR p.subclass = ` + c + `)`
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM places p WHERE `+cond, a...).Scan(&total); err != nil {
		return nil, 0, err
	}
	lim, off := a.add(f.Limit), a.add(f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT p.id, coalesce(v.n, 0) FROM places p LEFT JOIN place_views v ON v.place_id = p.id
		WHERE `+cond+` ORDER BY coalesce(v.n, 0) DESC, p.id LIMIT `+lim+` OFFSET `+off, a...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []gazetteer.Awaiting
	for rows.Next() {
		var w gazetteer.Awaiting
		if err := rows.Scan(&w.ID, &w.Views); err != nil {
			return nil, 0, err
		}
		out = append(out, w)
	}
	return out, total, rows.Err()
}

// AddViews adds counted page views. Page views notify nobody: counting
// them leaves every node's caches valid.
func (s *DB) AddViews(ctx context.Context, counts map[int64]int64) error {
	if len(counts) == 0 || s.readOnly { // a replica's views are not counted
		return nil
	}
	idList := make([]int64, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for id, n := range counts {
		idList, ns = append(idList, id), append(ns, n)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO place_views(place_id, n) SELECT * FROM unnest($1::bigint[], $2::bigint[])
		ON CONFLICT (place_id) DO UPDATE SET n = place_views.n + excluded.n`, idList, ns)
	return err
}
