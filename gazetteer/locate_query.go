package gazetteer

import (
	"context"
	"math"
	"sort"
	"sync"

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
	near, err := l.within(ctx, pt, radiusM, false)
	if err != nil {
		return nil, err
	}
	out := &Surroundings{RadiusM: radiusM, Water: []*Nearby{}, Nearby: []*Nearby{}}
	var areas []*Nearby
	for _, n := range near {
		if n.DistanceM == 0 && n.contains {
			areas = append(areas, &n.Nearby)
			if n.Class == classWater {
				out.Water = append(out.Water, &n.Nearby)
			}
		}
	}
	if out.Location, err = l.locate(ctx, pt, areas); err != nil {
		return nil, err
	}
	if out.Outside() {
		out.Water = []*Nearby{}
		return out, nil
	}
	for _, n := range near {
		if n.DistanceM <= radiusM && len(out.Nearby) < size {
			out.Nearby = append(out.Nearby, &n.Nearby)
		}
	}
	return out, nil
}

// found is a row of a spatial query: the place and whether its polygon
// contains the query point.
type found struct {
	Nearby
	contains bool
}

// containing returns the current places whose polygon contains pt.
func (l *PlaceLocator) containing(ctx context.Context, pt orb.Point) ([]*Nearby, error) {
	near, err := l.query(ctx, pt, orb.Bound{Min: pt, Max: pt}, false, true)
	if err != nil {
		return nil, err
	}
	var out []*Nearby
	for _, n := range near {
		if n.contains {
			out = append(out, &n.Nearby)
		}
	}
	return out, nil
}

// within returns the current places whose bounding box meets the circle of
// radius m around pt, with their distances, nearest first (places farther
// than m may be among them: callers cut). pointsOnly keeps point places.
func (l *PlaceLocator) within(ctx context.Context, pt orb.Point, m float64, pointsOnly bool) ([]*found, error) {
	near, err := l.query(ctx, pt, circleBound(pt, m), pointsOnly, false)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(near, func(i, j int) bool {
		if near[i].DistanceM != near[j].DistanceM {
			return near[i].DistanceM < near[j].DistanceM
		}
		return near[i].ID < near[j].ID
	})
	return near, nil
}

// query asks the backend for the current places whose bounding box meets
// box and computes each candidate's distance to pt (exact, from the decoded
// geometry for lines and polygons). areasOnly skips point places,
// pointsOnly keeps only them.
func (l *PlaceLocator) query(ctx context.Context, pt orb.Point, box orb.Bound, pointsOnly, areasOnly bool) ([]*found, error) {
	shape := AnyShape
	switch {
	case pointsOnly:
		shape = PointsOnly
	case areasOnly:
		shape = AreasOnly
	}
	hits, err := l.s.b.Within(ctx, box, shape)
	if err != nil {
		return nil, err
	}
	out := make([]*found, 0, len(hits))
	for i := range hits {
		h := &hits[i]
		f := &found{Nearby: h.Nearby}
		if h.Point {
			f.DistanceM = distanceTo(pt, f.Label)
			out = append(out, f)
			continue
		}
		g, err := l.cache.get(ctx, l.s, f.ID, h.Updated)
		if err != nil {
			return nil, err
		}
		if g == nil {
			continue
		}
		f.contains = containsPoint(g, pt)
		if areasOnly && !f.contains {
			continue
		}
		if f.contains {
			f.DistanceM = 0
		} else {
			f.DistanceM = distanceTo(pt, g)
		}
		out = append(out, f)
	}
	return out, nil
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

// geomCache keeps the decoded geometry of lines and polygons by place id and
// the revision time it was decoded at, so a large polygon (太湖 has thousands
// of vertices) is parsed once, not on every lookup; a newer revision is
// decoded afresh.
type geomCache struct {
	mu sync.Mutex
	m  map[int64]cachedGeom
}

type cachedGeom struct {
	updated string
	g       orb.Geometry
}

func newGeomCache() *geomCache { return &geomCache{m: map[int64]cachedGeom{}} }

func (c *geomCache) get(ctx context.Context, s *Store, id int64, updated string) (orb.Geometry, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && e.updated == updated {
		return e.g, nil
	}
	p, err := s.Get(ctx, id)
	if ENotFound == ErrorCode(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[id] = cachedGeom{updated: p.Updated, g: p.Geometry}
	c.mu.Unlock()
	return p.Geometry, nil
}
