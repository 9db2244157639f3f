package gazetteer

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// classWater is the census 大类 of rivers, lakes and canals (陆地水系).
const classWater = "陆地水系"

// Nearby is a place found around a point: what a reverse answer shows of it,
// and its distance in metres (0 for a polygon that contains the point).
type Nearby struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Class     string    `json:"class"`
	Subclass  string    `json:"subclass,omitempty"`
	Code      string    `json:"code,omitempty"`
	Level     string    `json:"level,omitempty"`
	Admin     []string  `json:"admin,omitempty"`
	Label     orb.Point `json:"label"`
	DistanceM float64   `json:"distance_m"`
}

// allAdmin is the place's admin codes, completed with its own code when it is
// an admin unit (a township's point is evidence of that township).
func (n *Nearby) allAdmin() []string {
	if n.Code == "" || n.Level == "" {
		return n.Admin
	}
	return append(append([]string{}, n.Admin...), n.Code)
}

// Surroundings is what is at a point: where it lies, the water bodies whose
// polygon contains it, and the named places within RadiusM.
type Surroundings struct {
	Location
	// Water lists the lakes and other water polygons the point is in.
	Water []*Nearby `json:"water"`
	// Nearby lists the places within RadiusM, nearest first (distance to a
	// line or polygon is to its nearest edge; 0 inside a polygon).
	Nearby  []*Nearby `json:"nearby"`
	RadiusM float64   `json:"radius_m"`
}

// Reverse answers what is at pt: its Location, the containing water bodies,
// and up to size named places within radiusM (DefaultReverseM when 0). A
// point outside coverage answers an empty result with Method LocateOutside.
func (l *PlaceLocator) Reverse(ctx context.Context, pt orb.Point, radiusM float64, size int) (*Surroundings, error) {
	if err := validPoint("point", pt); err != nil {
		return nil, err
	}
	if radiusM <= 0 {
		radiusM = DefaultReverseM
	}
	out := &Surroundings{RadiusM: radiusM, Water: []*Nearby{}, Nearby: []*Nearby{}}
	err := l.idx.read(ctx, l.s, func(sn *snapshot) error {
		in, near := sn.within(pt, radiusM, size)
		var areas []*Nearby
		for _, h := range in {
			n := h.nearby()
			areas = append(areas, n)
			if n.Class == classWater {
				out.Water = append(out.Water, n)
			}
		}
		out.Location = l.locate(sn, pt, areas)
		if out.Outside() {
			out.Water = []*Nearby{}
			return nil
		}
		for _, h := range near {
			out.Nearby = append(out.Nearby, h.nearby())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// containing returns the current places whose polygon contains pt, by id.
func (sn *snapshot) containing(pt orb.Point) []*Nearby {
	in := sn.containingHits(pt)
	out := make([]*Nearby, len(in))
	for i, h := range in {
		out[i] = h.nearby()
	}
	return out
}

func (sn *snapshot) containingHits(pt orb.Point) []hit {
	var in []hit
	sn.search(&sn.areas, orb.Bound{Min: pt, Max: pt}, func(sp *spot) {
		if sp.contains(pt) {
			in = append(in, hit{sp: sp, contains: true})
		}
	})
	slices.SortFunc(in, func(a, b hit) int { return cmp.Compare(a.sp.ID, b.sp.ID) })
	return in
}

// within returns the lines and polygons that contain pt (by id), and the
// size current places nearest pt within m metres (distance to a line or
// polygon to its nearest edge, 0 inside), nearest first, then by id.
// Candidates are taken in the order of a lower bound of their distance (the
// distance to their bound) and measured exactly only while one could still
// be among the nearest.
func (sn *snapshot) within(pt orb.Point, m float64, size int) (in, near []hit) {
	in = sn.containingHits(pt)
	if size <= 0 {
		return in, nil
	}
	type cand struct {
		hit
		lb    float64
		exact bool
	}
	var cs []cand
	for _, h := range in {
		cs = append(cs, cand{hit: h, exact: true})
	}
	box := circleBound(pt, m)
	sn.search(&sn.points, box, func(sp *spot) {
		if h := sp.at(pt); h.d <= m {
			cs = append(cs, cand{hit: h, lb: h.d, exact: true})
		}
	})
	sn.search(&sn.areas, box, func(sp *spot) {
		if sp.bound.Contains(pt) && slices.ContainsFunc(in, func(h hit) bool { return h.sp == sp }) {
			return // among in already
		}
		if lb := boxMetres(pt, sp.bound); lb <= m+1e-6 {
			cs = append(cs, cand{hit: hit{sp: sp}, lb: lb})
		}
	})
	slices.SortFunc(cs, func(a, b cand) int {
		if a.lb != b.lb {
			return cmp.Compare(a.lb, b.lb)
		}
		return cmp.Compare(a.sp.ID, b.sp.ID)
	})
	for _, c := range cs {
		if len(near) == size && c.lb*(1-1e-9)-1e-6 > near[size-1].d {
			break
		}
		h := c.hit
		if !c.exact {
			h = hit{sp: c.sp, d: edgeDistance(pt, c.sp.g)}
		}
		if h.d > m {
			continue
		}
		i := sort.Search(len(near), func(i int) bool { return nearer(h, near[i]) })
		if i < size {
			near = slices.Insert(near, i, h)
			near = near[:min(len(near), size)]
		}
	}
	return in, near
}

// containsPoint is the exact point-in-polygon test (holes excluded).
func containsPoint(g orb.Geometry, pt orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, pt)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, pt)
	}
	return false
}

// circleBound is a bound containing the circle of radius m metres round pt.
func circleBound(pt orb.Point, m float64) orb.Bound {
	dLat := m / 110574
	c := math.Max(math.Cos(pt[1]*math.Pi/180), 0.01)
	dLon := m / (111320 * c)
	return orb.Bound{Min: orb.Point{pt[0] - dLon, pt[1] - dLat}, Max: orb.Point{pt[0] + dLon, pt[1] + dLat}}
}
