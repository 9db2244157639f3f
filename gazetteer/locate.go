package gazetteer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// How a Location was decided (Location.Method).
const (
	// LocateContains: an administrative boundary polygon held by the store
	// contains the point.
	LocateContains = "contains"
	// LocateEstimated: no boundary contains the point; the admin units are
	// estimated from the positioned places around it (Location.Evidence).
	LocateEstimated = "estimated"
	// LocateOutside: the point lies outside the gazetteer's coverage.
	LocateOutside = "outside"
)

// AdminRef is an administrative unit a point lies in. Level is prefecture,
// county, township or village.
type AdminRef struct {
	ID    int64  `json:"id,omitempty"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level,omitempty"`
}

// LocateEvidence is one positioned place an estimate rests on: which place,
// how far from the point, and the admin codes it is recorded in.
type LocateEvidence struct {
	PlaceID   int64    `json:"place_id"`
	Name      string   `json:"name"`
	DistanceM float64  `json:"distance_m"`
	Admin     []string `json:"admin,omitempty"`
}

// Location says which administrative units a geometry lies in and how that
// was decided. It is the one answer shared by reverse lookup, naming review
// (所在行政区 of a proposed name) and the importers (admin parents of a record
// that gives none).
type Location struct {
	// Admin lists the units broadest first, as far down as is known.
	Admin []AdminRef `json:"admin"`
	// Method is LocateContains, LocateEstimated or LocateOutside.
	Method string `json:"method"`
	// Evidence is what an estimate rests on, nearest first.
	Evidence []LocateEvidence `json:"evidence,omitempty"`
	// Note explains the answer in plain Chinese, for people.
	Note string `json:"note"`
}

// Outside reports whether the geometry lies outside the gazetteer's coverage.
func (l Location) Outside() bool { return l.Method == LocateOutside }

// Code returns the statistical code of the finest unit at level ("" when the
// location names none).
func (l Location) Code(level string) string {
	for _, a := range l.Admin {
		if a.Level == level {
			return a.Code
		}
	}
	return ""
}

// Codes returns the statistical codes of Admin, broadest first: the form of
// Place.Admin.
func (l Location) Codes() []string {
	out := make([]string, 0, len(l.Admin))
	for _, a := range l.Admin {
		out = append(out, a.Code)
	}
	return out
}

// Locator decides where a geometry lies. The store's implementation is
// Store.Locator.
type Locator interface {
	Locate(ctx context.Context, g orb.Geometry) (Location, error)
}

// Locator returns the store's Locator: one rule for containment and
// estimates, shared by every caller of this store.
func (s *Store) Locator() *PlaceLocator {
	s.locOnce.Do(func() { s.locator = newPlaceLocator(s) })
	return s.locator
}

// Default tunables of a PlaceLocator.
const (
	DefaultCoverageM   = 10000
	DefaultEstimateK   = 5
	DefaultTownshipM   = 2000
	DefaultReverseM    = 1000
	estimateFirstRingM = 2500
)

// PlaceLocator is the store's Locator. It decides, in this order:
//
//  1. contains: the current administrative units whose boundary polygon
//     (an imported 勘界 or OSM boundary; holes respected) contains the point
//     — the store's R*Tree of bounding boxes is the prefilter, orb/planar the
//     exact test;
//  2. estimated: otherwise the county-level unit that most of the nearest
//     positioned places (up to EstimateK, each recorded in exactly one
//     county) are in, weighted by 1/distance, and the township of the nearest
//     of them when it is within TownshipM; the places used are the evidence;
//  3. outside: the point is farther than CoverageM from every positioned
//     place and lies in no boundary or water body of the store.
//
// A line or polygon is located by its label point (gazetteer.LabelPoint).
type PlaceLocator struct {
	// CoverageM is how far from the nearest positioned place a point may be
	// and still count as covered by the gazetteer (metres).
	CoverageM float64
	// EstimateK is how many nearest positioned places an estimate weighs.
	EstimateK int
	// TownshipM is how near the nearest evidence place must be for its
	// township to be named in an estimate (metres).
	TownshipM float64

	s   *Store
	idx spatialIndex
}

func newPlaceLocator(s *Store) *PlaceLocator {
	return &PlaceLocator{CoverageM: DefaultCoverageM, EstimateK: DefaultEstimateK, TownshipM: DefaultTownshipM,
		s: s}
}

