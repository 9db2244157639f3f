package gazetteer

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/rtree"
)

// The locator's in-memory spatial snapshot (as Pelias's point-in-polygon
// service holds one): every current place with a geometry — its label point,
// bound and decoded geometry — in two R-trees (point places; lines and
// polygons), and the current administrative units by code. It is loaded on
// first use and kept current from the change feed: when the store's Version
// has moved, the places written since the snapshot's revision are read again
// (another process's writes included, as Version covers them). A lookup then
// asks no SQL at all.
//
// simplefeatures' R-tree is bulk-loaded and immutable, so a layer is a tree
// over the places it was built from plus a short list of those written since,
// scanned linearly; a place rewritten or retired marks its old entry dead.
// The tree is built again once the list outgrows rebuildAt.

// pointBoxDeg: a geometry whose bound is narrower than this both ways is a
// point place (as the backends decide for their spatial queries).
const pointBoxDeg = 3e-5

// spot is a current place with a geometry as the snapshot holds it.
type spot struct {
	Nearby
	g      orb.Geometry
	bound  orb.Bound
	point  bool
	county string        // countyOf: evidence only when set
	polys  []orb.Polygon // an area's polygons
	rings  []orb.Bound   // their ring bounds, polygon by polygon (holes after their shell)
	dead   bool          // replaced or gone: the layers skip it (set under the write lock)
}

func newSpot(p *Place) *spot {
	sp := &spot{g: p.Geometry, bound: p.Geometry.Bound()}
	sp.Nearby = Nearby{ID: p.ID, Name: p.Name, Class: p.Category.Class, Subclass: p.Category.Subclass,
		Code: p.Code, Level: p.Level}
	if len(p.Admin) > 0 {
		sp.Admin = append([]string{}, p.Admin...)
		sort.SliceStable(sp.Admin, func(i, j int) bool { return len(sp.Admin[i]) < len(sp.Admin[j]) })
	}
	if p.Label != nil {
		sp.Label = *p.Label
	} else {
		sp.Label = LabelPoint(p.Geometry)
	}
	sp.point = sp.bound.Max[0]-sp.bound.Min[0] < pointBoxDeg && sp.bound.Max[1]-sp.bound.Min[1] < pointBoxDeg
	sp.county = countyOf(&sp.Nearby)
	sp.polys = polygonsOf(p.Geometry)
	for _, poly := range sp.polys {
		for _, r := range poly {
			sp.rings = append(sp.rings, r.Bound())
		}
	}
	return sp
}

