package gazetteer

import (
	"bytes"
	"context"
	"strconv"
)

// The batch writer behind PutAll and Import. Records are written a batch at
// a time: the stored records they update are read with one call a batch,
// and the batch's places and revisions go to the backend together (SQLite
// writes them as multi-row INSERTs; calling it once per row and table was
// most of an import's time, BENCHMARKS.md "Import"). What a write does to a
// record — create, update, nothing, or a conflict — is decided here, the
// same for every backend.

// batchSize is how many records a batch holds.
const batchSize = 512

// maxOutcomes bounds the outcomes a Report keeps, so that a report of a
// million-record import stays small; PutOptions.Outcome sees them all.
const maxOutcomes = 10000

// writer writes validated records into one transaction.
type writer struct {
	s        *Store
	ctx      context.Context
	tx       Tx
	c        Change
	opt      PutOptions
	now      string
	next     int64
	rep      *Report
	done     int
	batch    []Input
	batchIDs map[int64]bool
	out      []PlaceWrite
}

func (s *Store) newWriter(ctx context.Context, tx Tx, c Change, opt PutOptions) (*writer, error) {
	next, err := tx.NextID(ctx)
	if err != nil {
		return nil, err
	}
	return &writer{s: s, ctx: ctx, tx: tx, c: c, opt: opt, now: s.now().UTC().Format(TimeLayout), next: next,
		rep: &Report{}, batchIDs: map[int64]bool{}}, nil
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
	if len(w.out) > 0 {
		if err := w.tx.WritePlaces(w.ctx, w.c, w.now, w.out); err != nil {
			return err
		}
	}
	clear(w.out)
	w.out = w.out[:0]
	w.batch = w.batch[:0]
	clear(w.batchIDs)
	return nil
}

// lookup reads the stored records of the batch's ids in one call. Ids at
// or above the next free id cannot exist and are not asked for.
func (w *writer) lookup() (map[int64][]byte, error) {
	var ids []int64
	for _, r := range w.batch {
		if id := r.Place.ID; id != 0 && id < w.next {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return map[int64][]byte{}, nil
	}
	return w.tx.Stored(w.ctx, ids)
}

// before returns the stored record r updates: by id, or, with MatchLinks, by
// OSM id, GeoNames id or statistical code (nil for a new place).
func (w *writer) before(r Input, existing map[int64][]byte) (*Place, error) {
	p := r.Place
	var doc []byte
	switch {
	case p.ID != 0:
		doc = existing[p.ID]
	case w.opt.MatchLinks:
		var err error
		if doc, err = w.tx.Match(w.ctx, p); err != nil {
			return nil, At(err, r.Where)
		}
	}
	if doc == nil {
		return nil, nil // an explicit new id is a new place
	}
	return DecodeDoc(doc)
}

// record decides what one record does (create, update, nothing) and queues
// its write.
func (w *writer) record(r Input, existing map[int64][]byte) error {
	p := r.Place
	before, err := w.before(r, existing)
	if err != nil {
		return err
	}
	want := r.IfUpdated
	if want == "" {
		want = w.opt.IfUpdated
	}
	if want != "" && (before == nil || before.Updated != want) {
		return staleWrite(p.ID, before)
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
		if act == Created && r.doc != nil {
			// encodeAhead stamped it
		} else if act == Updated || p.Updated == "" {
			p.Updated = w.now
		} else if p.Updated, err = normalTime(p.Updated); err != nil {
			return At(err, r.Where)
		}
		var doc []byte
		if act == Created && r.doc != nil {
			doc = withID(r.doc, r.docID, p.ID)
		}
		if doc == nil {
			doc = mustJSON(p)
		}
		w.out = append(w.out, PlaceWrite{Place: p, Doc: doc, Before: beforeDoc, Toneless: r.toneless})
	}
	w.count(act, Outcome{ID: p.ID, Name: p.Name, Action: act, Where: r.Where})
	return nil
}

// count adds one record's outcome to the report.
func (w *writer) count(act Action, o Outcome) {
	switch act {
	case Created:
		w.rep.Created++
	case Updated:
		w.rep.Updated++
	default:
		w.rep.Unchanged++
	}
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
}

// staleWrite is the conflict of a write made from a copy of place id older
// than before, the record the store holds.
func staleWrite(id int64, before *Place) error {
	if before == nil {
		return Errorf(EConflict, "place %d is not in the gazetteer any more; read it again", id)
	}
	return Errorf(EConflict, "place %d was changed by someone else at %s, after you read it: read it again, check their change and make yours on it", id, before.Updated)
}

// encodeAhead encodes a derived and validated record as the new place it
// most likely is, stamped as record would stamp it (with its own time in
// TimeLayout, else now), so that the writer, the one goroutine that feeds
// the backend, only has to encode updates. A record whose time does not
// parse is left to the writer, which reports it if it is a new place.
func encodeAhead(r *Input, now string) {
	p := r.Place
	if p.Updated == "" {
		p.Updated = now
	} else if t, err := normalTime(p.Updated); err == nil {
		p.Updated = t
	} else {
		return
	}
	r.doc, r.docID = mustJSON(p), p.ID
	r.toneless = TonelessNames(p)
}

// withID returns doc, the encoding of a place with id from, as that of the
// same place with id to: the id is the first member of the encoding. It
// returns nil when doc does not start as expected.
func withID(doc []byte, from, to int64) []byte {
	if from == to {
		return doc
	}
	head := strconv.AppendInt([]byte(`{"id":`), from, 10)
	if !bytes.HasPrefix(doc, head) {
		return nil
	}
	out := append(make([]byte, 0, len(doc)+20), `{"id":`...)
	out = strconv.AppendInt(out, to, 10)
	return append(out, doc[len(head):]...)
}
