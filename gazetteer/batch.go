package gazetteer

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"wumen/gazetteer/romanize"
)

// The batch writer behind PutAll and Import. Records are written a batch at
// a time: the stored records they update are read with one query a batch,
// and the rows of every table go in as multi-row INSERTs through statements
// prepared once per transaction and row count. Calling SQLite once per row
// and table was most of an import's time (BENCHMARKS.md, "Import").

// batchSize is how many records a batch holds; rowsPerInsert bounds the
// rows of one INSERT (17 columns × 256 rows stays far below SQLite's
// 32,766 bound variables).
const (
	batchSize     = 512
	rowsPerInsert = 256
)

// maxOutcomes bounds the outcomes a Report keeps, so that a report of a
// million-record import stays small; PutOptions.Outcome sees them all.
const maxOutcomes = 10000

// importCacheKiB is the SQLite page cache of an import's connection: the
// indexes of a growing store stay in memory while it is written (SQLite's
// own allocation, outside the Go heap), reset to the default afterwards.
const importCacheKiB = 64 << 10

// tableRows are the pending rows of one table.
type tableRows struct {
	table, cols, conflict string
	width                 int
	args                  []any
	n                     int
}

func (t *tableRows) add(vals ...any) {
	t.args = append(t.args, vals...)
	t.n++
}

// writer writes validated records into one transaction.
type writer struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	c        Change
	opt      PutOptions
	now      string
	next     int64
	rep      *Report
	done     int
	written  []*Place // places written, for the watchers after the commit
	batch    []Input
	batchIDs map[int64]bool
	stmts    map[string]*sql.Stmt
	byID     *sql.Stmt // one record by id (link matching)

	places, names, admin, heritage, rtree, revisions tableRows
	cleared                                          []int64

	stored   int64    // places in the store when the write began
	deferred []string // CREATE INDEX statements of indexes dropped for a bulk load
}

// bulkRecords is the size from which an import that at least doubles the
// store by half builds its secondary indexes after loading: sorting once is
// much cheaper than keeping randomly keyed indexes (names, pinyin) up to
// date row by row.
const bulkRecords = 20000

// deferredIndexes are the indexes rebuilt after a bulk load. Those a write
// itself looks rows up by (ids, statistical codes, revisions of a place)
// are kept.
var deferredIndexes = []string{"places_class", "places_updated", "places_name", "places_toneless",
	"place_names_text", "place_names_toneless", "place_admin_code", "place_heritage_list"}

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx, c Change, opt PutOptions) (*writer, error) {
	var maxID sql.NullInt64
	var stored int64
	if err := tx.QueryRowContext(ctx, `SELECT max(id), count(*) FROM places`).Scan(&maxID, &stored); err != nil {
		return nil, err
	}
	st, err := tx.PrepareContext(ctx, `SELECT doc FROM places WHERE id=?`)
	if err != nil {
		return nil, err
	}
	w := &writer{s: s, ctx: ctx, tx: tx, c: c, opt: opt, now: s.now().UTC().Format(TimeLayout), next: maxID.Int64 + 1,
		rep: &Report{}, batchIDs: map[int64]bool{}, stmts: map[string]*sql.Stmt{}, byID: st, stored: stored}
	w.places = tableRows{table: "places", width: 17, cols: "(id,name,specific,generic,class,subclass,status,code,level,pinyin,toneless,has_geom,lon,lat,rank,updated,doc)",
		conflict: ` ON CONFLICT(id) DO UPDATE SET name=excluded.name, specific=excluded.specific, generic=excluded.generic, class=excluded.class,
		subclass=excluded.subclass, status=excluded.status, code=excluded.code, level=excluded.level, pinyin=excluded.pinyin,
		toneless=excluded.toneless, has_geom=excluded.has_geom, lon=excluded.lon, lat=excluded.lat, rank=excluded.rank,
		updated=excluded.updated, doc=excluded.doc`}
	w.names = tableRows{table: "place_names", width: 8}
	w.admin = tableRows{table: "place_admin", width: 2, conflict: " ON CONFLICT DO NOTHING"}
	w.heritage = tableRows{table: "place_heritage", width: 4, conflict: " ON CONFLICT DO NOTHING"}
	w.rtree = tableRows{table: "places_rtree", width: 5}
	w.revisions = tableRows{table: "revisions", width: 6, cols: "(place_id, at, actor, reason, before, after)"}
	return w, nil
}

