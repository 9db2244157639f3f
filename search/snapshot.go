//go:build !js

package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"wumen/gazetteer"
)

// The snapshot (snapshotFile) holds every place's entry as Build made it, in
// a compact binary form: decoding JSON was most of opening a large index.
// The file is snapshotMagic (whose last byte is the version), then one
// record per place, each its length as a uvarint and its fields in the order
// of appendEntry; a record of length 0 ends the file, followed by the number
// of records as a uvarint. Strings and byte slices are a uvarint length and
// the bytes; integers are varints; floats are their 8 IEEE-754 bytes,
// little-endian. Opening splits the records into chunks and decodes them
// side by side; every string of an entry is a substring of the file's one
// string, so decoding allocates a few slabs per chunk, not a string per field.
const snapshotMagic = "wumen-places\x01"

// snapshotWriter writes the snapshot of a build.
type snapshotWriter struct {
	w   *bufio.Writer
	buf []byte
	n   uint64
}

func newSnapshotWriter(w *bufio.Writer) (*snapshotWriter, error) {
	_, err := w.WriteString(snapshotMagic)
	return &snapshotWriter{w: w}, err
}

// write appends the record of e.
func (s *snapshotWriter) write(e *entry) error {
	s.buf = appendEntry(s.buf[:0], e)
	var l [binary.MaxVarintLen64]byte
	if _, err := s.w.Write(l[:binary.PutUvarint(l[:], uint64(len(s.buf)))]); err != nil {
		return err
	}
	s.n++
	_, err := s.w.Write(s.buf)
	return err
}

// end writes the end mark and the count; the caller flushes.
func (s *snapshotWriter) end() error {
	b := binary.AppendUvarint([]byte{0}, s.n)
	_, err := s.w.Write(b)
	return err
}

const (
	snapPoint = 1 << iota
	snapBound
)

// appendEntry appends the fields of e; decodeEntry reads them back.
func appendEntry(b []byte, e *entry) []byte {
	b = binary.AppendVarint(b, e.ID)
	b = binary.AppendUvarint(b, uint64(len(e.Names)))
	for _, n := range e.Names {
		b = appendStr(appendStr(appendStr(appendStr(appendStr(b, n.Text), n.Kind), n.Start), n.End), n.Lang)
	}
	b = appendStr(appendStr(appendStr(appendStr(appendStr(b, e.Class), e.Subclass), string(e.Status)), e.Code), e.Level)
	b = binary.AppendUvarint(b, uint64(len(e.Admin)))
	for _, a := range e.Admin {
		b = appendStr(b, a)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Heritage)))
	for _, h := range e.Heritage {
		b = appendStr(appendStr(b, h.List), h.Level)
		b = binary.AppendVarint(b, int64(h.Year))
		b = appendStr(b, h.Note)
	}
	b = appendFloat(b, e.Rank)
	b = appendStr(b, e.Pinyin)
	var flags byte
	if e.Point != nil {
		flags |= snapPoint
	}
	if e.Bound != nil {
		flags |= snapBound
	}
	b = append(b, flags)
	if e.Point != nil {
		b = appendFloat(appendFloat(b, e.Point[0]), e.Point[1])
	}
	if e.Bound != nil {
		b = appendFloat(appendFloat(appendFloat(appendFloat(b, e.Bound.Min[0]), e.Bound.Min[1]), e.Bound.Max[0]), e.Bound.Max[1])
	}
	return appendStr(b, string(e.Area))
}

// slabs hand out the entries of a chunk and their slices from a few large
// allocations.
type slabs struct {
	entries []entry
	names   []nameRec
	strs    []string
	points  []orb.Point
	bounds  []orb.Bound
}

func (sl *slabs) entry() *entry            { return &take(&sl.entries, 1, 256)[0] }
func (sl *slabs) nameRecs(n int) []nameRec { return take(&sl.names, n, 512) }
func (sl *slabs) strings(n int) []string   { return take(&sl.strs, n, 1024) }

