// Package tiles cuts WGS84 GeoJSON features into Mapbox Vector Tiles
// (MVT 2.1, layer version 2) with orb's encoding/mvt and maptile: one MVT
// layer per value of a property (e.g. category), lines and polygons
// simplified in tile units, polygon rings wound as MVT 2.1 §4.3.4.4 wants,
// and points thinned at low zooms so the most important ("rank") ones win.
//
// A Schema (schema.go) is the contract of a tile set: its layers, their
// zooms, geometry types and attributes. An Index built with one keeps each
// layer to its zooms; the same Schema writes the TileJSON and PMTiles
// metadata, and CheckTile tests a decoded tile against it.
//
// An Index precomputes each feature's bounds and which tiles it touches, so
// a server answers Tile(z, x, y) without scanning all features, and a
// static build walks only the non-empty tiles with BuildAll.
package tiles

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"wumen/geo"
)

// Options tune tile building. The zero value of a field means its default.
type Options struct {
	// LayerProperty names the property whose value is the MVT layer name
	// (default "category"); features without it go to DefaultLayer
	// (default "places").
	LayerProperty, DefaultLayer string
	// RankProperty names the numeric property that orders points for
	// thinning, highest first (default "rank").
	RankProperty string
	// Buffer is the margin around each tile kept when clipping, in tile
	// units of the 4096 extent (default 64), so lines and labels join
	// across tile edges.
	Buffer float64
	// Tolerance is the Douglas–Peucker tolerance in tile units (default 1,
	// i.e. 1/16 of a 256-px screen pixel).
	Tolerance float64
	// ThinBelowZoom: at zooms below it points are thinned (default 14).
	ThinBelowZoom maptile.Zoom
	// ThinCells is the grid size per tile side used for thinning: each cell
	// keeps its highest-ranked point (default 16, one point per 16 px).
	ThinCells int
	// IndexZoom is the deepest zoom with a precomputed tile list (default
	// 14); deeper tiles filter their IndexZoom ancestor's list.
	IndexZoom maptile.Zoom
	// Gzip compresses the returned tiles (as PMTiles and HTTP
	// Content-Encoding: gzip expect).
	Gzip bool
	// Schema, when set, must list every feature's layer; a feature then
	// shows only at its layer's zooms.
	Schema *Schema
	// MinZoomProperty and MaxZoomProperty name numeric properties that
	// narrow one feature's zooms further (default "minzoom", "maxzoom").
	// They, and LayerProperty, are not written as attributes.
	MinZoomProperty, MaxZoomProperty string
}

func (o *Options) defaults() {
	if o.LayerProperty == "" {
		o.LayerProperty = "category"
	}
	if o.DefaultLayer == "" {
		o.DefaultLayer = "places"
	}
	if o.RankProperty == "" {
		o.RankProperty = "rank"
	}
	if o.Buffer == 0 {
		o.Buffer = 64
	}
	if o.Tolerance == 0 {
		o.Tolerance = 1
	}
	if o.ThinBelowZoom == 0 {
		o.ThinBelowZoom = 14
	}
	if o.ThinCells == 0 {
		o.ThinCells = 16
	}
	if o.IndexZoom == 0 {
		o.IndexZoom = 14
	}
	if o.MinZoomProperty == "" {
		o.MinZoomProperty = "minzoom"
	}
	if o.MaxZoomProperty == "" {
		o.MaxZoomProperty = "maxzoom"
	}
}

// Index answers tile requests over a fixed set of features. It is safe for
// concurrent use once built.
type Index struct {
	opts    Options
	feats   []*geojson.Feature
	bounds  []orb.Bound
	rank    []float64
	merc    []orb.Point          // points' Web Mercator position as a fraction of the world (z0 tile units)
	zooms   [][2]maptile.Zoom    // each feature's zoom range
	layer   []string             // each feature's layer
	buckets []map[uint64][]int32 // per zoom 0..IndexZoom: tile key → feature indexes
}

func key(x, y uint32) uint64 { return uint64(x)<<32 | uint64(y) }

