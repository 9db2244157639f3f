package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"wumen/gazetteer"
)

// The rows of a batch of places go in as multi-row INSERTs through
// statements prepared once per transaction and row count. Calling SQLite
// once per row and table was most of an import's time (BENCHMARKS.md,
// "Import").

// rowsPerInsert bounds the rows of one INSERT (17 columns × 256 rows stays
// far below SQLite's 32,766 bound variables).
const rowsPerInsert = 256

// bulkRecords is the size (one batch of the domain writer) from which a
// write that grows the store by at least half builds its secondary indexes
// after loading: sorting once is much cheaper than keeping randomly keyed
// indexes (names, pinyin) up to date row by row, and a store that small is
// re-indexed in milliseconds.
const bulkRecords = 512

// deferredIndexes are the indexes rebuilt after a bulk load: those of
// randomly ordered keys (the names and their readings). Those a write
// itself looks rows up by (ids, statistical codes, revisions of a place)
// are kept, and so are places_class and places_updated: a load adds to a
// few runs of equal keys (its categories, its one time), which stay in the
// page cache, where rebuilding them read the whole places table again, a
// second each at a million records.
var deferredIndexes = []string{"place_names_text", "place_names_toneless"}

// tableRows are the pending rows of one table, as the driver takes its
// arguments: each statement's numbered from 1 (modernc's bind finds the
// argument of a parameter by position only when they are so numbered).
type tableRows struct {
	table, cols, conflict string
	width                 int
	args                  []driver.NamedValue
	n                     int
	// row, when set, is the VALUES of one row (width parameters, plain ?:
	// modernc's bind looks up the name of every numbered ?NNN parameter in
	// a list it scans, quadratic in a statement of many rows).
	row string
}

func (t *tableRows) add(vals ...any) {
	per := rowsPerInsert * t.width // the arguments of one statement
	for _, v := range vals {
		t.args = append(t.args, driver.NamedValue{Ordinal: len(t.args)%per + 1, Value: driverValue(v)})
	}
	t.n++
}

// driverValue is v as a driver.Value, converted as database/sql converts
// an argument (which it did with reflection, for every one): the types rows
// hold directly, any other through driver.DefaultParameterConverter (a
// value it refuses is passed on for the driver to refuse).
func driverValue(v any) driver.Value {
	switch x := v.(type) {
	case nil, int64, float64, string, bool, []byte:
		return x
	case int:
		return int64(x)
	case float32:
		return float64(x)
	}
	if dv, err := driver.DefaultParameterConverter.ConvertValue(v); err == nil {
		return dv
	}
	return v
}

// placeRows writes the rows of places and their revisions into one
// transaction.
type placeRows struct {
	tx *sql.Tx
	// conn is tx's connection: the INSERTs of rows go to the driver's
	// statements on it, with their arguments made once as the driver takes
	// them (database/sql converted and copied every argument of every
	// statement again: a third of the bytes a bulk load allocated).
	conn  *sql.Conn
	stmts map[string]driver.Stmt

	places, names, admin, heritage, rtree, revisions tableRows
	cleared                                          []int64

	done     int      // places written
	stored   int64    // places in the store when the write began
	deferred []string // CREATE INDEX statements of indexes dropped for a bulk load
	// boxes are the R*Tree entries of a bulk load, packed into the tree
	// before the commit (packRTree), and packing says they are kept.
	boxes   []rtreeBox
	packing bool
}