// polygonsOf returns the polygons of an area (nil for other geometries).
func polygonsOf(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// contains is the exact point-in-polygon test (planar; holes excluded,
// boundary in), skipping every ring whose bound does not hold the point.
func (sp *spot) contains(pt orb.Point) bool {
	i := 0
	for _, poly := range sp.polys {
		shell := i
		i += len(poly)
		if len(poly) == 0 || !sp.rings[shell].Contains(pt) || !planar.RingContains(poly[0], pt) {
			continue
		}
		inHole := false
		for h := 1; h < len(poly) && !inHole; h++ {
			inHole = sp.rings[shell+h].Contains(pt) && planar.RingContains(poly[h], pt)
		}
		if !inHole {
			return true
		}
	}
	return false
}

// hit is a spot as found from pt: its distance in metres (to the label of a
// point place; to the nearest edge of a line or polygon, 0 inside) and
// whether its polygon contains pt.
type hit struct {
	sp       *spot
	d        float64
	contains bool
}

func (sp *spot) at(pt orb.Point) hit {
	switch {
	case sp.point:
		return hit{sp: sp, d: distanceTo(pt, sp.Label)}
	case sp.contains(pt):
		return hit{sp: sp, contains: true}
	}
	return hit{sp: sp, d: edgeDistance(pt, sp.g)}
}

// nearby is the hit as a reverse answer shows it.
func (h hit) nearby() *Nearby {
	n := h.sp.Nearby
	n.DistanceM = h.d
	return &n
}

// boxMetres is the distance in metres from pt to a bound in the local frame
// edgeDistance measures in: no segment inside the bound is nearer.
func boxMetres(pt orb.Point, b orb.Bound) float64 {
	kx := 111320 * math.Cos(pt[1]*math.Pi/180)
	const ky = 110574
	dx := math.Max(0, math.Max(b.Min[0]-pt[0], pt[0]-b.Max[0])) * kx
	dy := math.Max(0, math.Max(b.Min[1]-pt[1], pt[1]-b.Max[1])) * ky
	return math.Hypot(dx, dy)
}

// layer is one R-tree of the snapshot and the spots written since it was
// built.
type layer struct {
	tree  *rtree.RTree
	base  []*spot
	extra []*spot
}

// box is the box a spot is indexed by: a point place by its label (its
// distance is measured from there), anything else by its bound.
func (sp *spot) box() orb.Bound {
	if sp.point {
		return orb.Bound{Min: sp.Label, Max: sp.Label}
	}
	return sp.bound
}

func rbox(b orb.Bound) rtree.Box {
	return rtree.Box{MinX: b.Min[0], MinY: b.Min[1], MaxX: b.Max[0], MaxY: b.Max[1]}
}

func meets(a, b orb.Bound) bool {
	return a.Max[0] >= b.Min[0] && a.Min[0] <= b.Max[0] && a.Max[1] >= b.Min[1] && a.Min[1] <= b.Max[1]
}

func buildLayer(spots []*spot) layer {
	items := make([]rtree.BulkItem, len(spots))
	for i, sp := range spots {
		items[i] = rtree.BulkItem{Box: rbox(sp.box()), RecordID: i}
	}
	return layer{tree: rtree.BulkLoad(items), base: spots}
}

// snapshot is what the locator holds of the store at revision rev.
type snapshot struct {
	rev    int64
	spots  map[int64]*spot
	units  map[string][]AdminRef // current admin units by code
	unitOf map[int64]string      // the code each admin unit is held under
	points layer
	areas  layer
}

func newSnapshot(rev int64) *snapshot {
	return &snapshot{rev: rev, spots: map[int64]*spot{}, units: map[string][]AdminRef{}, unitOf: map[int64]string{}}
}

// rebuildAt is how many spots written since a layer's tree was built make
// it worth building again.
func rebuildAt(base int) int { return 256 + base/16 }

// put makes the snapshot hold p as its current state (nil or not current:
// gone). Call reindex after a batch of puts.
func (sn *snapshot) put(id int64, p *Place, building bool) {
	if old := sn.spots[id]; old != nil {
		old.dead = true
		delete(sn.spots, id)
	}
	if code, ok := sn.unitOf[id]; ok {
		sn.units[code] = slices.DeleteFunc(sn.units[code], func(a AdminRef) bool { return a.ID == id })
		if len(sn.units[code]) == 0 {
			delete(sn.units, code)
		}
		delete(sn.unitOf, id)
	}
	if p == nil || p.Status != StatusCurrent {
		return
	}
	if p.Code != "" {
		sn.units[p.Code] = append(sn.units[p.Code], AdminRef{ID: p.ID, Code: p.Code, Name: p.Name, Level: p.Level})
		sn.unitOf[id] = p.Code
	}
	if p.Geometry == nil {
		return
	}
	sp := newSpot(p)
	sn.spots[id] = sp
	if building {
		return
	}
	if sp.point {
		sn.points.extra = append(sn.points.extra, sp)
	} else {
		sn.areas.extra = append(sn.areas.extra, sp)
	}
}

// reindex builds a layer's tree again when its list of later spots has
// grown too long (or both, with all, after a load).
func (sn *snapshot) reindex(all bool) {
	if !all && len(sn.points.extra) < rebuildAt(len(sn.points.base)) && len(sn.areas.extra) < rebuildAt(len(sn.areas.base)) {
		return
	}
	var pts, areas []*spot
	for _, sp := range sn.spots {
		if sp.point {
			pts = append(pts, sp)
		} else {
			areas = append(areas, sp)
		}
	}
	// Map order is random; the trees need not be, for reproducible timings.
	byID := func(a, b *spot) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(pts, byID)
	slices.SortFunc(areas, byID)
	sn.points, sn.areas = buildLayer(pts), buildLayer(areas)
}

// live reports whether sp is still the snapshot's state of its place.
func (sn *snapshot) live(sp *spot) bool { return !sp.dead }

// search calls fn for every live spot of the layer whose box meets b.
func (sn *snapshot) search(ly *layer, b orb.Bound, fn func(*spot)) {
	if ly.tree != nil {
		ly.tree.RangeSearch(rbox(b), func(i int) error {
			if sp := ly.base[i]; sn.live(sp) {
				fn(sp)
			}
			return nil
		})
	}
	for _, sp := range ly.extra {
		if meets(sp.box(), b) && sn.live(sp) {
			fn(sp)
		}
	}
}

// nearest returns the k point places nearest pt within maxM that keep
// accepts, nearest first (ties by id): a best-first walk of the points'
// R-tree, stopped once no unseen place can be nearer than the k-th.
func (sn *snapshot) nearest(pt orb.Point, k int, maxM float64, keep func(*spot) bool) []hit {
	var best []hit
	consider := func(sp *spot) {
		if !keep(sp) {
			return
		}
		f := sp.at(pt)
		if f.d > maxM {
			return
		}
		i := sort.Search(len(best), func(i int) bool { return nearer(f, best[i]) })
		if i >= k {
			return
		}
		best = slices.Insert(best, i, f)
		if len(best) > k {
			best = best[:k]
		}
	}
	for _, sp := range sn.points.extra {
		if sn.live(sp) {
			consider(sp)
		}
	}
	if sn.points.tree == nil {
		return best
	}
	sn.points.tree.PrioritySearch(rbox(orb.Bound{Min: pt, Max: pt}), func(i int) error {
		sp := sn.points.base[i]
		lb := metresAtLeast(pt, sp.Label)
		if lb > maxM || len(best) == k && lb > best[k-1].d {
			return rtree.Stop
		}
		if sn.live(sp) {
			consider(sp)
		}
		return nil
	})
	return best
}

// nearer orders hits by distance, then id.
func nearer(a, b hit) bool {
	if a.d != b.d {
		return a.d < b.d
	}
	return a.sp.ID < b.sp.ID
}

// metresAtLeast is a lower bound of the great-circle distance from pt to q
// that grows with their distance in degrees, the R-tree's metric: a degree
// of longitude is shortest at the highest latitude the pair reaches. A 1%
// margin covers the great circle's bulge poleward at the scales an estimate
// looks at (tens of kilometres at most).
func metresAtLeast(pt, q orb.Point) float64 {
	d := math.Hypot(q[0]-pt[0], q[1]-pt[1])
	lat := math.Min(math.Abs(pt[1])+d, 89.9)
	return 0.99 * d * math.Pi / 180 * orb.EarthRadius * math.Cos(lat*math.Pi/180)
}

// spotDoc is what the snapshot reads of a stored record (decoding the
// whole Place, names and sources and all, took twice as long).
type spotDoc struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Category Category      `json:"category"`
	Status   Status        `json:"status"`
	Code     string        `json:"code"`
	Level    string        `json:"level"`
	Admin    []string      `json:"admin"`
	Geometry *wireGeometry `json:"geometry"`
	Label    *[2]float64   `json:"label"`
}