// NewIndex indexes features (WGS84, not modified). Features without
// geometry are an error naming their position and ID.
func NewIndex(features []*geojson.Feature, opts Options) (*Index, error) {
	opts.defaults()
	if opts.IndexZoom > 22 {
		return nil, fmt.Errorf("tiles: IndexZoom %d too deep", opts.IndexZoom)
	}
	n := len(features)
	ix := &Index{opts: opts, feats: make([]*geojson.Feature, n), bounds: make([]orb.Bound, n), rank: make([]float64, n),
		merc: make([]orb.Point, n), zooms: make([][2]maptile.Zoom, n), layer: make([]string, n)}
	for i, f := range features {
		if f == nil || f.Geometry == nil {
			return nil, fmt.Errorf("tiles: feature %d (id %v): no geometry", i, featureID(f))
		}
		if err := ix.place(i, f); err != nil {
			return nil, err
		}
		b := f.Geometry.Bound()
		if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 || math.IsNaN(b.Min[0]+b.Min[1]+b.Max[0]+b.Max[1]) {
			return nil, fmt.Errorf("tiles: feature %d (id %v): bounds %v are not WGS84 lon/lat", i, f.ID, b)
		}
		ix.bounds[i] = b
		ix.rank[i] = number(f.Properties[opts.RankProperty])
		f = ix.feats[i]
		if p, ok := f.Geometry.(orb.Point); ok {
			ix.merc[i] = maptile.Fraction(p, 0)
		}
	}
	// Buckets list features highest rank first: thinning then needs no
	// sort, and MVT renderers place labels in feature order, so important
	// names win label collisions.
	order := make([]int32, len(features))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(ix.rank[b], ix.rank[a]) })
	ix.buckets = make([]map[uint64][]int32, opts.IndexZoom+1)
	for z := range ix.buckets {
		m := map[uint64][]int32{}
		for _, i := range order {
			if !ix.shows(i, maptile.Zoom(z)) {
				continue
			}
			x0, y0, x1, y1 := ix.tileRange(ix.bounds[i], maptile.Zoom(z))
			for x := x0; x <= x1; x++ {
				for y := y0; y <= y1; y++ {
					m[key(x, y)] = append(m[key(x, y)], i)
				}
			}
		}
		ix.buckets[z] = m
	}
	return ix, nil
}

// place records feature i's layer and zooms and keeps a copy of it whose
// polygon rings are wound for MVT (mvtWinding).
func (ix *Index) place(i int, f *geojson.Feature) error {
	o := ix.opts
	name, _ := f.Properties[o.LayerProperty].(string)
	if name == "" {
		name = o.DefaultLayer
	}
	lo, hi := maptile.Zoom(0), maptile.Zoom(30)
	if o.Schema != nil {
		l := o.Schema.Layer(name)
		if l == nil {
			return fmt.Errorf("tiles: feature %d (id %v): layer %q is not in the tile schema", i, f.ID, name)
		}
		lo, hi = maptile.Zoom(l.MinZoom), maptile.Zoom(l.MaxZoom)
	}
	if v, ok := f.Properties[o.MinZoomProperty]; ok {
		lo = max(lo, maptile.Zoom(max(number(v), 0)))
	}
	if v, ok := f.Properties[o.MaxZoomProperty]; ok {
		hi = min(hi, maptile.Zoom(max(number(v), 0)))
	}
	ix.layer[i], ix.zooms[i] = name, [2]maptile.Zoom{lo, hi}
	c := *f
	if t := f.Geometry.GeoJSONType(); t == "Polygon" || t == "MultiPolygon" {
		c.Geometry = mvtWinding(orb.Clone(f.Geometry))
	}
	ix.feats[i] = &c
	return nil
}

// mvtWinding orients the rings of a WGS84 Polygon or MultiPolygon, in
// place, so that in tile coordinates (y axis down) an exterior ring has the
// positive area MVT 2.1 §4.3.4.4 defines it by (clockwise on screen) and a
// hole the negative: the opposite of RFC 7946 §3.1.6 in longitude/latitude,
// whose y axis points up. Decoders that tell polygons apart by winding
// (orb's, GDAL's) then read a lake's island as its hole, not as more water.
func mvtWinding(g orb.Geometry) orb.Geometry {
	g = geo.OrientRings(g)
	switch t := g.(type) {
	case orb.Polygon:
		for _, r := range t {
			r.Reverse()
		}
	case orb.MultiPolygon:
		for _, p := range t {
			for _, r := range p {
				r.Reverse()
			}
		}
	}
	return g
}