func newPlaceRows(ctx context.Context, tx *sql.Tx, conn *sql.Conn) (*placeRows, error) {
	w := &placeRows{tx: tx, conn: conn, stmts: map[string]driver.Stmt{}}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM places`).Scan(&w.stored); err != nil {
		return nil, err
	}
	w.places = tableRows{table: "places", width: 17, cols: "(id,name,specific,generic,class,subclass,status,code,level,pinyin,toneless,has_geom,lon,lat,rank,updated,doc)",
		conflict: ` ON CONFLICT(id) DO UPDATE SET name=excluded.name, specific=excluded.specific, generic=excluded.generic, class=excluded.class,
		subclass=excluded.subclass, status=excluded.status, code=excluded.code, level=excluded.level, pinyin=excluded.pinyin,
		toneless=excluded.toneless, has_geom=excluded.has_geom, lon=excluded.lon, lat=excluded.lat, rank=excluded.rank,
		updated=excluded.updated, doc=excluded.doc`}
	w.names = tableRows{table: "place_names", width: 8}
	w.admin = tableRows{table: "place_admin", width: 2, conflict: " ON CONFLICT DO NOTHING"}
	w.heritage = tableRows{table: "place_heritage", width: 4, conflict: " ON CONFLICT DO NOTHING"}
	w.rtree = tableRows{table: "places_rtree", width: 5}
	// A revision's record after the change is the one just written to
	// places: it is not stored twice (see latestAfter).
	w.revisions = tableRows{table: "revisions", width: 5, cols: "(place_id, at, actor, reason, before, after)",
		row: "(?,?,?,?,?,'')"}
	return w, nil
}

func (w *placeRows) close() {
	w.conn.Raw(func(any) error {
		for _, st := range w.stmts {
			st.Close()
		}
		return nil
	})
}

// write queues the rows of each place and its revision and writes them.
func (w *placeRows) write(ctx context.Context, c gazetteer.Change, at string, ws []gazetteer.PlaceWrite) error {
	for _, pw := range ws {
		doc := string(pw.Doc)
		toneless := pw.Toneless
		if toneless == nil {
			toneless = gazetteer.TonelessNames(pw.Place)
		}
		w.queue(pw.Place, doc, toneless, pw.Before != nil)
		var before any
		if pw.Before != nil {
			before = string(pw.Before)
		}
		w.revisions.add(pw.Place.ID, at, c.Actor, c.Reason, before)
	}
	if err := w.writeRows(ctx); err != nil {
		return err
	}
	if len(w.boxes) >= maxPackedBoxes {
		if err := w.unpack(ctx); err != nil {
			return err
		}
	}
	w.done += len(ws)
	if w.deferred == nil && w.done >= bulkRecords && int64(w.done) >= w.stored/2 {
		return w.deferIndexes(ctx)
	}
	return nil
}

// queue queues the rows of the place's tables; an update first clears the
// place's rows of the derived tables.
func (w *placeRows) queue(p *gazetteer.Place, doc string, toneless []string, exists bool) {
	var lon, lat any
	hasGeom := 0
	if p.Label != nil {
		lon, lat = p.Label.Lon(), p.Label.Lat()
	}
	if p.Geometry != nil {
		hasGeom = 1
	}
	if exists {
		w.cleared = append(w.cleared, p.ID)
		if w.packing { // the place's box queued earlier in the load is gone
			w.boxes = append(w.boxes, rtreeBox{id: p.ID, gone: true})
		}
	}
	w.places.add(p.ID, p.Name, p.Specific, p.Generic, p.Category.Class, p.Category.Subclass, string(p.Status),
		p.Code, p.Level, p.Pinyin, toneless[0], hasGeom, lon, lat, p.Rank, p.Updated, doc)
	for i, n := range gazetteer.AllNames(p) {
		w.names.add(p.ID, i, n.Text, n.Script, n.Kind, n.Start, n.End, toneless[i])
	}
	for _, a := range p.Admin {
		w.admin.add(p.ID, a)
	}
	for _, h := range p.Heritage {
		w.heritage.add(p.ID, h.List, h.Level, h.Year)
	}
	if p.Geometry != nil {
		b := p.Geometry.Bound()
		if w.packing {
			w.boxes = append(w.boxes, boxOf(p.ID, b))
		} else {
			w.rtree.add(p.ID, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat())
		}
	}
}

// deferIndexes drops the deferred indexes for the rest of a bulk load,
// keeping their definitions to build them again before the commit, and
// keeps the R*Tree's new entries to pack the tree then (all in the one
// transaction: readers never see the store without them).
func (w *placeRows) deferIndexes(ctx context.Context) error {
	w.deferred = []string{}
	w.packing = true
	for _, name := range deferredIndexes {
		var def sql.NullString
		err := w.tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type='index' AND name=?`, name).Scan(&def)
		if err == sql.ErrNoRows || !def.Valid {
			continue
		} else if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
		w.deferred = append(w.deferred, def.String)
	}
	return nil
}

