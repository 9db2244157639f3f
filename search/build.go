//go:build !js

package search

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"wumen/gazetteer"
)

// buildConfig is the scorch configuration of a fresh build. unsafe_batch
// lets Batch return once the segment is introduced instead of waiting for
// the persister, so segment building overlaps persisting; finish then
// waits for every batch's persisted callback before closing (Close does not
// persist what is still in memory). In the merge plan, segments smaller
// than one batch count as one batch (the other options are the defaults).
// The config is saved with the index; open switches unsafe_batch off.
func buildConfig(batchSize int) map[string]interface{} {
	return segmentConfig(map[string]interface{}{
		"unsafe_batch": true,
		"scorchMergePlanOptions": map[string]interface{}{
			"FloorSegmentSize": int64(batchSize),
		},
	})
}

// built is what a build hands to open besides the bleve index.
type built struct {
	places  map[int64]*entry
	ents    []*entry // the places in the snapshot's order
	hot     map[string]*hotList
	names   *nameTable
	syl     *syllableIndex
	spatial *spatial
}

// Build builds a fresh index of every place each yields into dir, with the
// default Options. It builds aside, in dir+".tmp-<time>", and only when that
// is complete replaces dir (rename aside, rename in, remove the old one), so
// a failed build leaves the previous index untouched. Open handles of an
// index previously at dir keep working until closed. each must call its
// argument once per place; an error from it (or from each) aborts the build.
func Build(dir string, each func(func(*gazetteer.Place) error) error) (*Index, error) {
	return Options{}.Build(dir, each)
}

// Build is Build with these options; the index keeps them for its queries.
func (o Options) Build(dir string, each func(func(*gazetteer.Place) error) error) (*Index, error) {
	o = o.withDefaults()
	dir = filepath.Clean(dir)
	stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
	tmp := dir + ".tmp-" + stamp
	b, err := buildAt(tmp, o, each)
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
	return open(dir, b, o)
}

// buildChunk is how many places the reading goroutine hands a build worker
// at a time.
const buildChunk = 256

// buildWorker tokenizes places, fills bleve batches and indexes them (each
// batch becomes a segment), and collects its share of the hot lists and of
// the name table. Workers run side by side; reading the places, the
// snapshot and the final merges are the only serial parts.
type buildWorker struct {
	bi        bleve.Index
	batchSize int
	hot       *hotBuilder
	names     itemList   // the name table's part of this worker, while building
	items     []nameItem // and sorted, when done
	batch     *bleve.Batch
	docs      []*document.Document
	pool      termPool
	err       error

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
			if w.batch.Size() >= w.batchSize {
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

// builder is one build in progress in its directory: the bleve index, the
// snapshot of the places being written, and the workers.
type builder struct {
	opt  Options
	dir  string
	bi   bleve.Index
	snap *os.File
	bw   *bufio.Writer
	enc  *snapshotWriter

	workers   []*buildWorker
	order     []*entry       // the places in the snapshot's order
	persisted sync.WaitGroup // one per batch handed to bleve (unsafe_batch)
	perrMu    sync.Mutex
	perr      error
}

func buildAt(tmp string, opt Options, each func(func(*gazetteer.Place) error) error) (b *built, err error) {
	bd, err := newBuilder(tmp, opt)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := bd.close(); err == nil {
			err = cerr
		}
	}()
	places, err := bd.feed(each)
	if err != nil {
		return nil, err
	}
	return bd.finish(places)
}

// newBuilder starts a build in dir: the format file, an empty bleve index
// and the snapshot file.
func newBuilder(dir string, opt Options) (*builder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, formatFile), []byte(indexFormat), 0o644); err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing(filepath.Join(dir, bleveDir), indexMapping(), scorch.Name, scorch.Name, buildConfig(opt.BatchSize))
	if err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, snapshotFile))
	if err != nil {
		bi.Close()
		return nil, err
	}
	bd := &builder{opt: opt, dir: dir, bi: bi, snap: f, bw: bufio.NewWriterSize(f, 1<<20)}
	if bd.enc, err = newSnapshotWriter(bd.bw); err != nil {
		bd.close()
		return nil, err
	}
	return bd, nil
}

