package sqlite

import (
	"context"
	"database/sql"

	"wumen/gazetteer"
)

// Matching a record by its links (PutOptions.MatchLinks) looked each one
// up with a json_extract scan of every stored record, so that an import of
// a file with OSM links and no ids was quadratic. A transaction now reads
// the links of the store once, on its first match, into maps it keeps up
// to date with its own writes; an index over the records' JSON would cost
// every write a parse of its record.

// linkIndex maps OSM and GeoNames ids to the smallest id of a place that
// has carried them in this transaction's view of the store. An entry can be
// stale (the place was since written with other links): a match checks it
// against the record before using it.
type linkIndex struct {
	osm      map[string]int64
	geonames map[int64]int64
}

// loadLinks reads the links of every stored record.
func loadLinks(ctx context.Context, tx *sql.Tx) (*linkIndex, error) {
	ix := &linkIndex{osm: map[string]int64{}, geonames: map[int64]int64{}}
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(json_extract(doc,'$.links.osm'),''), coalesce(json_extract(doc,'$.links.geonames'),0)
		FROM places WHERE instr(doc, '"links"') > 0 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l gazetteer.Links
		if err := rows.Scan(&id, &l.OSM, &l.GeoNames); err != nil {
			return nil, err
		}
		ix.add(id, l)
	}
	return ix, rows.Err()
}

// add records that place id carries links l.
func (ix *linkIndex) add(id int64, l gazetteer.Links) {
	if l.OSM != "" {
		if old, ok := ix.osm[l.OSM]; !ok || id < old {
			ix.osm[l.OSM] = id
		}
	}
	if l.GeoNames != 0 {
		if old, ok := ix.geonames[l.GeoNames]; !ok || id < old {
			ix.geonames[l.GeoNames] = id
		}
	}
}

// Match returns the stored record with the place's OSM id, GeoNames id or
// statistical code, in that order; of several, the one with the smallest
// id.
func (t *tx) Match(ctx context.Context, p *gazetteer.Place) ([]byte, error) {
	if t.links == nil && (p.Links.OSM != "" || p.Links.GeoNames != 0) {
		ix, err := loadLinks(ctx, t.tx)
		if err != nil {
			return nil, err
		}
		t.links = ix
	}
	if p.Links.OSM != "" {
		id, ok := t.links.osm[p.Links.OSM]
		if d, err := t.matchLink(ctx, id, ok, `json_extract(doc,'$.links.osm')=?`, p.Links.OSM); d != nil || err != nil {
			return d, err
		}
	}
	if p.Links.GeoNames != 0 {
		id, ok := t.links.geonames[p.Links.GeoNames]
		if d, err := t.matchLink(ctx, id, ok, `json_extract(doc,'$.links.geonames')=?`, p.Links.GeoNames); d != nil || err != nil {
			return d, err
		}
	}
	if p.Code != "" {
		return t.doc(ctx, `SELECT doc FROM places WHERE code=? ORDER BY id LIMIT 1`, p.Code)
	}
	return nil, nil
}

// matchLink returns the record of place id if it still satisfies cond on
// arg. A place that no longer does (written since with other links) sends
// the match to a scan of the store, which finds any other holder.
func (t *tx) matchLink(ctx context.Context, id int64, found bool, cond string, arg any) ([]byte, error) {
	if !found {
		return nil, nil
	}
	d, err := t.doc(ctx, `SELECT doc FROM places WHERE id=? AND `+cond, id, arg)
	if d != nil || err != nil {
		return d, err
	}
	return t.doc(ctx, `SELECT doc FROM places WHERE `+cond+` ORDER BY id LIMIT 1`, arg)
}

// doc runs a query of one record (nil when there is none).
func (t *tx) doc(ctx context.Context, q string, args ...any) ([]byte, error) {
	var doc []byte
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return doc, err
}

// noteLinks keeps the link index, once read, up to date with places
// written in the transaction.
func (t *tx) noteLinks(ws []gazetteer.PlaceWrite) {
	if t.links == nil {
		return
	}
	for _, pw := range ws {
		t.links.add(pw.Place.ID, pw.Place.Links)
	}
}
