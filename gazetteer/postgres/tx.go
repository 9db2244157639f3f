package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/romanize"
)

// writeLock is the advisory lock every writing transaction holds: writers
// on all nodes are serialised, as SQLite serialises them, so ids are handed
// out once and revisions commit in the order of their numbers (the change
// feed never sees a later revision before an earlier one).
const writeLock = 0x77756d656e + 1

// tx is one transaction. It implements gazetteer.Tx and the transactions of
// naming review and accounts.
type tx struct {
	db *DB
	tx pgx.Tx
}

// Update runs fn in one transaction, committed with the audit entry ctx
// carries.
func (s *DB) Update(ctx context.Context, opt gazetteer.TxOptions, fn func(gazetteer.Tx) error) error {
	if s.readOnly {
		return errReadOnly
	}
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer ptx.Rollback(context.Background())
	if _, err := ptx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return err
	}
	if opt.Bulk {
		// A bulk load's own commit need not wait for the disk: a crash
		// loses the whole transaction or nothing (PostgreSQL keeps it
		// atomic either way).
		if _, err := ptx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
	}
	t := &tx{db: s, tx: ptx}
	if err := fn(t); err != nil {
		return err
	}
	if opt.DryRun {
		return nil
	}
	if entry := gazetteer.AuditOf(ctx); entry != nil {
		w := s.auditLog.Load()
		if w == nil {
			return errors.New("an audited write, but no audit log is open")
		}
		if err := (*w)(ctx, t, entry()); err != nil {
			return err
		}
	}
	if err := ptx.Commit(ctx); err != nil {
		return err
	}
	s.changed()
	return nil
}

// NextID returns one more than the largest id stored.
func (t *tx) NextID(ctx context.Context) (int64, error) { return nextID(ctx, t.tx) }

// Stored returns the stored records of those ids that exist, in one query.
func (t *tx) Stored(ctx context.Context, idList []int64) (map[int64][]byte, error) {
	out := map[int64][]byte{}
	rows, err := t.tx.Query(ctx, `SELECT id, doc FROM places WHERE id = ANY($1)`, idList)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var doc []byte
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		out[id] = doc
	}
	return out, rows.Err()
}

// Match returns the stored record with the place's OSM id, GeoNames id or
// statistical code, in that order.
func (t *tx) Match(ctx context.Context, p *gazetteer.Place) ([]byte, error) {
	try := func(q string, arg any) ([]byte, error) {
		var doc []byte
		err := t.tx.QueryRow(ctx, q, arg).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		return doc, err
	}
	if p.Links.OSM != "" {
		if d, err := try(`SELECT doc FROM places WHERE doc LIKE '%"osm"%' AND (doc::jsonb)->'links'->>'osm' = $1 ORDER BY id LIMIT 1`, p.Links.OSM); d != nil || err != nil {
			return d, err
		}
	}
	if p.Links.GeoNames != 0 {
		if d, err := try(`SELECT doc FROM places WHERE doc LIKE '%"geonames"%' AND (doc::jsonb)->'links'->>'geonames' = $1 ORDER BY id LIMIT 1`,
			strconv.FormatInt(p.Links.GeoNames, 10)); d != nil || err != nil {
			return d, err
		}
	}
	if p.Code != "" {
		return try(`SELECT doc FROM places WHERE code = $1 ORDER BY id LIMIT 1`, p.Code)
	}
	return nil, nil
}

// columns are the rows of one table for a batch, column by column: each
// table is written with one INSERT … SELECT FROM unnest(…) a batch.
type columns [][]any

func newColumns(n int) columns { return make(columns, n) }

func (c columns) add(vals ...any) {
	for i, v := range vals {
		c[i] = append(c[i], v)
	}
}