// maxPackedBoxes bounds the R*Tree entries a bulk load keeps in memory to
// pack (32 bytes each: 64 MiB), so that the heap stays bounded whatever the
// size of the file; a load with more puts them into the tree and goes on
// inserting, as SQLite's own R*Tree would.
var maxPackedBoxes = 1 << 21

// unpack inserts the kept entries into the R*Tree and stops keeping them.
func (w *placeRows) unpack(ctx context.Context) error {
	for _, b := range latest(w.boxes) {
		w.rtree.add(b.id, b.minLon, b.maxLon, b.minLat, b.maxLat)
	}
	w.boxes, w.packing = nil, false
	return w.insert(ctx, &w.rtree)
}

// buildIndexes builds the deferred indexes again and packs the R*Tree of
// a bulk load: the entries it holds (those written before the load's
// entries were kept, and those of places it did not write) and the load's.
func (w *placeRows) buildIndexes(ctx context.Context) error {
	if w.packing {
		stored, err := storedBoxes(ctx, w.tx)
		if err != nil {
			return err
		}
		// No place has entries in both: writing a place again deleted
		// its stored entry (writeRows).
		boxes := latest(append(w.boxes, stored...))
		w.boxes, w.packing = nil, false
		if err := packRTree(ctx, w.tx, boxes); err != nil {
			return fmt.Errorf("packing the R*Tree after the bulk load: %w", err)
		}
	}
	for _, def := range w.deferred {
		if _, err := w.tx.Exec(def); err != nil {
			return fmt.Errorf("rebuilding an index after the bulk load: %w", err)
		}
	}
	w.deferred = nil
	return nil
}

// writeRows clears what updates replace, then inserts the queued rows,
// places first (the other tables refer to them).
func (w *placeRows) writeRows(ctx context.Context) error {
	if len(w.cleared) > 0 {
		list, _ := json.Marshal(w.cleared)
		// The latest revision of a place about to be replaced gets its
		// record, still in places, before the new one overwrites it.
		for _, q := range []string{`UPDATE revisions SET after=(SELECT doc FROM places WHERE id=revisions.place_id)
			WHERE place_id IN (SELECT value FROM json_each(?)) AND after=''`,
			`DELETE FROM place_names WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM place_admin WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM place_heritage WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM places_rtree WHERE id IN (SELECT value FROM json_each(?))`} {
			if _, err := w.tx.ExecContext(ctx, q, string(list)); err != nil {
				return err
			}
		}
		w.cleared = w.cleared[:0]
	}
	for _, t := range []*tableRows{&w.places, &w.names, &w.admin, &w.heritage, &w.rtree, &w.revisions} {
		if err := w.insert(ctx, t); err != nil {
			return fmt.Errorf("writing %s: %w", t.table, err)
		}
	}
	return nil
}

// insert writes a table's queued rows, rowsPerInsert at a time.
func (w *placeRows) insert(ctx context.Context, t *tableRows) error {
	for start := 0; start < t.n; start += rowsPerInsert {
		n := min(rowsPerInsert, t.n-start)
		st, err := w.stmt(ctx, t, n)
		if err != nil {
			return err
		}
		args := t.args[start*t.width : (start+n)*t.width]
		if err := w.conn.Raw(func(any) error {
			_, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
			return err
		}); err != nil {
			return err
		}
	}
	clear(t.args)
	t.args, t.n = t.args[:0], 0
	return nil
}

// stmt returns the INSERT of n rows into t, prepared once per transaction.
func (w *placeRows) stmt(ctx context.Context, t *tableRows, n int) (driver.Stmt, error) {
	key := t.table + "/" + strconv.Itoa(n)
	if st, ok := w.stmts[key]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.table + t.cols + " VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", t.width), ",") + ")"
	if t.row != "" {
		one = t.row
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	b.WriteString(t.conflict)
	var st driver.Stmt
	if err := w.conn.Raw(func(dc any) (err error) {
		st, err = dc.(driver.ConnPrepareContext).PrepareContext(ctx, b.String())
		return err
	}); err != nil {
		return nil, err
	}
	w.stmts[key] = st
	return st, nil
}
