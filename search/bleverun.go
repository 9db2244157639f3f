//go:build !js

package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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

func (b bleveText) facets(ctx context.Context, q *qnode) ([]facetTerm, uint64, error) {
	req := bleve.NewSearchRequestOptions(q.bleve(), 0, 0, false)
	req.Score = "none"
	req.AddFacet(fFacet, bleve.NewFacetRequest(fFacet, maxFacetTerms))
	res, err := b.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	var terms []facetTerm
	if f := res.Facets[fFacet]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			terms = append(terms, facetTerm{t.Term, t.Count})
		}
	}
	return terms, res.Total, nil
}

func (b bleveText) close() error { return b.bi.Close() }