// shows reports whether feature i is drawn at zoom z.
func (ix *Index) shows(i int32, z maptile.Zoom) bool {
	return z >= ix.zooms[i][0] && z <= ix.zooms[i][1]
}

func featureID(f *geojson.Feature) any {
	if f == nil {
		return nil
	}
	return f.ID
}

// number reads a numeric property; anything else ranks lowest.
func number(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case int32:
		return float64(n)
	case uint32:
		return float64(n)
	case uint64:
		return float64(n)
	}
	return math.Inf(-1)
}

// tileRange returns the tiles at zoom z whose buffered area meets b.
func (ix *Index) tileRange(b orb.Bound, z maptile.Zoom) (x0, y0, x1, y1 uint32) {
	buf := ix.opts.Buffer / mvt.DefaultExtent
	lo := maptile.Fraction(orb.Point{b.Min[0], b.Max[1]}, z) // north-west
	hi := maptile.Fraction(orb.Point{b.Max[0], b.Min[1]}, z) // south-east
	n := float64(uint64(1) << z)
	clamp := func(v float64) uint32 { return uint32(min(max(v, 0), n-1)) }
	return clamp(math.Floor(lo[0] - buf)), clamp(math.Floor(lo[1] - buf)), clamp(math.Floor(hi[0] + buf)), clamp(math.Floor(hi[1] + buf))
}

// candidates returns the indexes of features that may touch tile t,
// highest rank first.
func (ix *Index) candidates(t maptile.Tile) []int32 {
	if t.Z <= ix.opts.IndexZoom {
		return ix.buckets[t.Z][key(t.X, t.Y)]
	}
	shift := t.Z - ix.opts.IndexZoom
	parent := ix.buckets[ix.opts.IndexZoom][key(t.X>>shift, t.Y>>shift)]
	var out []int32
	for _, i := range parent {
		if !ix.shows(i, t.Z) {
			continue
		}
		x0, y0, x1, y1 := ix.tileRange(ix.bounds[i], t.Z)
		if t.X >= x0 && t.X <= x1 && t.Y >= y0 && t.Y <= y1 {
			out = append(out, i)
		}
	}
	return out
}

// Tile returns the encoded tile z/x/y, or nil when no feature shows in it.
func (ix *Index) Tile(z maptile.Zoom, x, y uint32) ([]byte, error) {
	t := maptile.New(x, y, z)
	if z > 30 || !t.Valid() {
		return nil, fmt.Errorf("tiles: tile %d/%d/%d out of range", z, x, y)
	}
	return ix.build(t, ix.candidates(t))
}

// thin keeps, among the point features in idx (highest rank first), the
// highest-ranked point of each layer in each cell of a ThinCells×ThinCells
// grid per tile. The grid is global at
// zoom z, so neighbouring tiles agree on the winner of a shared cell.
func (ix *Index) thin(idx []int32, z maptile.Zoom) []int32 {
	pts := make([]int32, 0, len(idx))
	out := make([]int32, 0, len(idx))
	for _, i := range idx {
		if _, ok := ix.feats[i].Geometry.(orb.Point); ok {
			pts = append(pts, i)
		} else {
			out = append(out, i)
		}
	}
	scale := float64(ix.opts.ThinCells) * float64(uint64(1)<<z)
	type cell struct {
		layer string
		xy    uint64
	}
	taken := make(map[cell]bool, len(pts))
	for _, i := range pts {
		f := ix.merc[i]
		k := cell{ix.layer[i], key(uint32(f[0]*scale), uint32(f[1]*scale))}
		if !taken[k] {
			taken[k] = true
			out = append(out, i)
		}
	}
	return out
}

