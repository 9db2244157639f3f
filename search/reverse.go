package search

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// ReverseResult answers "where is this point": the admin units whose polygon
// contains it, and the nearest named places.
type ReverseResult struct {
	// Admin lists admin units containing the point, broadest first. Only
	// places stored with polygon geometry can contain a point; most records
	// have a point only, so when no polygon contains it Admin is taken from
	// the nearest place's admin codes and AdminFromNearest is set.
	Admin            []AdminUnit `json:"admin"`
	AdminFromNearest bool        `json:"admin_from_nearest,omitempty"`
	// Nearest are the nearest places by great-circle distance.
	Nearest []Hit `json:"nearest"`
}

// AdminUnit is an administrative unit in a reverse result.
type AdminUnit struct {
	ID    int64  `json:"id,omitempty"`
	Code  string `json:"code"`
	Name  string `json:"name,omitempty"`
	Level string `json:"level,omitempty"`
}

// Reverse finds what is at pt: containing admin units and the size nearest
// named places with their distances (haversine metres).
func (ix *Index) Reverse(pt orb.Point, size int) ReverseResult {
	size = clampSize(size)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var r ReverseResult
	for _, e := range ix.spatial.containing(pt) {
		if e.Code == "" {
			continue
		}
		r.Admin = append(r.Admin, AdminUnit{ID: e.ID, Code: e.Code, Name: e.Names[0].Text, Level: e.Level})
	}
	sort.Slice(r.Admin, func(i, j int) bool { return len(r.Admin[i].Code) < len(r.Admin[j].Code) })
	near := ix.spatial.nearest(pt, size, math.MinInt64)
	for _, e := range near {
		r.Nearest = append(r.Nearest, ix.pointHit(e, pt))
	}
	if len(r.Admin) == 0 && len(near) > 0 {
		r.AdminFromNearest = true
		for _, c := range near[0].Admin {
			r.Admin = append(r.Admin, AdminUnit{Code: c, Name: ix.codes[c]})
		}
	}
	return r
}

// Nearby lists the size places nearest to the place with this id (none if
// it has no point).
func (ix *Index) Nearby(id int64, size int) []Hit {
	size = clampSize(size)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := ix.places[id]
	if e == nil || e.Point == nil {
		return nil
	}
	var out []Hit
	for _, n := range ix.spatial.nearest(*e.Point, size, id) {
		out = append(out, ix.pointHit(n, *e.Point))
	}
	return out
}

func clampSize(size int) int {
	if size <= 0 {
		return DefaultSize
	}
	return min(size, MaxSize)
}

// pointHit is a hit found by position: its standard name, distance from pt.
func (ix *Index) pointHit(e *entry, pt orb.Point) Hit {
	s := &scored{e: e, dist: geo.DistanceHaversine(pt, *e.Point)}
	h := s.hit(qtext{})
	h.Score = 0
	h.Matched.How = ""
	return h
}