func (w *writer) close() {
	w.byID.Close()
	for _, st := range w.stmts {
		st.Close()
	}
}

// add queues a validated record, writing the batch when it is full. A
// record whose id is already queued flushes the batch first, so that it is
// written as an update of the queued one.
func (w *writer) add(r Input) error {
	if id := r.Place.ID; id != 0 && w.batchIDs[id] {
		if err := w.flush(); err != nil {
			return err
		}
	}
	w.batch = append(w.batch, r)
	if r.Place.ID != 0 {
		w.batchIDs[r.Place.ID] = true
	}
	if len(w.batch) >= batchSize {
		return w.flush()
	}
	return nil
}

// flush writes the queued records.
func (w *writer) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	existing, err := w.lookup()
	if err != nil {
		return err
	}
	for _, r := range w.batch {
		if err := w.record(r, existing); err != nil {
			return err
		}
	}
	if err := w.writeRows(); err != nil {
		return err
	}
	w.batch = w.batch[:0]
	clear(w.batchIDs)
	if w.deferred == nil && w.done >= bulkRecords && int64(w.done) >= w.stored/2 {
		return w.deferIndexes()
	}
	return nil
}

// deferIndexes drops the deferred indexes for the rest of a bulk load,
// keeping their definitions to build them again before the commit (all in
// the one transaction: readers never see the store without them).
func (w *writer) deferIndexes() error {
	w.deferred = []string{}
	for _, name := range deferredIndexes {
		var def sql.NullString
		err := w.tx.QueryRowContext(w.ctx, `SELECT sql FROM sqlite_master WHERE type='index' AND name=?`, name).Scan(&def)
		if err == sql.ErrNoRows || !def.Valid {
			continue
		} else if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(w.ctx, `DROP INDEX `+name); err != nil {
			return err
		}
		w.deferred = append(w.deferred, def.String)
	}
	return nil
}

// buildIndexes builds the deferred indexes again.
func (w *writer) buildIndexes() error {
	for _, def := range w.deferred {
		if _, err := w.tx.ExecContext(w.ctx, def); err != nil {
			return fmt.Errorf("rebuilding an index after the bulk load: %w", err)
		}
	}
	w.deferred = nil
	return nil
}

