//go:build !js

package search

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	bolterrors "go.etcd.io/bbolt/errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"wumen/gazetteer"
)

// indexFormat names the layout of an index directory (fields, files);
// Open refuses another, and the caller rebuilds from the store.
const indexFormat = "wumen-search 8\n"

// Files inside an index directory.
const (
	formatFile   = "format"        // indexFormat
	bleveDir     = "bleve"         // the bleve (scorch) index, one document per name
	snapshotFile = "places.jsonl"  // compact place records written by Build
	journalFile  = "journal.jsonl" // Upsert/Delete applied since Build
)

// batchSize is how many name documents go into one bleve batch while
// building (a variable so tests can build many batches from the small
// shipped dataset), and buildWorkers how many batches are indexed at once.
// At 1M names, 12,500 built about 15% faster than 25,000 or 50,000 (zap's
// per-segment maps stay in cache) for no slower queries once merged.
var batchSize = 12500

const buildWorkers = 2

// segmentConfig pins the segment format: zap v15 builds these documents
// (many small fields, no vectors or synonyms) about 15% faster than the
// default v17, and a smaller index; it is given at build and at every open so
// segments written later (Upsert) and merged segments use it too.
func segmentConfig(cfg map[string]interface{}) map[string]interface{} {
	cfg["forceSegmentType"] = "zap"
	cfg["forceSegmentVersion"] = 15
	return cfg
}

// buildConfig is the scorch configuration of a fresh build. unsafe_batch
// lets Batch return once the segment is introduced instead of waiting for
// the persister, so segment building overlaps persisting; buildAt then
// waits for every batch's persisted callback before closing (Close does not
// persist what is still in memory). In the merge plan, segments smaller
// than one batch count as one batch (the other options are the defaults).
// The config is saved with the index; open switches unsafe_batch off.
func buildConfig() map[string]interface{} {
	return segmentConfig(map[string]interface{}{
		"unsafe_batch": true,
		"scorchMergePlanOptions": map[string]interface{}{
			"FloorSegmentSize": int64(batchSize),
		},
	})
}

// newEntry extracts the compact record of p.
func newEntry(p *gazetteer.Place) *entry {
	e := &entry{
		ID: p.ID, Class: p.Category.Class, Subclass: p.Category.Subclass, Status: p.Status,
		Code: p.Code, Level: p.Level, Admin: p.Admin, Heritage: p.Heritage, Rank: p.Rank, Pinyin: p.Pinyin,
	}
	std := nameRec{Text: p.Name, Kind: gazetteer.KindStandard}
	seen := map[nameRec]bool{}
	if p.Name != "" {
		e.Names = append(e.Names, std)
		seen[nameRec{Text: p.Name, Kind: gazetteer.KindStandard}] = true
	}
	for _, n := range p.Names {
		if n.Script == gazetteer.ScriptPinyin || strings.TrimSpace(n.Text) == "" {
			continue // romanizations are indexed from the characters
		}
		if n.Text == p.Name && (n.Kind == gazetteer.KindStandard || n.Kind == "") {
			e.Names[0].Start, e.Names[0].End = n.Start, n.End
			continue
		}
		r := nameRec{Text: n.Text, Kind: n.Kind, Start: n.Start, End: n.End, Lang: n.Lang}
		if r.Kind == "" {
			r.Kind = gazetteer.KindAlias
		}
		if seen[nameRec{Text: r.Text, Kind: r.Kind}] {
			continue
		}
		seen[nameRec{Text: r.Text, Kind: r.Kind}] = true
		e.Names = append(e.Names, r)
	}
	switch {
	case p.Label != nil:
		pt := *p.Label
		e.Point = &pt
	case p.Geometry != nil:
		pt := centre(p.Geometry)
		e.Point = &pt
	}
	if p.Geometry != nil {
		b := p.Geometry.Bound()
		e.Bound = &b
		switch g := p.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
			e.area = g
			e.Area, _ = wkb.Marshal(g)
		}
	}
	return e
}