// Load brings the locator's in-memory snapshot of the store up to date,
// reading the whole store the first time: what the first lookup would do
// otherwise (a server calls it at start, in the background, so its first
// reverse request does not wait for the load).
func (l *PlaceLocator) Load(ctx context.Context) error {
	return l.idx.read(ctx, l.s, func(*snapshot) error { return nil })
}

// Locate implements Locator.
func (l *PlaceLocator) Locate(ctx context.Context, g orb.Geometry) (Location, error) {
	if g == nil {
		return Location{}, Errorf(EInvalid, "no geometry to locate")
	}
	pt := LabelPoint(g)
	if err := validPoint("point", pt); err != nil {
		return Location{}, err
	}
	var loc Location
	err := l.idx.read(ctx, l.s, func(sn *snapshot) error {
		loc = l.locate(sn, pt, sn.containing(pt))
		return nil
	})
	return loc, err
}

func (l *PlaceLocator) locate(sn *snapshot, pt orb.Point, areas []*Nearby) Location {
	var bounds []*Nearby
	water := false
	for _, a := range areas {
		if a.Code != "" && a.Level != "" {
			bounds = append(bounds, a)
		} else if a.Class == classWater {
			water = true
		}
	}
	if len(bounds) > 0 {
		return l.byContainment(sn, bounds)
	}
	ev := l.evidence(sn, pt)
	if len(ev) == 0 {
		if water {
			return Location{Method: LocateEstimated, Note: fmt.Sprintf("位于水面上，%s 内没有已定位的地名，无法推定所在行政区", km(l.CoverageM))}
		}
		return Location{Method: LocateOutside, Note: fmt.Sprintf("不在地名库覆盖范围内：%s 内没有已定位的地名，也不在已有边界或水面内", km(l.CoverageM))}
	}
	return l.estimate(sn, ev)
}

// levelRank orders admin levels broadest first.
var levelRank = map[string]int{"province": 0, "prefecture": 1, "county": 2, "township": 3, "village": 4}

// byContainment answers from the boundary polygons that contain the point,
// completed upwards with the recorded parents of the finest of them.
func (l *PlaceLocator) byContainment(sn *snapshot, bounds []*Nearby) Location {
	sort.SliceStable(bounds, func(i, j int) bool { return levelRank[bounds[i].Level] < levelRank[bounds[j].Level] })
	finest := bounds[len(bounds)-1]
	codes := append([]string{}, finest.Admin...)
	for _, b := range bounds {
		codes = append(codes, b.Code)
	}
	admin := sn.refs(codes)
	names := make([]string, len(bounds))
	for i, b := range bounds {
		names[i] = b.Name
	}
	return Location{Admin: admin, Method: LocateContains,
		Note: "位于" + strings.Join(names, "、") + "的边界内（按已导入的边界判定）"}
}

// evidence returns the positioned places an estimate may rest on, nearest
// first, up to EstimateK: current point places recorded in exactly one
// county-level unit, within CoverageM (a k-nearest walk of the snapshot's
// R-tree of point places).
func (l *PlaceLocator) evidence(sn *snapshot, pt orb.Point) []*Nearby {
	near := sn.nearest(pt, max(l.EstimateK, 1), l.CoverageM, func(sp *spot) bool { return sp.county != "" })
	out := make([]*Nearby, len(near))
	for i, h := range near {
		out[i] = h.nearby()
	}
	return out
}

// countyOf returns the single county-level code a place is recorded in, or
// "" when it names none or several (a lake or river across counties says
// nothing about which one a point is in).
func countyOf(n *Nearby) string {
	c := ""
	for _, a := range n.allAdmin() {
		if len(a) < 6 {
			continue
		}
		if c != "" && c != a[:6] {
			return ""
		}
		c = a[:6]
	}
	return c
}

// townshipOf returns the township code a place is recorded in (its own code
// for a township or village), or "".
func townshipOf(n *Nearby) string {
	t := ""
	for _, a := range n.allAdmin() {
		if len(a) >= 9 {
			t = a[:9]
		}
	}
	return t
}