// decodeEntry reads the record r holds.
func decodeEntry(r *snapReader, sl *slabs) *entry {
	e := sl.entry()
	e.ID = r.varint("id")
	if n := r.count("names"); n > 0 {
		e.Names = sl.nameRecs(n)
		for i := range e.Names {
			e.Names[i] = nameRec{Text: r.str("name text"), Kind: r.str("name kind"), Start: r.str("name start"), End: r.str("name end"), Lang: r.str("name lang")}
		}
	}
	e.Class, e.Subclass, e.Status = r.str("class"), r.str("subclass"), gazetteer.Status(r.str("status"))
	e.Code, e.Level = r.str("code"), r.str("level")
	if n := r.count("admin"); n > 0 {
		e.Admin = sl.strings(n)
		for i := range e.Admin {
			e.Admin[i] = r.str("admin")
		}
	}
	if n := r.count("heritage"); n > 0 {
		e.Heritage = make([]gazetteer.Heritage, n)
		for i := range e.Heritage {
			e.Heritage[i] = gazetteer.Heritage{List: r.str("heritage list"), Level: r.str("heritage level"), Year: int(r.varint("heritage year")), Note: r.str("heritage note")}
		}
	}
	e.Rank = r.float("rank")
	e.Pinyin = r.str("pinyin")
	if r.err == nil && r.at < len(r.s) {
		f := r.s[r.at]
		r.at++
		if f&snapPoint != 0 {
			e.Point = &take(&sl.points, 1, 256)[0]
			*e.Point = orb.Point{r.float("point"), r.float("point")}
		}
		if f&snapBound != 0 {
			e.Bound = &take(&sl.bounds, 1, 64)[0]
			*e.Bound = orb.Bound{Min: orb.Point{r.float("bound"), r.float("bound")}, Max: orb.Point{r.float("bound"), r.float("bound")}}
		}
	} else {
		r.fail("flags", errShort)
	}
	if a := r.str("area"); a != "" {
		e.Area = []byte(a)
		e.area, _ = wkb.Unmarshal(e.Area)
	}
	if r.err == nil && r.at != len(r.s) {
		r.fail("area", fmt.Errorf("%d bytes left over", len(r.s)-r.at))
	}
	return e
}

// snapChunk is a run of records of the file: [from, to) in bytes, the
// first being record number first.
type snapChunk struct {
	from, to, first int
}

// splitSnapshot checks the file's frame (the magic, every record's length,
// the end mark and the count) and splits its records into about n chunks.
func splitSnapshot(data string, n int) ([]snapChunk, int, error) {
	if len(data) < len(snapshotMagic) || data[:len(snapshotMagic)] != snapshotMagic {
		return nil, 0, fmt.Errorf("search: %s: not a snapshot of this version (want %q at the start)", snapshotFile, snapshotMagic)
	}
	per := max(1, (len(data)-len(snapshotMagic))/max(1, n))
	var chunks []snapChunk
	r := snapReader{s: data, at: len(snapshotMagic)}
	cur := snapChunk{from: r.at}
	records := 0
	for {
		start := r.at
		l := r.count("length")
		if r.err != nil {
			return nil, 0, fmt.Errorf("search: %s: record %d at byte %d: %s: %w (the file is damaged: rebuild the index)", snapshotFile, records, start, r.field, r.err)
		}
		if l == 0 {
			cur.to = start
			break
		}
		r.at += l
		records++
		if r.at-cur.from >= per {
			cur.to = r.at
			chunks = append(chunks, cur)
			cur = snapChunk{from: r.at, first: records}
		}
	}
	if cur.to > cur.from {
		chunks = append(chunks, cur)
	}
	if c := r.uvarint("count"); r.err != nil || c != uint64(records) || r.at != len(data) {
		return nil, 0, fmt.Errorf("search: %s: the end mark says %d records after %d (byte %d of %d): the file is damaged: rebuild the index", snapshotFile, c, records, r.at, len(data))
	}
	return chunks, records, nil
}

// decodeChunk decodes the records of c.
func decodeChunk(data string, c snapChunk) ([]*entry, error) {
	var sl slabs
	var es []*entry
	r := snapReader{s: data, at: c.from}
	for k := c.first; r.at < c.to; k++ {
		start := r.at
		l := r.count("length")
		rec := snapReader{s: data[r.at : r.at+l]}
		r.at += l
		e := decodeEntry(&rec, &sl)
		if rec.err != nil {
			return nil, fmt.Errorf("search: %s: record %d at byte %d: %s: %w", snapshotFile, k, start, rec.field, rec.err)
		}
		es = append(es, e)
	}
	return es, nil
}

// loadSnapshot reads the places written by Build (the file mapped, m),
// decoding chunks of it on every core, and returns them in the file's order (the name
// table refers to them by position, loadNames) with the number of names of
// each.
func (ix *Index) loadSnapshot(m *mappings) ([]*entry, []uint16, error) {
	data, err := m.read(filepath.Join(ix.dir, snapshotFile))
	if err != nil {
		return nil, nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	chunks, records, err := splitSnapshot(data, 4*workers)
	if err != nil {
		return nil, nil, err
	}
	decoded := make([][]*entry, len(chunks))
	errs := make([]error, len(chunks))
	next := make(chan int, len(chunks))
	for i := range chunks {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				decoded[i], errs[i] = decodeChunk(data, chunks[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	ents := make([]*entry, 0, records)
	nnames := make([]uint16, 0, records)
	for _, es := range decoded {
		for _, e := range es {
			ents = append(ents, e)
			nnames = append(nnames, uint16(min(len(e.Names), math.MaxUint16)))
		}
	}
	return ents, nnames, nil
}

// placesOf maps the ids of ents to them.
func placesOf(ents []*entry) map[int64]*entry {
	places := make(map[int64]*entry, len(ents))
	for _, e := range ents {
		places[e.ID] = e
	}
	return places
}