func (d *spotDoc) place() *Place {
	p := &Place{ID: d.ID, Name: d.Name, Category: d.Category, Status: d.Status, Code: d.Code, Level: d.Level, Admin: d.Admin}
	if d.Geometry != nil {
		p.Geometry = d.Geometry.Geometry()
	}
	if d.Label != nil {
		pt := orb.Point(*d.Label)
		p.Label = &pt
	}
	return p
}

// spatialIndex keeps the locator's snapshot current with the store.
type spatialIndex struct {
	mu      sync.RWMutex // guards snap and ver
	snap    *snapshot
	ver     int64
	refresh sync.Mutex // one refresher at a time; held while reading the store
}

// reloadAt is how many changed places make reading the whole store again
// cheaper than reading each.
func reloadAt(held int) int { return 2000 + held/4 }

// read brings the snapshot up to the store's Version and calls fn with it
// under the read lock.
func (x *spatialIndex) read(ctx context.Context, s *Store, fn func(*snapshot) error) error {
	// A request past its deadline is not answered from memory either: the
	// caller tells "over its budget" by the context, as for a store query.
	if err := ctx.Err(); err != nil {
		return err
	}
	v := s.Version()
	x.mu.RLock()
	if x.snap != nil && x.ver == v {
		defer x.mu.RUnlock()
		return fn(x.snap)
	}
	x.mu.RUnlock()
	if err := x.update(ctx, s, v); err != nil {
		return err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return fn(x.snap)
}

// update applies the writes since the snapshot's revision, or loads the
// store afresh.
func (x *spatialIndex) update(ctx context.Context, s *Store, seen int64) error {
	x.refresh.Lock()
	defer x.refresh.Unlock()
	x.mu.RLock()
	sn, ver := x.snap, x.ver
	x.mu.RUnlock()
	if sn != nil && ver == seen {
		return nil // another caller brought it up to date
	}
	v := s.Version() // whatever commits from here on moves it again
	if sn == nil {
		return x.load(ctx, s, v)
	}
	head, err := s.LastRevision(ctx)
	if err != nil {
		return err
	}
	if head < sn.rev { // the store was replaced (a restore)
		return x.load(ctx, s, v)
	}
	ids, last, err := s.ChangedSince(ctx, sn.rev)
	if err != nil {
		return err
	}
	if len(ids) > reloadAt(len(sn.spots)) {
		return x.load(ctx, s, v)
	}
	places := make([]*Place, len(ids))
	for i, id := range ids {
		p, err := s.Get(ctx, id)
		if err != nil && ErrorCode(err) != ENotFound {
			return err
		}
		places[i] = p
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, id := range ids {
		sn.put(id, places[i], false)
	}
	sn.reindex(false)
	sn.rev, x.ver = last, v
	return nil
}

// load reads every current place into a new snapshot.
func (x *spatialIndex) load(ctx context.Context, s *Store, v int64) error {
	rev, err := s.LastRevision(ctx)
	if err != nil {
		return err
	}
	sn := newSnapshot(rev)
	if err := s.eachDoc(ctx, Filter{Status: StatusCurrent}, func(doc []byte) error {
		var d spotDoc
		if err := json.Unmarshal(doc, &d); err != nil {
			return fmt.Errorf("decode stored place: %w", err)
		}
		sn.put(d.ID, d.place(), true)
		return nil
	}); err != nil {
		return err
	}
	sn.reindex(true)
	x.mu.Lock()
	x.snap, x.ver = sn, v
	x.mu.Unlock()
	return nil
}