// estimate weighs the evidence places by 1/distance and names the county
// most of the weight lies in, and the township of the nearest place when it
// is near enough.
func (l *PlaceLocator) estimate(sn *snapshot, ev []*Nearby) Location {
	weight := map[string]float64{}
	count := map[string]int{}
	for _, e := range ev {
		c := countyOf(e)
		weight[c] += 1 / math.Max(e.DistanceM, 50)
		count[c]++
	}
	county := ""
	for c, w := range weight {
		if county == "" || w > weight[county] || w == weight[county] && c < county {
			county = c
		}
	}
	var codes []string
	var nearest *Nearby
	for _, e := range ev {
		if countyOf(e) == county {
			nearest = e
			break
		}
	}
	for _, a := range nearest.allAdmin() {
		if len(a) < 6 {
			codes = append(codes, a)
		}
	}
	codes = append(codes, county)
	town := townshipOf(ev[0])
	withTown := town != "" && town[:6] == county && ev[0].DistanceM <= l.TownshipM
	if withTown {
		codes = append(codes, town)
	}
	admin := sn.refs(codes)
	loc := Location{Admin: admin, Method: LocateEstimated}
	var near []string
	for i, e := range ev {
		loc.Evidence = append(loc.Evidence, LocateEvidence{PlaceID: e.ID, Name: e.Name, DistanceM: math.Round(e.DistanceM), Admin: e.allAdmin()})
		if i < 3 {
			near = append(near, e.Name+" "+km(e.DistanceM))
		}
	}
	countyName := county
	for _, a := range admin {
		if a.Code == county {
			countyName = a.Name
		}
	}
	loc.Note = fmt.Sprintf("按最近的已定位地名推定（%s）：%d 个中 %d 个在%s", strings.Join(near, "、"), len(ev), count[county], countyName)
	if withTown {
		loc.Note += "；乡镇按最近的 " + ev[0].Name
	}
	return loc
}

// refs resolves statistical codes to the current admin units of the
// snapshot, broadest first (then by id), one per code (the lowest id),
// dropping codes the store does not hold.
func (sn *snapshot) refs(codes []string) []AdminRef {
	var out []AdminRef
	for _, c := range codes {
		if c == "" || slices.ContainsFunc(out, func(a AdminRef) bool { return a.Code == c }) {
			continue
		}
		units := sn.units[c]
		if len(units) == 0 {
			continue
		}
		first := units[0]
		for _, a := range units[1:] {
			if a.ID < first.ID {
				first = a
			}
		}
		out = append(out, first)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Code) != len(out[j].Code) {
			return len(out[i].Code) < len(out[j].Code)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// km writes a distance for a note: "350 m", "1.2 km".
func km(m float64) string {
	if m < 1000 {
		return fmt.Sprintf("%.0f m", m)
	}
	return fmt.Sprintf("%.1f km", m/1000)
}

// distanceTo is the distance in metres from pt to a geometry: great-circle
// to a point; to a line or polygon, planar in a local equirectangular frame
// at pt (exact enough within the few kilometres it is used for), 0 inside a
// polygon.
func distanceTo(pt orb.Point, g orb.Geometry) float64 {
	if p, ok := g.(orb.Point); ok {
		return geo.DistanceHaversine(pt, p)
	}
	if containsPoint(g, pt) {
		return 0
	}
	return edgeDistance(pt, g)
}

// edgeDistance is the distance in metres from pt to the nearest segment of
// g, in a local equirectangular frame at pt.
func edgeDistance(pt orb.Point, g orb.Geometry) float64 {
	kx := 111320 * math.Cos(pt[1]*math.Pi/180)
	const ky = 110574
	best := math.Inf(1)
	seg := func(a, b orb.Point) {
		ax, ay := (a[0]-pt[0])*kx, (a[1]-pt[1])*ky
		bx, by := (b[0]-pt[0])*kx, (b[1]-pt[1])*ky
		dx, dy := bx-ax, by-ay
		t := 0.0
		if d := dx*dx + dy*dy; d > 0 {
			t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/d))
		}
		best = math.Min(best, math.Hypot(ax+t*dx, ay+t*dy))
	}
	eachSegment(g, seg)
	return best
}

// eachSegment calls fn for every segment of a geometry's lines and rings
// (a lone point counts as a segment of zero length).
func eachSegment(g orb.Geometry, fn func(a, b orb.Point)) {
	line := func(ls []orb.Point) {
		for i := 0; i+1 < len(ls); i++ {
			fn(ls[i], ls[i+1])
		}
		if len(ls) == 1 {
			fn(ls[0], ls[0])
		}
	}
	switch g := g.(type) {
	case orb.Point:
		fn(g, g)
	case orb.MultiPoint:
		for _, p := range g {
			fn(p, p)
		}
	case orb.LineString:
		line(g)
	case orb.MultiLineString:
		for _, ls := range g {
			line(ls)
		}
	case orb.Ring:
		line(g)
	case orb.Polygon:
		for _, r := range g {
			line(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				line(r)
			}
		}
	case orb.Collection:
		for _, c := range g {
			eachSegment(c, fn)
		}
	}
}
