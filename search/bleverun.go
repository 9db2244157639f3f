//go:build !js

package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// bleveText is a server's textIndex: the bleve index of the names.
type bleveText struct{ bi bleve.Index }

// bleve is the bleve query of n.
func (n *qnode) bleve() query.Query {
	subs := func() []query.Query {
		qs := make([]query.Query, len(n.subs))
		for i, c := range n.subs {
			qs[i] = c.bleve()
		}
		return qs
	}
	switch n.op {
	case qTerm:
		t := query.NewTermQuery(n.term)
		t.SetField(n.field)
		t.SetBoost(n.boost)
		return t
	case qOr:
		d := query.NewDisjunctionQuery(subs())
		d.SetBoost(n.boost)
		return d
	case qAnd:
		c := query.NewConjunctionQuery(subs())
		c.SetBoost(n.boost)
		return c
	case qRange:
		t := true
		r := query.NewNumericRangeInclusiveQuery(&n.lo, &n.hi, &t, &t)
		r.SetField(n.field)
		return r
	case qFuzzy:
		f := query.NewFuzzyQuery(n.term)
		f.SetField(n.field)
		f.SetFuzziness(n.fuzz)
		f.SetBoost(n.boost)
		return f
	case qIDs:
		return query.NewDocIDQuery(n.ids)
	}
	return query.NewMatchAllQuery()
}

func (b bleveText) search(ctx context.Context, q *qnode, size int) ([]textHit, uint64, error) {
	req := bleve.NewSearchRequestOptions(q.bleve(), size, 0, false)
	res, err := b.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	hits := make([]textHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, k, err := parseDocID(h.ID)
		if err != nil {
			return nil, 0, err
		}
		hits = append(hits, textHit{id, k, h.Score})
	}
	return hits, res.Total, nil
}

func (b bleveText) count(ctx context.Context, q *qnode) (uint64, error) {
	req := bleve.NewSearchRequestOptions(q.bleve(), 0, 0, false)
	req.Score = "none"
	res, err := b.bi.SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

// reader is a reader of bleve's current snapshot (a scorch index's is an
// *scorch.IndexSnapshot); the caller closes it.
func (b bleveText) reader() (index.IndexReader, error) {
	adv, err := b.bi.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// each calls f with every name matching q, unscored: bleve's searcher
// walks the postings and each match's document id is read from its
// segment (stored uncompressed, unlike doc values).
func (b bleveText) each(ctx context.Context, q *qnode, f func(id int64, k int)) error {
	r, err := b.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	s, err := q.bleve().Searcher(ctx, r, b.bi.Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		dm, err := s.Next(sctx)
		if err != nil || dm == nil {
			return err
		}
		ext, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return err
		}
		id, k, err := parseDocID(ext)
		if err != nil {
			return err
		}
		f(id, k)
		sctx.DocumentMatchPool.Put(dm)
	}
}

func (b bleveText) everyName(field, term string) (bool, error) {
	adv, err := b.bi.Advanced()
	if err != nil {
		return false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return false, err
	}
	defer r.Close()
	all, err := r.DocCount()
	if err != nil {
		return false, err
	}
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return false, err
	}
	defer tfr.Close()
	return tfr.Count() == all, nil // live documents only, both
}

func (b bleveText) termCount(field, term string) (n, all uint64, err error) {
	adv, err := b.bi.Advanced()
	if err != nil {
		return 0, 0, err
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	if all, err = r.DocCount(); err != nil {
		return 0, 0, err
	}
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, 0, err
	}
	defer tfr.Close()
	return tfr.Count(), all, nil // live documents only, both
}

func (b bleveText) close() error { return b.bi.Close() }