// lookup reads the stored records of the batch's ids in one query. Ids at
// or above the next free id cannot exist and are not asked for.
func (w *writer) lookup() (map[int64]string, error) {
	var ids []int64
	for _, r := range w.batch {
		if id := r.Place.ID; id != 0 && id < w.next {
			ids = append(ids, id)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(ids)
	rows, err := w.tx.QueryContext(w.ctx, `SELECT id, doc FROM places WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		out[id] = doc
	}
	return out, rows.Err()
}

// record decides what one record does (create, update, nothing) and queues
// its rows.
func (w *writer) record(r Input, existing map[int64]string) error {
	p := r.Place
	var before *Place
	if doc, ok := existing[p.ID]; ok && p.ID != 0 {
		b, err := decodeDoc(doc)
		if err != nil {
			return err
		}
		before = b
	} else if p.ID == 0 && w.opt.MatchLinks {
		b, err := w.s.findExisting(w.ctx, w.tx, w.byID, p, true)
		if err != nil {
			return At(err, r.Where)
		}
		before = b
	}
	if w.opt.ifUpdated != "" && (before == nil || before.Updated != w.opt.ifUpdated) {
		return Errorf(EConflict, "place %d changed since it was read; try again", p.ID)
	}
	if before != nil {
		p.ID = before.ID
	} else if p.ID == 0 {
		p.ID = w.next
	}
	if p.ID >= w.next {
		w.next = p.ID + 1
	}
	act := Created
	var beforeDoc []byte
	if before != nil {
		beforeDoc = mustJSON(before)
		p.Updated = before.Updated
		if bytes.Equal(beforeDoc, mustJSON(p)) {
			act = Unchanged
		} else {
			act = Updated
		}
	}
	if act != Unchanged {
		// A new record keeps the time it carries (an export's last
		// revision, so export → import → export is lossless); a change is
		// stamped now.
		var err error
		if act == Updated || p.Updated == "" {
			p.Updated = w.now
		} else if p.Updated, err = normalTime(p.Updated); err != nil {
			return At(err, r.Where)
		}
		doc := string(mustJSON(p))
		w.queueRows(p, doc, before != nil)
		var bd any
		if beforeDoc != nil {
			bd = string(beforeDoc)
		}
		w.revisions.add(p.ID, w.now, w.c.Actor, w.c.Reason, bd, doc)
		if len(w.s.watchers) > 0 {
			w.written = append(w.written, p)
		}
	}
	switch act {
	case Created:
		w.rep.Created++
	case Updated:
		w.rep.Updated++
	default:
		w.rep.Unchanged++
	}
	o := Outcome{ID: p.ID, Name: p.Name, Action: act, Where: r.Where}
	if len(w.rep.Outcomes) < maxOutcomes {
		w.rep.Outcomes = append(w.rep.Outcomes, o)
	}
	if w.opt.Outcome != nil {
		w.opt.Outcome(o)
	}
	w.done++
	if w.opt.Progress != nil {
		w.opt.Progress(w.done)
	}
	return nil
}

// queueRows queues the rows of the place's tables; an update first clears
// the place's rows of the derived tables.
func (w *writer) queueRows(p *Place, doc string, exists bool) {
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
	}
	w.places.add(p.ID, p.Name, p.Specific, p.Generic, p.Category.Class, p.Category.Subclass, string(p.Status),
		p.Code, p.Level, p.Pinyin, romanize.Toneless(p.Name), hasGeom, lon, lat, p.Rank, p.Updated, doc)
	for i, n := range AllNames(p) {
		w.names.add(p.ID, i, n.Text, n.Script, n.Kind, n.Start, n.End, romanize.Toneless(n.Text))
	}
	for _, a := range p.Admin {
		w.admin.add(p.ID, a)
	}
	for _, h := range p.Heritage {
		w.heritage.add(p.ID, h.List, h.Level, h.Year)
	}
	if p.Geometry != nil {
		b := p.Geometry.Bound()
		w.rtree.add(p.ID, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat())
	}
}

// writeRows clears what updates replace, then inserts the queued rows,
// places first (the other tables refer to them).
func (w *writer) writeRows() error {
	if len(w.cleared) > 0 {
		list, _ := json.Marshal(w.cleared)
		for _, q := range []string{`DELETE FROM place_names WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM place_admin WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM place_heritage WHERE place_id IN (SELECT value FROM json_each(?))`,
			`DELETE FROM places_rtree WHERE id IN (SELECT value FROM json_each(?))`} {
			if _, err := w.tx.ExecContext(w.ctx, q, string(list)); err != nil {
				return err
			}
		}
		w.cleared = w.cleared[:0]
	}
	for _, t := range []*tableRows{&w.places, &w.names, &w.admin, &w.heritage, &w.rtree, &w.revisions} {
		if err := w.insert(t); err != nil {
			return fmt.Errorf("writing %s: %w", t.table, err)
		}
	}
	return nil
}

// insert writes a table's queued rows, rowsPerInsert at a time.
func (w *writer) insert(t *tableRows) error {
	for start := 0; start < t.n; start += rowsPerInsert {
		n := min(rowsPerInsert, t.n-start)
		st, err := w.stmt(t, n)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(w.ctx, t.args[start*t.width:(start+n)*t.width]...); err != nil {
			return err
		}
	}
	clear(t.args)
	t.args, t.n = t.args[:0], 0
	return nil
}

// stmt returns the INSERT of n rows into t, prepared once per transaction.
func (w *writer) stmt(t *tableRows, n int) (*sql.Stmt, error) {
	key := t.table + "/" + strconv.Itoa(n)
	if st, ok := w.stmts[key]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.table + t.cols + " VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", t.width), ",") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	b.WriteString(t.conflict)
	st, err := w.tx.PrepareContext(w.ctx, b.String())
	if err != nil {
		return nil, err
	}
	w.stmts[key] = st
	return st, nil
}

// notify tells the watchers about every place written, after the commit.
func (w *writer) notify() {
	for _, p := range w.written {
		for _, fn := range w.s.watchers {
			fn(p)
		}
	}
}
