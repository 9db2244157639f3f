package search

import (
	"github.com/paulmach/orb/geo"
)

// memFilter applies a query's filters to an entry and one of its names, as
// filterQueries does in bleve, plus the spatial ones.
type memFilter struct {
	q     Query
	admin string
	her   string
	none  bool
}

func newMemFilter(q Query) *memFilter {
	f := &memFilter{q: q, her: heritageValue(q.Heritage)}
	if q.Admin != "" {
		f.admin = significantCode(q.Admin)
	}
	f.none = q.Category == "" && q.Admin == "" && f.her == "" && q.Status == "" && q.Year == 0 && q.BBox == nil && q.Near == nil
	return f
}

func (f *memFilter) ok(e *entry, n nameRec) bool {
	if f.none {
		return true
	}
	q := f.q
	if q.Category != "" && e.Class != q.Category && e.Subclass != q.Category {
		return false
	}
	if q.Status != "" && e.Status != q.Status {
		return false
	}
	if f.admin != "" {
		found := false
		eachAdminToken(e.Admin, func(a string) { found = found || a == f.admin })
		if !found {
			return false
		}
	}
	if f.her != "" {
		found := false
		for _, h := range e.Heritage {
			found = found || f.her == "any" || h.List == f.her || h.Level == f.her
		}
		if !found {
			return false
		}
	}
	if q.Year != 0 {
		if from, to, dated := nameYears(n.Start, n.End); dated && (q.Year < from || q.Year > to) {
			return false
		}
	}
	if q.BBox != nil || q.Near != nil {
		if e.Point == nil || q.BBox != nil && !q.BBox.Contains(*e.Point) ||
			q.Near != nil && geo.DistanceHaversine(*q.Near, *e.Point) > q.RadiusM {
			return false
		}
	}
	return true
}

// regionFilter is the spatial filter of q: as a bleve query of the names'
// document ids when the region holds at most maxRegionPlaces places (region
// nil), otherwise the region's places, applied to the best candidates
// (inRegion nil). Both are nil without a bbox or a point.
func (ix *Index) regionFilter(q Query) (region map[int64]*entry, inRegion *qnode) {
	if q.BBox == nil && q.Near == nil {
		return nil, nil
	}
	region = ix.spatial.inRegion(q.BBox, q.Near, q.RadiusM)
	if len(region) > maxRegionPlaces {
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
