package search

import "context"

// Gathering: the candidates of a query from both sides, before ranking —
// whole names and prefixes from the name table (table.go), names containing
// the query and browsing by filters from bleve (bleveq.go), and the hot
// lists of very common keys (hot.go) — with how many names match.

// gathered is what gather found for one query.
type gathered struct {
	cands  []cand
	total  uint64 // matching names (an upper bound when approx)
	approx bool
	// region holds the places of a large spatial filter, applied to the
	// candidates in ranking; inRegion is a small one as a bleve clause
	// (regionFilter, filter.go).
	region   map[int64]*entry
	inRegion *qnode
}

// window is how many candidates each side hands to the ranking for a page
// of q: twice the page's end for a search, three times for autocomplete,
// and at least Window or PrefixWindow.
func (o Options) window(q Query, prefixOnly bool) int {
	w := q.From + q.Size
	if prefixOnly {
		return max(3*w, o.PrefixWindow)
	}
	return max(2*w, o.Window)
}

// hotTaker answers a clause whose key has a hot list from that list, and
// keeps the lists it used.
type hotTaker struct {
	hot  map[string]*hotList
	used []*hotList
}

func (h *hotTaker) take(key string) bool {
	if l := h.hot[key]; l != nil {
		h.used = append(h.used, l)
		return true
	}
	return false
}

// hotCount is how many names share a hot key, 0 when it has no list.
func (ix *Index) hotCount(key string) int {
	if l := ix.hot[key]; l != nil {
		return l.count
	}
	return 0
}

// gather collects the candidates of q (analysed as qt) from the name
// table, bleve and the hot lists; filters and mf are q's filters compiled
// for each side (filter.go). The caller holds ix.mu.
func (ix *Index) gather(ctx context.Context, qt qtext, q Query, filters []*qnode, mf *memFilter, prefixOnly, fuzzy bool) (*gathered, error) {
	opt := ix.opt.withDefaults()
	window := opt.window(q, prefixOnly)
	// Without filters, and for a first page, very common keys are answered
	// from the hot lists instead of scoring their postings.
	useHot := len(filters) == 0 && mf.slack == 0 && q.BBox == nil && q.Near == nil && q.From+q.Size <= hotK
	var hot *hotTaker
	var hook func(key string) bool
	if useHot {
		hot = &hotTaker{hot: ix.hot}
		hook = hot.take
	}
	g := &gathered{}
	var tabCount int
	if qt.norm != "" {
		g.cands, tabCount, g.approx = ix.tableMatches(qt, mf, window, useHot)
		if fuzzy {
			typos, n := ix.typoMatches(qt, mf, window)
			g.cands, tabCount = append(g.cands, typos...), tabCount+n
		}
	}
	g.region, g.inRegion = ix.regionFilter(q, opt.MaxRegionPlaces)
	if g.region != nil {
		window = max(window, opt.RegionWindow)
		g.approx = true
	}
	var text *qnode
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly, fuzzy: fuzzy, hot: hook, common: ix.hotCount})
	}
	if text != nil || qt.norm == "" {
		// a filter left out of bleve's clauses (mf.slack) drops at most
		// slack of bleve's best: ask for that many more
		hits, total, err := ix.text.search(ctx, conjunction(text, filters, g.inRegion), window+mf.slack)
		if err != nil {
			return nil, err
		}
		g.total = total
		if mf.slack > 0 {
			g.approx = true
		}
		for _, h := range hits {
			if e := ix.places[h.id]; e != nil && h.k < len(e.Names) && (mf.slack == 0 || mf.ok(e, e.Names[h.k])) {
				g.cands = append(g.cands, cand{e, h.k, h.score})
			} // else deleted since the search began
		}
	}
	// A character query's substring clause covers the name table's matches.
	g.count(qt.charMode() && !prefixOnly && text != nil, tabCount)
	if hot != nil {
		g.addHot(hot.used)
	}
	return g, nil
}

// count adds the name table's tabCount matches to bleve's total, unless
// bleve's text clause covers them.
func (g *gathered) count(covers bool, tabCount int) {
	switch {
	case covers:
	case g.total == 0:
		g.total = uint64(tabCount)
	case tabCount > 0:
		g.total += uint64(tabCount) // names matching both ways count twice
		g.approx = true
	}
}

// addHot adds the names of the hot lists that answered clauses, and their
// counts.
func (g *gathered) addHot(lists []*hotList) {
	for _, l := range lists {
		g.total += uint64(l.count) // names in several lists count twice
		g.approx = true
		for _, it := range l.top {
			g.cands = append(g.cands, cand{it.e, int(it.k), 0})
		}
	}
}

// maxSlack is how many names a filter may leave out and still be applied
// to bleve's matches in memory instead of as a clause (loosenAdmin).
const maxSlack = 1000

// loosenAdmin leaves out of bleve's clauses the admin filter of a unit
// that holds all but at most maxSlack names — a gazetteer of one city has
// every name under it but the city's own — and has it applied in memory
// instead (mf.slack): as a clause it walked a posting list of almost every
// name along each text term (蘇州 + name at 1M: p99 23 ms). The caller
// holds ix.mu.
func (ix *Index) loosenAdmin(q Query, filters []*qnode, mf *memFilter) ([]*qnode, *memFilter, error) {
	if q.Admin == "" {
		return filters, mf, nil
	}
	n, all, err := ix.text.termCount(fFilter, fpAdmin+significantCode(q.Admin))
	if err != nil || all-n > maxSlack || n == 0 {
		return filters, mf, err
	}
	without := q
	without.Admin = ""
	filters, _ = compileFilters(without)
	loose := *mf
	loose.slack = max(1, int(all-n))
	return filters, &loose, nil
}