// WritePlaces writes places, each with its revision: the derived rows of
// updated places are cleared, then every table gets its rows in one
// statement.
func (t *tx) WritePlaces(ctx context.Context, c gazetteer.Change, at string, ws []gazetteer.PlaceWrite) error {
	if len(ws) == 0 {
		return nil
	}
	places, names, admin, heritage, revs := newColumns(17), newColumns(8), newColumns(2), newColumns(4), newColumns(6)
	var cleared []int64
	for _, pw := range ws {
		p := pw.Place
		var lon, lat *float64
		if p.Label != nil {
			x, y := p.Label.Lon(), p.Label.Lat()
			lon, lat = &x, &y
		}
		var geom *string
		if p.Geometry != nil {
			b, err := json.Marshal(geojson.NewGeometry(p.Geometry))
			if err != nil {
				return err
			}
			g := string(b)
			geom = &g
		}
		if pw.Before != nil {
			cleared = append(cleared, p.ID)
		}
		places.add(p.ID, p.Name, p.Specific, p.Generic, p.Category.Class, p.Category.Subclass, string(p.Status),
			p.Code, p.Level, p.Pinyin, romanize.Toneless(p.Name), lon, lat, geom, p.Rank, p.Updated, string(pw.Doc))
		for i, n := range gazetteer.AllNames(p) {
			names.add(p.ID, int32(i), n.Text, n.Script, n.Kind, n.Start, n.End, romanize.Toneless(n.Text))
		}
		for _, a := range p.Admin {
			admin.add(p.ID, a)
		}
		for _, h := range p.Heritage {
			heritage.add(p.ID, h.List, h.Level, int32(h.Year))
		}
		var before *string
		if pw.Before != nil {
			b := string(pw.Before)
			before = &b
		}
		revs.add(p.ID, at, c.Actor, c.Reason, before, string(pw.Doc))
	}
	if len(cleared) > 0 {
		for _, q := range []string{`DELETE FROM place_names WHERE place_id = ANY($1)`, `DELETE FROM place_admin WHERE place_id = ANY($1)`,
			`DELETE FROM place_heritage WHERE place_id = ANY($1)`} {
			if _, err := t.tx.Exec(ctx, q, cleared); err != nil {
				return err
			}
		}
	}
	stmts := []struct {
		sql  string
		cols columns
	}{
		{`INSERT INTO places(id, name, specific, generic, class, subclass, status, code, level, pinyin, toneless, lon, lat, geom, rank, updated, doc, has_geom)
		SELECT u.id, u.name, u.specific, u.generic, u.class, u.subclass, u.status, u.code, u.level, u.pinyin, u.toneless, u.lon, u.lat,
			ST_SetSRID(ST_GeomFromGeoJSON(u.geom), 4326), u.rank, u.updated, u.doc, u.geom IS NOT NULL
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
			$11::text[], $12::float8[], $13::float8[], $14::text[], $15::float8[], $16::text[], $17::text[])
			AS u(id, name, specific, generic, class, subclass, status, code, level, pinyin, toneless, lon, lat, geom, rank, updated, doc)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, specific = excluded.specific, generic = excluded.generic, class = excluded.class,
			subclass = excluded.subclass, status = excluded.status, code = excluded.code, level = excluded.level, pinyin = excluded.pinyin,
			toneless = excluded.toneless, lon = excluded.lon, lat = excluded.lat, geom = excluded.geom, rank = excluded.rank,
			updated = excluded.updated, doc = excluded.doc, has_geom = excluded.has_geom`, places},
		{`INSERT INTO place_names(place_id, seq, text, script, kind, start, "end", toneless)
		SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`, names},
		{`INSERT INTO place_admin(place_id, code) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`, admin},
		{`INSERT INTO place_heritage(place_id, list, level, year) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) ON CONFLICT DO NOTHING`, heritage},
		{`INSERT INTO revisions(place_id, at, actor, reason, before, after) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`, revs},
	}
	for _, st := range stmts {
		if len(st.cols[0]) == 0 {
			continue
		}
		a := make([]any, len(st.cols))
		for i, c := range st.cols {
			a[i] = c
		}
		if _, err := t.tx.Exec(ctx, st.sql, a...); err != nil {
			return err
		}
	}
	return nil
}

// PutWalks replaces the stored walks.
func (t *tx) PutWalks(ctx context.Context, walks []gazetteer.Walk, at string) error {
	for i, w := range walks {
		b, _ := json.Marshal(w)
		if _, err := t.tx.Exec(ctx, `INSERT INTO walks(id, seq, doc, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc, updated = excluded.updated`, w.ID, i, string(b), at); err != nil {
			return err
		}
	}
	return nil
}
