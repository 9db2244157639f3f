//go:build !js

package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Warm makes what the first facet count after an open would otherwise make
// while its visitor waits (about 0.9 s at a million places): the facet
// codes of every entry (facetcodes.go) and the document → name table of
// every segment of bleve's current snapshot (bleveents.go). A server calls
// it on a goroutine of its own right after opening the index; writes wait
// for it, searches do not. An index read without bleve (one another
// process holds) gets its facet codes only.
func (ix *Index) Warm(ctx context.Context) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.prepareFacetCodes()
	b, ok := ix.text.(bleveText)
	if !ok || ctx.Err() != nil {
		return ctx.Err()
	}
	r, err := b.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	is, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	_, _, err = ix.docs.tables(is, func(id int64) *entry { return ix.places[id] })
	return err
}