// close closes the snapshot file and the bleve index; the error is bleve's.
func (bd *builder) close() error {
	bd.snap.Close()
	return bd.bi.Close()
}

// persistErr records an error of bleve's persister.
func (bd *builder) persistErr(err error) {
	bd.perrMu.Lock()
	bd.perr = errors.Join(bd.perr, err)
	bd.perrMu.Unlock()
}

// feed runs the workers over every place each yields, writing the snapshot
// as it reads them, and returns the places once every worker is done.
func (bd *builder) feed(each func(func(*gazetteer.Place) error) error) (map[int64]*entry, error) {
	n := bd.opt.BuildWorkers
	chunks := make(chan []*entry, 2*n)
	bd.workers = make([]*buildWorker, n)
	var running sync.WaitGroup
	for i := range bd.workers {
		w := &buildWorker{bi: bd.bi, batchSize: bd.opt.BatchSize, hot: newHotBuilder(n, bd.opt.HotMin),
			batch: bd.bi.NewBatch(), persisted: &bd.persisted, perr: bd.persistErr}
		bd.workers[i] = w
		running.Go(func() { w.run(chunks) })
	}
	places, err := bd.read(each, chunks)
	running.Wait()
	for _, w := range bd.workers {
		if err == nil {
			err = w.err
		}
	}
	return places, err
}

// read hands the places each yields to the workers in chunks, and writes
// each to the snapshot.
func (bd *builder) read(each func(func(*gazetteer.Place) error) error, chunks chan<- []*entry) (map[int64]*entry, error) {
	defer close(chunks)
	places := map[int64]*entry{}
	bd.order = bd.order[:0]
	chunk := make([]*entry, 0, buildChunk)
	err := each(func(p *gazetteer.Place) error {
		if p == nil || places[p.ID] != nil {
			return fmt.Errorf("search: nil or repeated place %v", p)
		}
		e := newEntry(p)
		places[p.ID] = e
		bd.order = append(bd.order, e)
		if err := bd.enc.write(e); err != nil {
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
	return places, err
}

// finish merges the workers' parts and saves them beside bleve: three
// tails side by side, the name table; its file and the spatial index (built
// and saved); the hot lists with the syllable index. Meanwhile bleve's
// persister writes the last segments, which finish waits for.
func (bd *builder) finish(places map[int64]*entry) (*built, error) {
	if err := errors.Join(bd.enc.end(), bd.bw.Flush()); err != nil {
		return nil, err
	}
	b := &built{places: places, ents: bd.order, syl: newSyllableIndex(), names: newNameTable()}
	hbs := make([]*hotBuilder, len(bd.workers))
	parts := make([][]nameItem, len(bd.workers))
	for i, w := range bd.workers {
		hbs[i], parts[i] = w.hot, w.items
		w.items = nil
	}
	pos := make(map[*entry]int, len(bd.order))
	for i, e := range bd.order {
		pos[e] = i
	}
	var tails sync.WaitGroup
	var nerr, perr error
	tails.Go(func() {
		// The parts are dropped once merged, and the file written from the
		// table: both at once were the build's peak (170 MB at 1M names).
		b.names.load(parts)
		clear(parts)
		nerr = saveNames(bd.dir, [][]nameItem{b.names.sorted}, pos)
	})
	tails.Go(func() {
		b.spatial = newSpatial(bd.order)
		perr = saveSpatial(bd.dir, b.spatial, pos)
	})
	b.hot = mergeHot(hbs, bd.opt.HotMin)
	for _, h := range hbs {
		for _, t := range h.terms {
			b.syl.addTerm(t)
		}
	}
	herr := errors.Join(saveHot(bd.dir, b.hot), saveSyllables(bd.dir, b.syl))
	tails.Wait()
	bd.persisted.Wait()
	if err := errors.Join(nerr, perr, herr, bd.perr); err != nil {
		return nil, err
	}
	return b, bd.snap.Sync()
}
