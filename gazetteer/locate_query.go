package gazetteer

import (
	"context"
	"math"
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
		near := sn.within(pt, radiusM)
		var areas []*Nearby
		for _, n := range near {
			if n.DistanceM == 0 && n.contains {
				areas = append(areas, &n.Nearby)
				if n.Class == classWater {
					out.Water = append(out.Water, &n.Nearby)
				}
			}
		}
		out.Location = l.locate(sn, pt, areas)
		if out.Outside() {
			out.Water = []*Nearby{}
			return nil
		}
		for _, n := range near {
			if n.DistanceM <= radiusM && len(out.Nearby) < size {
				out.Nearby = append(out.Nearby, &n.Nearby)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// found is a place a spatial query found: the place, its distance and
// whether its polygon contains the query point.
type found struct {
	Nearby
	contains bool
}

// containing returns the current places whose polygon contains pt, by id.
func (sn *snapshot) containing(pt orb.Point) []*Nearby {
	var out []*Nearby
	sn.search(&sn.areas, orb.Bound{Min: pt, Max: pt}, func(sp *spot) {
		if sp.contains(pt) {
			n := sp.Nearby
			out = append(out, &n)
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// within returns the current places whose bounding box meets the circle of
// radius m around pt, with their distances, nearest first (places farther
// than m may be among them: callers cut).
func (sn *snapshot) within(pt orb.Point, m float64) []*found {
	box := circleBound(pt, m)
	var near []*found
	add := func(sp *spot) { near = append(near, sp.at(pt)) }
	sn.search(&sn.points, box, add)
	sn.search(&sn.areas, box, add)
	sort.Slice(near, func(i, j int) bool { return nearer(near[i], near[j]) })
	return near
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
