package search

import (
	"github.com/paulmach/orb/geo"
)

// A filter is one of a query's filters, defined once and compiled to both
// sides of a search: clause is what it asks of bleve, a clause on the
// filter field that does not score (nil for the spatial filter, which
// regionFilter hands to bleve), and keeps is the same test on an entry and
// one of its names, for the name table. The filter field's terms are the
// entry's facetTerms and filterTerms, so each keeps reads the fields those
// terms are made of.
type filter struct {
	clause *qnode
	keeps  func(e *entry, n nameRec) bool
}

// queryFilters are the filters of q, in the order bleve gets them.
func queryFilters(q Query) []filter {
	var fs []filter
	add := func(f filter) {
		if f.clause != nil {
			f.clause.boost = 0 // filters do not score (bleve ignores it on the compound ones)
		}
		fs = append(fs, f)
	}
	if q.Category != "" {
		add(categoryFilter(q.Category))
	}
	if q.Admin != "" {
		add(adminFilter(q.Admin))
	}
	if h := heritageValue(q.Heritage); h != "" {
		add(heritageFilter(h))
	}
	if q.Status != "" {
		add(statusFilter(string(q.Status)))
	}
	if q.Year != 0 {
		add(yearFilter(q.Year))
	}
	if q.BBox != nil || q.Near != nil {
		add(spatialFilter(q))
	}
	return fs
}

// categoryFilter keeps places whose category class or subclass is c
// (facetTerms: c:class, c:subclass).
func categoryFilter(c string) filter {
	return filter{termQuery(fFacet, fpCategory+c, 0), func(e *entry, _ nameRec) bool {
		return e.Class == c || e.Subclass == c
	}}
}

// adminFilter keeps places under the admin unit of code, written at any
// length (filterTerms: a: of every eachAdminToken).
func adminFilter(code string) filter {
	sig := significantCode(code)
	return filter{termQuery(fFilter, fpAdmin+sig, 0), func(e *entry, _ nameRec) bool {
		found := false
		eachAdminToken(e.Admin, func(a string) { found = found || a == sig })
		return found
	}}
}

// heritageFilter keeps places on the heritage list h, or at the level h, or
// on any list when h is "any" (facetTerms h:list; filterTerms l:level and
// l:any).
func heritageFilter(h string) filter {
	return filter{orQuery([]*qnode{termQuery(fFacet, fpHeritage+h, 0), termQuery(fFilter, fpLevel+h, 0)}),
		func(e *entry, _ nameRec) bool {
			found := false
			for _, x := range e.Heritage {
				found = found || h == "any" || x.List == h || x.Level == h
			}
			return found
		}}
}

// statusFilter keeps places in the lifecycle state s (filterTerms: s:).
func statusFilter(s string) filter {
	return filter{termQuery(fFilter, fpStatus+s, 0), func(e *entry, _ nameRec) bool {
		return string(e.Status) == s
	}}
}

// yearFilter keeps names that may have been in use in year y: undated ones
// (u:1), and dated ones whose years (nameYears, the y0 and y1 fields of
// documents) hold y.
func yearFilter(y int) filter {
	from := &qnode{op: qRange, field: fYearFrom, lo: minYear, hi: float64(y), boost: 1}
	to := &qnode{op: qRange, field: fYearTo, lo: float64(y), hi: maxYear, boost: 1}
	return filter{orQuery([]*qnode{termQuery(fFilter, fpUndated, 0), andQuery([]*qnode{from, to})}),
		func(_ *entry, n nameRec) bool {
			from, to, dated := nameYears(n.Start, n.End)
			return !dated || y >= from && y <= to
		}}
}

// spatialFilter keeps places whose point lies in q's bbox and within its
// radius of its point. bleve gets it from regionFilter, as the ids of the
// places found in the quadtree.
func spatialFilter(q Query) filter {
	return filter{nil, func(e *entry, _ nameRec) bool {
		return e.Point != nil && (q.BBox == nil || q.BBox.Contains(*e.Point)) &&
			(q.Near == nil || geo.DistanceHaversine(*q.Near, *e.Point) <= q.RadiusM)
	}}
}

// heritageValue is the heritage filter as matched: "true", "yes" and "1"
// mean any list.
func heritageValue(h string) string {
	if h == "true" || h == "yes" || h == "1" {
		return "any"
	}
	return h
}

// compileFilters compiles q's filters for bleve (the clauses) and for the
// name table (memFilter).
func compileFilters(q Query) ([]*qnode, *memFilter) {
	mf := &memFilter{}
	var clauses []*qnode
	for _, f := range queryFilters(q) {
		if f.clause != nil {
			clauses = append(clauses, f.clause)
		}
		mf.keep = append(mf.keep, f.keeps)
	}
	mf.none = len(mf.keep) == 0
	return clauses, mf
}

// filterQueries is the bleve side of q's filters.
func filterQueries(q Query) []*qnode {
	clauses, _ := compileFilters(q)
	return clauses
}

// memFilter is the name table's side of a query's filters: an entry and
// one of its names pass when every filter keeps them.
type memFilter struct {
	keep []func(e *entry, n nameRec) bool
	none bool // no filter: everything passes
	// slack > 0: the bleve clauses leave out a filter that keeps all but
	// at most slack names (loosenAdmin), so bleve's matches must pass ok
	slack int
}

// newMemFilter is the name table's side of q's filters.
func newMemFilter(q Query) *memFilter {
	_, mf := compileFilters(q)
	return mf
}

func (f *memFilter) ok(e *entry, n nameRec) bool {
	for _, keep := range f.keep {
		if !keep(e, n) {
			return false
		}
	}
	return true
}

// regionFilter is the spatial filter of q: as a bleve query of the names'
// document ids when the region holds at most limit places (region nil),
// otherwise the region's places, applied to the best candidates (inRegion
// nil). Both are nil without a bbox or a point.
func (ix *Index) regionFilter(q Query, limit int) (region map[int64]*entry, inRegion *qnode) {
	if q.BBox == nil && q.Near == nil {
		return nil, nil
	}
	region = ix.spatial.inRegion(q.BBox, q.Near, q.RadiusM)
	if len(region) > limit {
		return region, nil
	}
	ids := make([]string, 0, len(region)*2)
	for _, e := range region {
		for k := range e.Names {
			ids = append(ids, docID(e.ID, k))
		}
	}
	return nil, &qnode{op: qIDs, ids: ids, boost: 1}
}