// build encodes the features idx into tile t.
func (ix *Index) build(t maptile.Tile, idx []int32) ([]byte, error) {
	if len(idx) == 0 {
		return nil, nil
	}
	if t.Z < ix.opts.ThinBelowZoom {
		idx = ix.thin(idx, t.Z)
	}
	byLayer := map[string][]*geojson.Feature{}
	for _, i := range idx {
		f := ix.feats[i]
		// mvt's ProjectToTile and Clip replace geometries in place: work on
		// a clone so the index's features stay in WGS84.
		c := &geojson.Feature{Type: f.Type, ID: f.ID, Geometry: orb.Clone(f.Geometry), Properties: ix.attributes(f.Properties)}
		byLayer[ix.layer[i]] = append(byLayer[ix.layer[i]], c)
	}
	names := make([]string, 0, len(byLayer))
	for n := range byLayer {
		names = append(names, n)
	}
	slices.Sort(names) // deterministic layer order → identical bytes for identical tiles
	layers := make(mvt.Layers, 0, len(names))
	for _, n := range names {
		l := mvt.NewLayer(n, &geojson.FeatureCollection{Features: byLayer[n]})
		l.Version = MVTVersion
		layers = append(layers, l)
	}
	layers.ProjectToTile(t)
	buf := ix.opts.Buffer
	layers.Clip(orb.Bound{Min: orb.Point{-buf, -buf}, Max: orb.Point{mvt.DefaultExtent + buf, mvt.DefaultExtent + buf}})
	layers.Simplify(simplify.DouglasPeucker(ix.opts.Tolerance))
	layers.RemoveEmpty(ix.opts.Tolerance, ix.opts.Tolerance*ix.opts.Tolerance)
	layers = slices.DeleteFunc(layers, func(l *mvt.Layer) bool { return len(l.Features) == 0 })
	if len(layers) == 0 {
		return nil, nil
	}
	var data []byte
	var err error
	if ix.opts.Gzip {
		data, err = mvt.MarshalGzipped(layers)
	} else {
		data, err = mvt.Marshal(layers)
	}
	if err != nil {
		return nil, fmt.Errorf("tiles: tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	return data, nil
}

// attributes copies the properties MVT can encode (strings, numbers,
// booleans) except the layer and zoom properties; nil and nested values
// have no MVT form and are dropped.
func (ix *Index) attributes(p geojson.Properties) geojson.Properties {
	out := make(geojson.Properties, len(p))
	for k, v := range p {
		if k == ix.opts.LayerProperty || k == ix.opts.MinZoomProperty || k == ix.opts.MaxZoomProperty {
			continue
		}
		switch v.(type) {
		case string, bool, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			out[k] = v
		}
	}
	return out
}

// ErrStop may be returned by a BuildAll callback to end the walk early
// without an error.
var ErrStop = errors.New("tiles: stop")

// BuildAll calls fn for every non-empty tile from minZoom to maxZoom, zoom
// by zoom in row-major order.
func (ix *Index) BuildAll(minZoom, maxZoom maptile.Zoom, fn func(t maptile.Tile, data []byte) error) error {
	if minZoom > maxZoom || maxZoom > 30 {
		return fmt.Errorf("tiles: zoom range %d–%d invalid", minZoom, maxZoom)
	}
	for z := minZoom; z <= maxZoom; z++ {
		for _, t := range ix.nonEmpty(z) {
			data, err := ix.build(t, ix.candidates(t))
			if err != nil {
				return err
			}
			if data == nil {
				continue
			}
			if err := fn(t, data); err != nil {
				if errors.Is(err, ErrStop) {
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// nonEmpty lists the tiles at zoom z that have candidate features.
func (ix *Index) nonEmpty(z maptile.Zoom) []maptile.Tile {
	var out []maptile.Tile
	if z <= ix.opts.IndexZoom {
		for k := range ix.buckets[z] {
			out = append(out, maptile.New(uint32(k>>32), uint32(k), z))
		}
	} else {
		seen := map[uint64]bool{}
		for i := range ix.feats {
			if !ix.shows(int32(i), z) {
				continue
			}
			x0, y0, x1, y1 := ix.tileRange(ix.bounds[i], z)
			for x := x0; x <= x1; x++ {
				for y := y0; y <= y1; y++ {
					if !seen[key(x, y)] {
						seen[key(x, y)] = true
						out = append(out, maptile.New(x, y, z))
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b maptile.Tile) int { return cmp.Or(cmp.Compare(a.Y, b.Y), cmp.Compare(a.X, b.X)) })
	return out
}