// centre is a representative point of a geometry: the point itself, the
// middle vertex of a line, or the centre of the bound otherwise.
func centre(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2]
		}
	}
	return g.Bound().Center()
}

var (
	textOpts  = index.IndexField
	facetOpts = index.IndexField | index.DocValues
)

// documents appends the bleve documents of e, one per name; nts are the
// names' tokens and facets e's facet terms.
func (e *entry) documents(docs []*document.Document, nts []nameTokens, facets []string, pool *termPool) []*document.Document {
	filt := append(append(make([]string, 0, len(facets)+8), facets...), e.filterTerms()...)
	for k, n := range e.Names {
		d := document.NewDocument(docID(e.ID, k))
		field := func(name string, opts index.FieldIndexingOptions, terms []string) {
			if len(terms) > 0 {
				d.AddField(pool.field(name, opts, terms))
			}
		}
		field(fText, textOpts, nts[k].text)
		field(fEnglish, textOpts, nts[k].english)
		f := filt
		if from, to, dated := nameYears(n.Start, n.End); dated {
			d.AddField(document.NewNumericFieldWithIndexingOptions(fYearFrom, nil, float64(from), textOpts))
			d.AddField(document.NewNumericFieldWithIndexingOptions(fYearTo, nil, float64(to), textOpts))
		} else {
			f = append(f[:len(f):len(f)], fpUndated)
		}
		field(fFilter, facetOpts, f)
		docs = append(docs, d)
	}
	return docs
}

// indexMapping describes the fields for bleve (queries are built from term
// queries on these fields; documents are added pre-analysed, see documents).
func indexMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.DefaultAnalyzer = keyword.Name
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fText, fEnglish, fFilter} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = keyword.Name // never used: fields come pre-analysed (termField), queries are terms
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = f == fFilter
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{fYearFrom, fYearTo} {
		fm := bleve.NewNumericFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f, fm)
	}
	im.DefaultMapping = dm
	return im
}

// built is what a build hands to open besides the bleve index.
type built struct {
	places map[int64]*entry
	hot    map[string]*hotList
	names  *nameTable
	syl    *syllableIndex
}

// Build builds a fresh index of every place each yields into dir. It builds
// aside, in dir+".tmp-<time>", and only when that is complete replaces dir
// (rename aside, rename in, remove the old one), so a failed build leaves the
// previous index untouched. Open handles of an index previously at dir keep
// working until closed. each must call its argument once per place; an error
// from it (or from each) aborts the build.
func Build(dir string, each func(func(*gazetteer.Place) error) error) (*Index, error) {
	dir = filepath.Clean(dir)
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	tmp := dir + ".tmp-" + stamp
	b, err := buildAt(tmp, each)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	old := dir + ".old-" + stamp
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return nil, err
	}
	os.RemoveAll(old)
	return open(dir, b)
}

// buildChunk is how many places the reading goroutine hands a build worker
// at a time.
const buildChunk = 256

// buildWorker tokenizes places, fills bleve batches and indexes them (each
// batch becomes a segment), and collects its share of the hot lists and of
// the name table. Workers run side by side; reading the places, the
// snapshot and the final merges are the only serial parts.
type buildWorker struct {
	bi    bleve.Index
	hot   *hotBuilder
	names itemList   // the name table's part of this worker, while building
	items []nameItem // and sorted, when done
	batch *bleve.Batch
	docs  []*document.Document
	pool  termPool
	err   error

	persisted *sync.WaitGroup
	perr      func(error)
}

