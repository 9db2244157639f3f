package search

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

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
