//go:build !js

package search

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/paulmach/orb/encoding/wkb"
	bolterrors "go.etcd.io/bbolt/errors"

	"wumen/gazetteer"
)

// disk is what a server's index keeps in its directory.
type disk struct {
	dir     string
	bi      bleve.Index
	journal *os.File
	closed  bool
	// roPos is the position a read-only index was at when it was opened
	// (read before its files, so it never claims more than they hold).
	roPos gazetteer.Position
}

// journalOp is one line of the journal.
type journalOp struct {
	Op    string `json:"op"` // upsert, delete
	ID    int64  `json:"id"`
	Entry *entry `json:"e,omitempty"`
}

// ErrBusy is the error of an index another process holds (a running
// server) when it cannot be read either.
var ErrBusy = errors.New("search: the index is open in another process (a running server)")

// ErrReadOnly is the error of a write (Upsert, Delete, SetPosition, Follow)
// to an index that cannot be changed: one opened read-only because another
// process holds it, or a compact index.
var ErrReadOnly = errors.New("search: the index is read-only")

// Open opens an index built by Build, replaying the journal of changes made
// since, with the default Options. When another process holds the index (a
// running server), Open waits up to Options.BusyWait and then opens it
// read-only: it answers searches as of the moment it was opened and refuses
// writes with ErrReadOnly (ReadOnly reports it).
func Open(dir string) (*Index, error) {
	return Options{}.Open(dir)
}

// Open is Open with these options.
func (o Options) Open(dir string) (*Index, error) {
	return open(dir, nil, o.withDefaults())
}

// open opens the index at dir; b, when given, is what was just built there
// and is not read back from disk.
func open(dir string, b *built, opt Options) (*Index, error) {
	if f, err := os.ReadFile(filepath.Join(dir, formatFile)); err != nil || string(f) != indexFormat {
		return nil, fmt.Errorf("search: %s is not an index of this version (format %q, want %q): rebuild it", dir, f, indexFormat)
	}
	// The build's unsafe_batch is saved in the index config; Upsert and
	// Delete must wait for persistence, so it is switched off here.
	// Another process (a running server) holding the index is waited on
	// for Options.BusyWait, never for ever; the index is then read
	// read-only.
	bi, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), segmentConfig(map[string]interface{}{"unsafe_batch": false, "bolt_timeout": opt.BusyWait.String()}))
	if errors.Is(err, bolterrors.ErrTimeout) && b == nil {
		return openReadOnly(dir, opt)
	} else if err != nil {
		return nil, err
	}
	ix := &Index{disk: disk{dir: dir, bi: bi}, opt: opt, text: bleveText{bi}, codes: map[string]string{}, adminOf: map[string]adminRef{}}
	if b == nil {
		ix.places = map[int64]*entry{}
		err = ix.load()
	} else {
		ix.places, ix.hot, ix.names, ix.syl, ix.spatial = b.places, b.hot, b.names, b.syl, b.spatial
		for _, e := range b.ents {
			ix.addAdmin(e)
		}
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

// load reads the index's in-memory side from its directory: the places'
// snapshot, the hot lists, the name table, the syllable index and the
// spatial index, then replays the journal of changes made since the build.
func (ix *Index) load() (err error) {
	var m mappings
	defer func() {
		if err != nil {
			m.release()
		}
	}()
	ents, nnames, err := ix.loadSnapshot(&m)
	if err != nil {
		return err
	}
	// The tables only read the places: they load side by side, the name
	// table and the spatial index from the places' positions, the hot lists
	// from their ids.
	var herr, nerr, serr, perr error
	var tables sync.WaitGroup
	tables.Go(func() {
		ix.places = placesOf(ents)
		ix.hot, herr = loadHot(ix.dir, ix.places)
		ix.syl, serr = loadSyllables(ix.dir, &m)
		ix.spatial, perr = loadSpatial(ix.dir, ents)
	})
	ix.names, nerr = loadNames(ix.dir, ents, nnames, &m)
	tables.Wait()
	if err := errors.Join(herr, nerr, serr, perr); err != nil {
		return err
	}
	fresh, err := ix.replayJournal()
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Code != "" && ix.places[e.ID] == e {
			ix.addAdmin(e)
		}
	}
	for _, e := range fresh {
		if ix.places[e.ID] == e {
			if len(e.Area) > 0 && e.area == nil { // the snapshot's are decoded
				e.area, _ = wkb.Unmarshal(e.Area)
			}
			ix.addAdmin(e)
		}
	}
	return nil
}

// readLines calls line with each line of the file name in dir; a journal
// that does not exist has no lines.
func readLines(dir, name string, line func([]byte) error) error {
	f, err := os.Open(filepath.Join(dir, name))
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

// replayJournal applies the changes made since the build and returns the
// entries it added.
func (ix *Index) replayJournal() ([]*entry, error) {
	var fresh []*entry
	err := readLines(ix.dir, journalFile, func(b []byte) error {
		var op journalOp
		if err := json.Unmarshal(b, &op); err != nil {
			return nil // a torn last line after a crash: the index is derived, ignore it
		}
		old := ix.places[op.ID]
		if old != nil {
			ix.spatial.remove(old)
		}
		if op.Op == "upsert" && op.Entry != nil {
			ix.places[op.ID] = op.Entry
			ix.relink(old, op.Entry)
			ix.spatial.add(op.Entry)
			fresh = append(fresh, op.Entry)
		} else {
			delete(ix.places, op.ID)
			ix.relink(old, nil)
		}
		return nil
	})
	return fresh, err
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
	if ix.ReadOnly() {
		return ErrReadOnly
	}
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
	if ix.ReadOnly() {
		return ErrReadOnly
	}
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
	var err error
	if ix.text != nil {
		err = ix.text.close()
	}
	if ix.journal != nil {
		if jerr := ix.journal.Close(); err == nil {
			err = jerr
		}
	}
	return err
}