func (w *buildWorker) run(chunks <-chan []*entry) {
	for chunk := range chunks {
		for _, e := range chunk {
			if w.err != nil {
				break
			}
			nts := e.tokens()
			facets := e.facetTerms()
			for k, nt := range nts {
				w.hot.add(e, k, nt, facets)
				w.names.add(e, k, nt)
			}
			w.docs = e.documents(w.docs[:0], nts, facets, &w.pool)
			for _, d := range w.docs {
				if err := w.batch.IndexAdvanced(d); err != nil {
					w.err = err
				}
			}
			if w.batch.Size() >= batchSize {
				w.flush()
			}
		}
	}
	if w.err == nil && w.batch.Size() > 0 {
		w.flush()
	}
	w.items = w.names.items() // sorted: the name table merges the parts
}

// flush hands the batch to bleve and starts a new one.
func (w *buildWorker) flush() {
	b := w.batch
	w.batch = w.bi.NewBatch()
	w.persisted.Add(1)
	b.SetPersistedCallback(func(err error) {
		if err != nil {
			w.perr(err)
		}
		w.persisted.Done()
	})
	if w.err = w.bi.Batch(b); w.err != nil {
		w.persisted.Done() // never introduced: no callback
	}
	w.pool.recycle()
}

func buildAt(tmp string, each func(func(*gazetteer.Place) error) error) (b *built, err error) {
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, formatFile), []byte(indexFormat), 0o644); err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing(filepath.Join(tmp, bleveDir), indexMapping(), scorch.Name, scorch.Name, buildConfig())
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := bi.Close(); err == nil {
			err = cerr
		}
	}()
	f, err := os.Create(filepath.Join(tmp, snapshotFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(bw)

	var persisted sync.WaitGroup // one per batch handed to bleve (unsafe_batch)
	var perrMu sync.Mutex
	var perr error
	chunks := make(chan []*entry, 2*buildWorkers)
	workers := make([]*buildWorker, buildWorkers)
	var running sync.WaitGroup
	for i := range workers {
		w := &buildWorker{bi: bi, hot: newHotBuilder(buildWorkers), batch: bi.NewBatch(), persisted: &persisted,
			perr: func(e error) { perrMu.Lock(); perr = errors.Join(perr, e); perrMu.Unlock() }}
		workers[i] = w
		running.Add(1)
		go func() {
			defer running.Done()
			w.run(chunks)
		}()
	}
	places := map[int64]*entry{}
	chunk := make([]*entry, 0, buildChunk)
	err = each(func(p *gazetteer.Place) error {
		if p == nil || places[p.ID] != nil {
			return fmt.Errorf("search: nil or repeated place %v", p)
		}
		e := newEntry(p)
		places[p.ID] = e
		if err := enc.Encode(e); err != nil {
			return err
		}
		if chunk = append(chunk, e); len(chunk) == buildChunk {
			chunks <- chunk
			chunk = make([]*entry, 0, buildChunk)
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		chunks <- chunk
	}
	close(chunks)
	running.Wait()
	for _, w := range workers {
		if err == nil {
			err = w.err
		}
	}
	if err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	// Three tails side by side: the name table, its file, and the hot
	// lists with the syllable index; meanwhile bleve's persister writes
	// the last segments (waited for below).
	b = &built{places: places, syl: newSyllableIndex(), names: newNameTable()}
	hbs := make([]*hotBuilder, len(workers))
	parts := make([][]nameItem, len(workers))
	for i, w := range workers {
		hbs[i], parts[i] = w.hot, w.items
	}
	var tails sync.WaitGroup
	var nerr error
	tails.Go(func() { b.names.load(parts) })
	tails.Go(func() { nerr = saveNames(tmp, parts) })
	b.hot = mergeHot(hbs)
	for _, h := range hbs {
		for _, t := range h.terms {
			b.syl.addTerm(t)
		}
	}
	herr := errors.Join(saveHot(tmp, b.hot), saveSyllables(tmp, b.syl))
	tails.Wait()
	persisted.Wait()
	if err := errors.Join(nerr, herr, perr); err != nil {
		return nil, err
	}
	return b, f.Sync()
}

// disk is what a server's index keeps in its directory.
type disk struct {
	dir     string
	bi      bleve.Index
	journal *os.File
	closed  bool
}

// journalOp is one line of the journal.
type journalOp struct {
	Op    string `json:"op"` // upsert, delete
	ID    int64  `json:"id"`
	Entry *entry `json:"e,omitempty"`
}

// ErrBusy is returned by Open when another process has the index open.
var ErrBusy = errors.New("search: the index is open in another process (a running server)")

// Open opens an index built by Build, replaying the journal of changes made
// since.
func Open(dir string) (*Index, error) {
	return open(dir, nil)
}

// open opens the index at dir; b, when given, is what was just built there
// and is not read back from disk.
func open(dir string, b *built) (*Index, error) {
	if f, err := os.ReadFile(filepath.Join(dir, formatFile)); err != nil || string(f) != indexFormat {
		return nil, fmt.Errorf("search: %s is not an index of this version (format %q, want %q): rebuild it", dir, f, indexFormat)
	}
	// The build's unsafe_batch is saved in the index config; Upsert and
	// Delete must wait for persistence, so it is switched off here.
	// Another process (a running server) holding the index is said as
	// ErrBusy after a short wait, never waited on for ever.
	bi, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), segmentConfig(map[string]interface{}{"unsafe_batch": false, "bolt_timeout": "3s"}))
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrBusy
	} else if err != nil {
		return nil, err
	}
	ix := &Index{disk: disk{dir: dir, bi: bi}, text: bleveText{bi}, codes: map[string]string{}, adminOf: map[string]adminRef{}}
	if b == nil {
		ix.places = map[int64]*entry{}
		err = ix.load()
	} else {
		ix.places, ix.hot, ix.names, ix.syl = b.places, b.hot, b.names, b.syl
		ix.index()
	}
	if err != nil {
		bi.Close()
		return nil, err
	}
	if err := repairJournal(dir); err != nil {
		bi.Close()
		return nil, err
	}
	ix.journal, err = os.OpenFile(filepath.Join(dir, journalFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		bi.Close()
		return nil, err
	}
	return ix, nil
}

func (ix *Index) load() error {
	read := func(name string, line func([]byte) error) error {
		f, err := os.Open(filepath.Join(ix.dir, name))
		if errors.Is(err, os.ErrNotExist) && name == journalFile {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<28)
		for sc.Scan() {
			if err := line(sc.Bytes()); err != nil {
				return fmt.Errorf("search: %s: %w", name, err)
			}
		}
		return sc.Err()
	}
	// The snapshot is decoded by a few goroutines (JSON decoding is most of
	// opening a large index); lines are handed out in chunks.
	chunks := make(chan [][]byte, 4)
	decoded := make(chan []*entry, 4)
	var decoders sync.WaitGroup
	var derr error
	var derrOnce sync.Once
	for range runtime.GOMAXPROCS(0) {
		decoders.Go(func() {
			for chunk := range chunks {
				es := make([]*entry, 0, len(chunk))
				for _, b := range chunk {
					e := new(entry)
					if err := json.Unmarshal(b, e); err != nil {
						derrOnce.Do(func() { derr = fmt.Errorf("search: %s: %w", snapshotFile, err) })
						break
					}
					es = append(es, e)
				}
				decoded <- es
			}
		})
	}
	collected := make(chan struct{})
	go func() {
		for es := range decoded {
			for _, e := range es {
				ix.places[e.ID] = e
			}
		}
		close(collected)
	}()
	var chunk [][]byte
	err := read(snapshotFile, func(b []byte) error {
		if chunk = append(chunk, bytes.Clone(b)); len(chunk) == 1024 {
			chunks <- chunk
			chunk = nil
		}
		return nil
	})
	if len(chunk) > 0 {
		chunks <- chunk
	}
	close(chunks)
	decoders.Wait()
	close(decoded)
	<-collected
	if err = errors.Join(err, derr); err != nil {
		return err
	}
	if ix.hot, err = loadHot(ix.dir, ix.places); err != nil {
		return err
	}
	if ix.names, err = loadNames(ix.dir, ix.places); err != nil {
		return err
	}
	if ix.syl, err = loadSyllables(ix.dir); err != nil {
		return err
	}
	err = read(journalFile, func(b []byte) error {
		var op journalOp
		if err := json.Unmarshal(b, &op); err != nil {
			return nil // a torn last line after a crash: the index is derived, ignore it
		}
		old := ix.places[op.ID]
		if op.Op == "upsert" && op.Entry != nil {
			ix.places[op.ID] = op.Entry
			ix.relink(old, op.Entry)
		} else {
			delete(ix.places, op.ID)
			ix.relink(old, nil)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range ix.places {
		if len(e.Area) > 0 {
			e.area, _ = wkb.Unmarshal(e.Area)
		}
	}
	ix.index()
	return nil
}

// relink replaces old (nil for a new place) by e (nil for a deleted place)
// in the name table, the hot lists and the syllable index.
func (ix *Index) relink(old, e *entry) {
	if old != nil {
		nts := old.tokens()
		var items []nameItem
		for k, nt := range nts {
			items = nameItems(items, old, k, nt)
		}
		ix.names.remove(items)
		ix.hotRemove(old, nts)
	}
	if e != nil {
		nts := e.tokens()
		var items []nameItem
		for k, nt := range nts {
			items = nameItems(items, e, k, nt)
			for _, t := range nt.text {
				ix.syl.addTerm(t)
			}
		}
		ix.names.add(items)
		ix.hotAdd(e, nts)
	}
}

func (ix *Index) removeMeta(e *entry) {
	ix.spatial.remove(e)
	if e.Code != "" && ix.codes[e.Code] == e.Names[0].Text {
		delete(ix.codes, e.Code)
		for k, a := range ix.adminOf {
			if a.id == e.ID {
				delete(ix.adminOf, k)
			}
		}
	}
}

// Upsert adds p to the index or replaces the place with its ID.
func (ix *Index) Upsert(p *gazetteer.Place) error {
	e := newEntry(p)
	nts := e.tokens()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	batch := ix.bi.NewBatch()
	old := ix.places[p.ID]
	if old != nil {
		for k := range old.Names {
			batch.Delete(docID(old.ID, k))
		}
	}
	for _, d := range e.documents(nil, nts, e.facetTerms(), nil) {
		if err := batch.IndexAdvanced(d); err != nil {
			return err
		}
	}
	if err := ix.bi.Batch(batch); err != nil {
		return err
	}
	if old != nil {
		ix.removeMeta(old)
	}
	ix.places[p.ID] = e
	ix.relink(old, e)
	ix.addMeta(e)
	return ix.log(journalOp{Op: "upsert", ID: p.ID, Entry: e})
}

// Delete removes the place with this ID from the index (the store keeps it;
// a cancelled place is normally upserted with its new status instead).
func (ix *Index) Delete(id int64) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.places[id]
	if old == nil {
		return nil
	}
	batch := ix.bi.NewBatch()
	for k := range old.Names {
		batch.Delete(docID(id, k))
	}
	if err := ix.bi.Batch(batch); err != nil {
		return err
	}
	ix.removeMeta(old)
	ix.relink(old, nil)
	delete(ix.places, id)
	return ix.log(journalOp{Op: "delete", ID: id})
}

func (ix *Index) log(op journalOp) error {
	b, err := json.Marshal(op)
	if err != nil {
		return err
	}
	_, err = ix.journal.Write(append(b, '\n'))
	return err
}

// Close closes the index. Closing it again does nothing.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	err := ix.text.close()
	if ix.journal != nil {
		if jerr := ix.journal.Close(); err == nil {
			err = jerr
		}
	}
	return err
}
