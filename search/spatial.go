package search

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/quadtree"
)

// spatial is the in-memory spatial index: a quadtree of each place's point
// (label point, or a representative point of its geometry). Reverse lookup
// (containment, admin estimates) is the store's: gazetteer.PlaceLocator.
type spatial struct {
	tree *quadtree.Quadtree
}

type qpoint struct {
	p orb.Point
	e *entry
}

func (q qpoint) Point() orb.Point { return q.p }

func newSpatial() *spatial {
	return &spatial{tree: quadtree.New(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})}
}

func (s *spatial) add(e *entry) {
	if e.Point != nil && validPoint(*e.Point) {
		s.tree.Add(qpoint{*e.Point, e})
	}
}

func (s *spatial) remove(e *entry) {
	if e.Point != nil && validPoint(*e.Point) {
		s.tree.Remove(qpoint{*e.Point, e}, func(p orb.Pointer) bool { return p.(qpoint).e.ID == e.ID })
	}
}

func validPoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// circleBound is a bound that contains the circle of radius m metres round pt.
func circleBound(pt orb.Point, m float64) orb.Bound {
	dLat := m / 111320.0
	c := math.Cos(pt[1] * math.Pi / 180)
	if c < 0.01 {
		c = 0.01
	}
	dLon := m / (111320.0 * c)
	return orb.Bound{Min: orb.Point{pt[0] - dLon, pt[1] - dLat}, Max: orb.Point{pt[0] + dLon, pt[1] + dLat}}
}

// inRegion returns the places whose point lies in the bound and, when near is
// set, within radius metres of it.
func (s *spatial) inRegion(b *orb.Bound, near *orb.Point, radius float64) map[int64]*entry {
	var q orb.Bound
	if near != nil {
		q = circleBound(*near, radius)
	} else {
		q = *b
	}
	out := map[int64]*entry{}
	for _, p := range s.tree.InBound(nil, q) {
		qp := p.(qpoint)
		if near != nil && geo.DistanceHaversine(*near, qp.p) > radius || b != nil && !b.Contains(qp.p) {
			continue
		}
		out[qp.e.ID] = qp.e
	}
	return out
}

// nearest returns up to k places nearest pt (haversine), skipping skip.
func (s *spatial) nearest(pt orb.Point, k int, skip int64) []*entry {
	// The quadtree measures planar degrees; fetch extra and re-sort by
	// great-circle distance so the longitude squeeze at 31°N does not reorder.
	cand := s.tree.KNearestMatching(nil, pt, 2*k+2, func(p orb.Pointer) bool { return p.(qpoint).e.ID != skip })
	es := make([]*entry, 0, len(cand))
	for _, c := range cand {
		es = append(es, c.(qpoint).e)
	}
	sort.Slice(es, func(i, j int) bool {
		di, dj := geo.DistanceHaversine(pt, *es[i].Point), geo.DistanceHaversine(pt, *es[j].Point)
		if di != dj {
			return di < dj
		}
		return es[i].ID < es[j].ID // places sharing a point: a stable order
	})
	if len(es) > k {
		es = es[:k]
	}
	return es
}
