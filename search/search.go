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

// maxRegionPlaces bounds the places a spatial filter hands to bleve as
// document IDs; above it the filter is applied to the best candidates.
const maxRegionPlaces = 20000

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

func (ix *Index) run(ctx context.Context, q Query, prefixOnly, fuzzy bool) (*Result, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	qt := analyse(q.Text)
	filters := filterQueries(q)
	mf := newMemFilter(q)

	ix.mu.RLock()
	defer ix.mu.RUnlock()

	window := q.From + q.Size
	if prefixOnly {
		window = max(3*window, 30)
	} else {
		window = max(2*window, 100)
	}
	// Without filters, and for a first page, very common keys are answered
	// from the hot lists instead of scoring their postings.
	useHot := len(filters) == 0 && q.BBox == nil && q.Near == nil && q.From+q.Size <= hotK
	var lists []*hotList
	var hook func(key string) bool
	if useHot {
		hook = func(key string) bool {
			if l := ix.hot[key]; l != nil {
				lists = append(lists, l)
				return true
			}
			return false
		}
	}
	// Whole names and prefixes: the name table.
	var tab []cand
	var tabCount int
	approx := false
	if qt.norm != "" {
		tab, tabCount, approx = ix.tableMatches(qt, mf, window, useHot)
		if fuzzy {
			typos, n := ix.typoMatches(qt, mf, window)
			tab, tabCount = append(tab, typos...), tabCount+n
		}
	}
	region, inRegion := ix.regionFilter(q)
	if region != nil {
		window = max(window, 1000)
		approx = true
	}
	// Names containing the query, and browsing by filters: bleve.
	var text *qnode
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly, fuzzy: fuzzy, hot: hook,
			common: func(key string) int {
				if l := ix.hot[key]; l != nil {
					return l.count
				}
				return 0
			}})
	}
	var hits []textHit
	var total uint64
	if text != nil || qt.norm == "" {
		var err error
		if hits, total, err = ix.text.search(ctx, conjunction(text, filters, inRegion), window); err != nil {
			return nil, err
		}
	}
	cands := tab
	for _, h := range hits {
		if e := ix.places[h.id]; e != nil && h.k < len(e.Names) {
			cands = append(cands, cand{e, h.k, h.score})
		} // else deleted since the search began
	}
	// A character query's substring clause covers the name table's matches.
	covers := qt.charMode() && !prefixOnly && text != nil
	switch {
	case covers:
	case total == 0:
		total = uint64(tabCount)
	case tabCount > 0:
		total += uint64(tabCount) // names matching both ways count twice
		approx = true
	}
	for _, l := range lists {
		total += uint64(l.count) // names in several lists count twice
		approx = true
		for _, it := range l.top {
			cands = append(cands, cand{it.e, int(it.k), 0})
		}
	}
	list := rankCands(cands, qt, q, region)
	out := &Result{Total: total, TotalApprox: approx}
	if region != nil {
		out.Total = uint64(len(list))
	}
	if q.Facets {
		var err error
		if out.Facets, out.Total, err = ix.facets(ctx, qt, prefixOnly, mf, filters, inRegion); err != nil {
			return nil, err
		}
		out.TotalApprox = region != nil
	}
	if q.From < len(list) {
		list = list[q.From:min(len(list), q.From+q.Size)]
	} else {
		list = nil
	}
	out.Hits = make([]Hit, 0, len(list))
	for _, s := range list {
		out.Hits = append(out.Hits, s.hit(qt))
	}
	out.Took = time.Since(start)
	return out, nil
}
