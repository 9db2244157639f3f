//go:build !js

package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
)

// eachEntry calls f with every name matching q, as each does, but finds
// each match's entry through d's tables of the snapshot's segments (a
// match's global document number is its segment's offset, the sum of the
// sizes of the segments before it, plus its number there) instead of
// reading its id, parsing it and looking the place up. ok is false when
// the index is not scorch's (each is then the way). The caller holds the
// index's lock; lookup finds a place's entry.
func (b bleveText) eachEntry(ctx context.Context, q *qnode, d *docNames, lookup func(id int64) *entry, f func(e *entry, k int)) (ok bool, err error) {
	r, err := b.reader()
	if err != nil {
		return true, err
	}
	defer r.Close()
	is, isScorch := r.(*scorch.IndexSnapshot)
	if !isScorch {
		return false, nil
	}
	tabs, offs, err := d.tables(is, lookup)
	if err != nil {
		return true, err
	}
	s, err := q.bleve().Searcher(ctx, r, b.bi.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return true, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	seg := 0
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return true, ctx.Err()
		}
		dm, err := s.Next(sctx)
		if err != nil || dm == nil {
			return true, err
		}
		num := dm.IndexInternalID.Value()
		if seg >= len(offs) || num < offs[seg] {
			seg = 0
		}
		for seg+1 < len(offs) && num >= offs[seg+1] {
			seg++
		}
		local := num - offs[seg]
		if local >= uint64(len(tabs[seg])) {
			return true, fmt.Errorf("search: bleve document %d is beyond its segment's %d", num, len(tabs[seg]))
		}
		if nm := tabs[seg][local]; nm.e != nil {
			f(nm.e, nm.k)
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// tables returns the name table of each segment of is, in order, with
// the segments' offsets, making those not yet held and dropping those of
// segments gone.
func (d *docNames) tables(is *scorch.IndexSnapshot, lookup func(id int64) *entry) ([][]nameOf, []uint64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.segs == nil {
		d.segs = map[any][]nameOf{}
	}
	ss := is.Segments()
	tabs, offs := make([][]nameOf, len(ss)), make([]uint64, len(ss))
	live := make(map[any]bool, len(ss))
	var running uint64
	for i, s := range ss {
		seg := s.Segment()
		live[seg] = true
		offs[i] = running
		running += seg.Count()
		t, ok := d.segs[seg]
		if !ok {
			t = make([]nameOf, seg.Count())
			for n := range t {
				raw, err := seg.DocID(uint64(n))
				if err != nil {
					return nil, nil, err
				}
				if raw == nil {
					continue
				}
				id, k, err := parseDocID(string(raw))
				if err != nil {
					return nil, nil, err
				}
				if e := lookup(id); e != nil && k < len(e.Names) {
					t[n] = nameOf{e, k}
				}
			}
			d.segs[seg] = t
		}
		tabs[i] = t
	}
	for seg := range d.segs {
		if !live[seg] {
			delete(d.segs, seg)
		}
	}
	return tabs, offs, nil
}
