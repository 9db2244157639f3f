package search

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/quadtree"
)

// spatial is the in-memory spatial index of each place's point (label
// point, or a representative point of its geometry): the places of the
// build in a k-d tree (kdtree.go), saved in the index directory and read
// back as it is (spatialFile), and a quadtree of the places added since
// (Upsert, the journal). A place removed from the k-d tree keeps its
// element, emptied. Reverse lookup (containment, admin estimates) is the
// store's: gazetteer.PlaceLocator.
type spatial struct {
	kd   kdTree
	tree *quadtree.Quadtree // added since the build
}

type qpoint struct {
	p orb.Point
	e *entry
}

func (q qpoint) Point() orb.Point { return q.p }

// newSpatial indexes the points of ents in a k-d tree; ents in the same
// order give the same tree.
func newSpatial(ents []*entry) *spatial {
	items := make([]kdItem, 0, len(ents))
	for _, e := range ents {
		if e.Point != nil && validPoint(*e.Point) {
			items = append(items, kdItem{*e.Point, e})
		}
	}
	return &spatial{kd: newKDTree(items), tree: newQuadtree()}
}

func newQuadtree() *quadtree.Quadtree {
	return quadtree.New(orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}})
}

func (s *spatial) add(e *entry) {
	if e.Point != nil && validPoint(*e.Point) {
		s.tree.Add(qpoint{*e.Point, e})
	}
}

func (s *spatial) remove(e *entry) {
	if e.Point == nil || !validPoint(*e.Point) {
		return
	}
	if i := s.kd.find(*e.Point, e); i >= 0 {
		s.kd[i].e = nil
		return
	}
	s.tree.Remove(qpoint{*e.Point, e}, func(p orb.Pointer) bool { return p.(qpoint).e.ID == e.ID })
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
	visit := func(p orb.Point, e *entry) {
		if near != nil && geo.DistanceHaversine(*near, p) > radius || b != nil && !b.Contains(p) {
			return
		}
		out[e.ID] = e
	}
	s.kd.inBound(q, func(it kdItem) { visit(it.p, it.e) })
	for _, p := range s.tree.InBound(nil, q) {
		visit(p.(qpoint).p, p.(qpoint).e)
	}
	return out
}

// nearest returns up to k places nearest pt (haversine), skipping skip.
func (s *spatial) nearest(pt orb.Point, k int, skip int64) []*entry {
	// The trees measure planar degrees; fetch extra and re-sort by
	// great-circle distance so the longitude squeeze at 31°N does not reorder.
	n := 2*k + 2
	cand := s.kd.nearest(pt, n, func(e *entry) bool { return e.ID != skip })
	for _, p := range s.tree.KNearestMatching(nil, pt, n, func(p orb.Pointer) bool { return p.(qpoint).e.ID != skip }) {
		qp := p.(qpoint)
		cand = append(cand, kdNear{qp.e, planar.DistanceSquared(pt, qp.p)})
	}
	slices.SortStableFunc(cand, func(a, b kdNear) int { return cmp.Compare(a.d, b.d) })
	es := make([]*entry, 0, min(n, len(cand)))
	for _, c := range cand[:min(n, len(cand))] {
		es = append(es, c.e)
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
