package search

import (
	"context"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Result is one page of search results.
type Result struct {
	Hits []Hit `json:"hits"`
	// Total is the number of matching names (a place matching by two names
	// counts twice, so it is an upper bound on places). TotalApprox is set
	// when a large spatial filter was applied to the best candidates only.
	Total       uint64        `json:"total"`
	TotalApprox bool          `json:"total_approx,omitempty"`
	Facets      *Facets       `json:"facets,omitempty"`
	Took        time.Duration `json:"took"`
}

// Hit is one place found.
type Hit struct {
	ID    int64   `json:"id"`
	Score float64 `json:"score"`
	// Name is the standard name; Matched says which name matched and how.
	Name     string           `json:"name"`
	Matched  Matched          `json:"matched"`
	Class    string           `json:"class,omitempty"`
	Subclass string           `json:"subclass,omitempty"`
	Status   gazetteer.Status `json:"status,omitempty"`
	Admin    []string         `json:"admin,omitempty"`
	Heritage []string         `json:"heritage,omitempty"`
	Pinyin   string           `json:"pinyin,omitempty"`
	// English is the place's English name (official first), when it has one.
	English string     `json:"english,omitempty"`
	Point   *orb.Point `json:"point,omitempty"`
	// DistanceM is the great-circle distance in metres from Query.Near (or
	// Focus), when one was given.
	DistanceM *float64 `json:"distance_m,omitempty"`
}

// Matched is the name that matched: "matched 平江府, historical".
type Matched struct {
	Text  string `json:"text"`
	Kind  string `json:"kind"`
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// How is exact, prefix, initials, contains, initials_prefix, characters
	// or fuzzy.
	How  string `json:"how"`
	Span Span   `json:"span"`
}

// Span is the matched part of Matched.Text, as byte and rune offsets [start, end).
type Span struct {
	Start     int `json:"start"`
	End       int `json:"end"`
	RuneStart int `json:"rune_start"`
	RuneEnd   int `json:"rune_end"`
}

// Facets count matching names by category (class and subclass), district
// (county-level admin code) and heritage list.
type Facets struct {
	Category []FacetCount `json:"category"`
	District []FacetCount `json:"district"`
	Heritage []FacetCount `json:"heritage"`
}

// FacetCount is one facet value and how many names have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Query boosts in bleve. They put candidates in roughly the final order so
// the re-ranking window holds the right ones; the final order is decided by
// classify (exact, prefix, …) and the tie-breakers.
const (
	boostExact    = 10
	boostPrefix   = 5
	boostGeneric  = 6
	boostInitials = 4
	boostSub      = 2
	boostPySub    = 2
)

// Search finds places by any of their names, with filters and facets.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(false); err != nil {
		return nil, err
	}
	return ix.search(ctx, q, false)
}

// search runs q and, unless its first hit is an exact name, also q read as
// "admin unit + name" (常熟虞山 → 虞山 within 常熟市); that reading wins when
// it finds an exact name, or when q found nothing better than a partial.
func (ix *Index) search(ctx context.Context, q Query, prefixOnly bool) (*Result, error) {
	r, err := ix.run(ctx, q, prefixOnly, false)
	if err == nil && len(r.Hits) == 0 && !prefixOnly && analyse(q.Text).latin {
		// Only pinyin that matches nothing is read as having a typo: the
		// fuzzy clause is the costliest, and a real reading would bury the
		// typo's target under its own matches anyway.
		r, err = ix.run(ctx, q, prefixOnly, true)
	}
	if err != nil || q.From > 0 || len(r.Hits) > 0 && r.Hits[0].Matched.How == howExact {
		return r, err
	}
	r2, err := ix.withAdminPrefix(ctx, q, prefixOnly)
	if err != nil || r2 == nil || len(r2.Hits) == 0 {
		return r, err
	}
	if len(r.Hits) == 0 || r2.Hits[0].Matched.How == howExact ||
		howScore[r.Hits[0].Matched.How] < howScore[howPrefix] && r2.Hits[0].Score > r.Hits[0].Score {
		return r2, nil
	}
	return r, nil
}

// withAdminPrefix retries a query that found nothing as "admin unit + name"
// (苏州阊门 → 阊门 within 苏州市), the way addresses are written.
func (ix *Index) withAdminPrefix(ctx context.Context, q Query, prefixOnly bool) (*Result, error) {
	qt := analyse(q.Text)
	if !qt.charMode() || q.Admin != "" {
		return nil, nil
	}
	ix.mu.RLock()
	code, rest := ix.adminPrefix(qt.norm)
	ix.mu.RUnlock()
	if code == "" || rest == "" {
		return nil, nil
	}
	q.Text, q.Admin = rest, code
	return ix.run(ctx, q, prefixOnly, false)
}

// Autocomplete is Search for as-you-type input: it matches whole names and
// name prefixes only (characters, pinyin, initials), ignores facets, and
// boosts places near Focus.
func (ix *Index) Autocomplete(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(true); err != nil {
		return nil, err
	}
	q.Facets = false
	return ix.search(ctx, q, true)
}

// run runs q once, as read: gathering the candidates (gather.go), ranking
// them (rank.go), counting facets (facets.go) and cutting the page
// (page.go).
func (ix *Index) run(ctx context.Context, q Query, prefixOnly, fuzzy bool) (*Result, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	qt := analyse(q.Text)
	filters, mf := compileFilters(q)

	ix.mu.RLock()
	defer ix.mu.RUnlock()

	filters, mf, err := ix.loosenAdmin(q, filters, mf)
	if err != nil {
		return nil, err
	}
	g, err := ix.gather(ctx, qt, q, filters, mf, prefixOnly, fuzzy)
	if err != nil {
		return nil, err
	}
	list := rankCands(g.cands, qt, q, g.region)
	out := &Result{Total: g.total, TotalApprox: g.approx}
	if g.region != nil {
		out.Total = uint64(len(list))
	}
	if q.Facets {
		if out.Facets, out.Total, err = ix.facets(ctx, qt, prefixOnly, mf, filters, g.inRegion); err != nil {
			return nil, err
		}
		out.TotalApprox = g.region != nil
	}
	out.Hits = page(list, q, qt)
	out.Took = time.Since(start)
	return out, nil
}
