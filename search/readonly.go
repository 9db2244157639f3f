//go:build !js

package search

import (
	"fmt"
	"slices"
)

// ReadOnly reports whether the index cannot be changed: it was opened
// read-only because another process holds it (Open), or it is a compact
// index (OpenCompact). Its writes return ErrReadOnly.
func (ix *Index) ReadOnly() bool { return ix.bi == nil }

// openReadOnly opens the index at dir without bleve, whose lock another
// process (a running server) holds: the in-memory side is read from the
// directory as Open reads it (the snapshot, the hot lists, the name table,
// the syllables, the journal the other process has written so far), and the
// names' terms are held in memory postings, scored as bleve scores them
// (memtext.go, as a compact index does). The result answers searches as of
// now; it has no journal and writes nothing.
func openReadOnly(dir string, opt Options) (*Index, error) {
	ix := &Index{disk: disk{dir: dir}, opt: opt, places: map[int64]*entry{}, codes: map[string]string{}, adminOf: map[string]adminRef{}}
	ix.roPos, _ = readPosition(dir)
	if err := ix.load(); err != nil {
		return nil, fmt.Errorf("%w, and reading %s read-only failed: %v", ErrBusy, dir, err)
	}
	ids := make([]int64, 0, len(ix.places))
	for id := range ix.places {
		ids = append(ids, id)
	}
	slices.Sort(ids) // memText breaks equal scores by document order: place id, then name
	mt := newMemText()
	for _, id := range ids {
		e := ix.places[id]
		filt := append(e.facetTerms(), e.filterTerms()...)
		for k, nt := range e.tokens() {
			mt.add(e, k, nt, filt)
		}
	}
	ix.text = mt
	return ix, nil
}
