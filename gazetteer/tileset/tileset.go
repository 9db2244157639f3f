// Package tileset builds Wumen's vector tile set: one schema (schema.json)
// for the site's /tiles/{z}/{x}/{y}.mvt, the static build's tiles.pmtiles
// and `wumen export --format pmtiles`, so all three carry the same layers.
//
// The layers, bottom to top: land, water, waterway (the basemap, from
// data/basemap: GSHHG and Natural Earth), boundary (admin units whose record
// has a polygon), place_label (nearby cities), clusters (places grouped
// below zoom 12) and places (every positioned place). schema.json lists
// each layer's zooms, geometry types and attributes; geo/tiles keeps every
// layer to its zooms and checks tiles against the schema in tests.
//
// Adding a layer (e.g. streets from an OSM extract): add it to schema.json
// (its zooms and fields), add features whose "layer" property names it in
// Build (or to the basemap file, for data that is not in the store), and
// give it a style layer in site/style.go. docs/tiles.md describes the schema.
package tileset

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"wumen/data/basemap"
	"wumen/gazetteer"
	"wumen/gazetteer/english"
	"wumen/geo/pmtiles"
	"wumen/geo/tiles"
)

// Attribution is the notice of the tile set: the gazetteer's sources, which
// credit GSHHG (LGPL-3+) for the lake and river shapes of places and
// basemap alike, and the basemap's Natural Earth labels — each source once.
const Attribution = gazetteer.Attribution + " Basemap " + basemap.LabelsAttribution + "."

//go:embed schema.json
var schemaJSON []byte

var schema = func() *tiles.Schema {
	s, err := tiles.ParseSchema(schemaJSON)
	if err != nil {
		panic(err) // schema.json is part of the source: a test parses it
	}
	return s
}()

// Zooms of the tile set, and the grouping of places below PointMinZoom.
const (
	MinZoom = 0
	MaxZoom = 14
	// PointMinZoom is the first zoom at which places are drawn one by one;
	// below it they are grouped into the clusters layer.
	PointMinZoom = 12
	// clusterCell is the size of a cluster's grid cell in pixels of a
	// 256-pixel tile.
	clusterCell = 64.0
)

// Schema returns the tile schema (schema.json). It must not be modified.
func Schema() *tiles.Schema { return schema }

// Options configure Build.
type Options struct {
	// NoBasemap leaves out the basemap layers (data/basemap: land, water,
	// waterway, place_label).
	NoBasemap bool
	// Project, when set, maps every geometry (e.g. WGS84 to GCJ-02 for an
	// export meant for a GCJ-02 map); the tiles stay Web Mercator.
	Project func(orb.Geometry) orb.Geometry
	// Gzip compresses the tiles (PMTiles archives hold them so).
	Gzip bool
	// Overlay, when set, is a street-level basemap archive (overlay.go)
	// merged into the tiles; its attribution joins the set's.
	Overlay *Overlay
}

// Set is a built tile set.
type Set struct {
	index   *tiles.Index
	gzip    bool
	overlay *Overlay
	// Places counts the places drawn; Features every feature indexed.
	Places, Features int
	// Bounds is the WGS84 extent of all features.
	Bounds orb.Bound
}

// Build indexes the places (and the basemap) for tiles.
func Build(places []*gazetteer.Place, o Options) (*Set, error) {
	var feats []*geojson.Feature
	if !o.NoBasemap {
		var err error
		if feats, err = basemapFeatures(basemap.GeoJSON); err != nil {
			return nil, err
		}
	}
	n := 0
	var points []*gazetteer.Place
	for _, p := range places {
		fs := placeFeatures(p)
		if len(fs) == 0 {
			continue
		}
		n++
		feats = append(feats, fs...)
		if p.Label != nil {
			points = append(points, p)
		}
	}
	feats = append(feats, clusters(points)...)
	if o.Project != nil {
		for _, f := range feats {
			f.Geometry = o.Project(f.Geometry)
		}
	}
	if len(feats) == 0 {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "no place with a position and no basemap: nothing to tile")
	}
	s, err := FromFeatures(feats, o.Gzip)
	if err != nil {
		return nil, err
	}
	s.Places = n
	if o.Overlay != nil {
		s.overlay = o.Overlay
		s.Bounds = s.Bounds.Union(o.Overlay.Bounds)
	}
	return s, nil
}

// Attribution is the notice the set's tiles need: Attribution, and the
// overlay's (© OpenStreetMap contributors, ODbL) when there is one.
func (s *Set) Attribution() string {
	if s.overlay != nil && !strings.Contains(Attribution, s.overlay.Attribution) {
		return Attribution + " " + s.overlay.Attribution
	}
	return Attribution
}

// FromFeatures indexes features of the schema's layers (each names its
// layer in the property "layer"; optional "minzoom"/"maxzoom" narrow its
// zooms) for tiles: Build's places and basemap, or the layers of a basemap
// built from an OpenStreetMap extract (osmbasemap). There must be at least
// one feature.
func FromFeatures(feats []*geojson.Feature, gzip bool) (*Set, error) {
	if len(feats) == 0 {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "no feature to tile")
	}
	ix, err := tiles.NewIndex(feats, tiles.Options{LayerProperty: "layer", DefaultLayer: "places", Schema: schema,
		ThinBelowZoom: PointMinZoom, Gzip: gzip})
	if err != nil {
		return nil, err
	}
	b := feats[0].Geometry.Bound()
	for _, f := range feats[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	return &Set{index: ix, gzip: gzip, Features: len(feats), Bounds: b}, nil
}

func basemapFeatures(data []byte) ([]*geojson.Feature, error) {
	if data == nil {
		return nil, nil
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("basemap: %w", err)
	}
	for i, f := range fc.Features {
		l, _ := f.Properties["layer"].(string)
		if schema.Layer(l) == nil {
			return nil, fmt.Errorf("basemap feature %d: layer %q is not in the tile schema", i+1, l)
		}
		if f.Geometry == nil {
			return nil, fmt.Errorf("basemap feature %d: no geometry", i+1)
		}
	}
	return fc.Features, nil
}

// englishName is a place's established English name (gazetteer/english),
// "" when none is published: the English map then labels it in Chinese.
func englishName(p *gazetteer.Place) string {
	n, _ := english.Name(p)
	return n.Text
}

// setEnglish sets name_en to p's English name, leaving it out when there is
// none (the styles' coalesce then falls back to the Chinese name).
func setEnglish(props map[string]any, p *gazetteer.Place) {
	if en := englishName(p); en != "" {
		props["name_en"] = en
	}
}

// placeFeatures are a place's features: its point (from PointMinZoom) or
// its line or polygon in the places layer, and an admin unit's polygon as
// boundary lines.
func placeFeatures(p *gazetteer.Place) []*geojson.Feature {
	var out []*geojson.Feature
	if p.Level != "" && p.Geometry != nil {
		if lines := rings(p.Geometry); len(lines) > 0 {
			f := geojson.NewFeature(lines)
			f.ID = p.ID
			f.Properties = geojson.Properties{"layer": "boundary", "id": p.ID, "name": p.Name, "level": p.Level}
			setEnglish(f.Properties, p)
			out = append(out, f)
		}
	}
	var g orb.Geometry
	props := geojson.Properties{"layer": "places", "id": p.ID, "name": p.Name, "pinyin": p.Pinyin,
		"class": p.Category.Class, "rank": p.Rank}
	setEnglish(props, p)
	switch {
	case p.Geometry != nil && p.Level == "" && p.Geometry.GeoJSONType() != "Point":
		g = p.Geometry
	case p.Label != nil:
		g = *p.Label
		props["minzoom"] = PointMinZoom
	default:
		return out
	}
	if p.Category.Subclass != "" {
		props["subclass"] = p.Category.Subclass
	}
	if p.Status != "" && p.Status != gazetteer.StatusCurrent {
		props["status"] = string(p.Status)
	}
	if len(p.Heritage) > 0 {
		props["heritage"] = 1
	}
	if p.Coord != nil {
		props["estimated"] = p.Coord.Method == "estimated"
		if p.Coord.AccuracyM > 0 {
			props["accuracy_m"] = p.Coord.AccuracyM
		}
	}
	f := geojson.NewFeature(g)
	f.ID = p.ID
	f.Properties = props
	return append(out, f)
}

// rings returns the rings of a polygon geometry as lines (nil for others).
func rings(g orb.Geometry) orb.MultiLineString {
	var out orb.MultiLineString
	add := func(p orb.Polygon) {
		for _, r := range p {
			out = append(out, orb.LineString(r))
		}
	}
	switch t := g.(type) {
	case orb.Polygon:
		add(t)
	case orb.MultiPolygon:
		for _, p := range t {
			add(p)
		}
	}
	return out
}

type cluster struct {
	n      int
	sx, sy float64
	best   *gazetteer.Place
}

// clusters groups the places on a clusterCell-pixel grid at each zoom
// below PointMinZoom: one feature per cell at the mean position of its
// places, named after the best-ranked one, shown at its zoom only.
func clusters(pts []*gazetteer.Place) []*geojson.Feature {
	var out []*geojson.Feature
	for z := 0; z < PointMinZoom; z++ {
		cells := map[[2]int]*cluster{}
		var order [][2]int
		for _, p := range pts {
			f := maptile.Fraction(*p.Label, maptile.Zoom(z))
			k := [2]int{int(f[0] * 256 / clusterCell), int(f[1] * 256 / clusterCell)}
			c := cells[k]
			if c == nil {
				c = &cluster{}
				cells[k] = c
				order = append(order, k)
			}
			c.n++
			c.sx += p.Label[0]
			c.sy += p.Label[1]
			if c.best == nil || p.Rank > c.best.Rank {
				c.best = p
			}
		}
		for _, k := range order {
			c := cells[k]
			f := geojson.NewFeature(orb.Point{c.sx / float64(c.n), c.sy / float64(c.n)})
			f.Properties = geojson.Properties{"layer": "clusters", "minzoom": z, "maxzoom": z, "count": c.n,
				"id": c.best.ID, "name": c.best.Name, "rank": float64(c.n)}
			setEnglish(f.Properties, c.best)
			out = append(out, f)
		}
	}
	return out
}

// Tile returns tile z/x/y (nil when empty).
func (s *Set) Tile(z maptile.Zoom, x, y uint32) ([]byte, error) {
	if z > MaxZoom {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "no such tile (zoom %d–%d)", MinZoom, MaxZoom)
	}
	b, err := s.index.Tile(z, x, y)
	if err != nil || s.overlay == nil {
		return b, err
	}
	ov, err := s.overlay.tile(z, x, y)
	if err != nil || ov == nil {
		return b, err
	}
	return s.merged(b, ov)
}

// merged is the set's tile b (nil when empty) with the overlay's tile ov
// (gzipped) merged into it, compressed as the set's tiles are.
func (s *Set) merged(b, ov []byte) ([]byte, error) {
	var out []byte
	var err error
	switch {
	case b == nil && s.gzip:
		return ov, nil
	case b == nil:
		out, err = pmtiles.Gunzip(ov)
	default:
		out, err = MergeTiles(b, ov)
	}
	if err != nil {
		return nil, fmt.Errorf("basemap overlay: %w", err)
	}
	if s.gzip && b != nil {
		return pmtiles.GzipBytes(out)
	}
	return out, nil
}

// Each calls fn for every non-empty tile from minZoom to maxZoom: the
// set's tiles (with the overlay's merged in), then the overlay's tiles
// where the set has none.
func (s *Set) Each(minZoom, maxZoom maptile.Zoom, fn func(t maptile.Tile, data []byte) error) error {
	if s.overlay == nil {
		return s.index.BuildAll(minZoom, maxZoom, fn)
	}
	done := map[maptile.Tile]bool{}
	err := s.index.BuildAll(minZoom, maxZoom, func(t maptile.Tile, data []byte) error {
		done[t] = true
		ov, err := s.overlay.tile(t.Z, t.X, t.Y)
		if err != nil {
			return err
		}
		if ov != nil {
			if data, err = s.merged(data, ov); err != nil {
				return err
			}
		}
		return fn(t, data)
	})
	if err != nil {
		return err
	}
	return s.overlay.each(minZoom, maxZoom, func(t maptile.Tile, ov []byte) error {
		if done[t] {
			return nil
		}
		data, err := s.merged(nil, ov)
		if err != nil {
			return err
		}
		return fn(t, data)
	})
}

// WritePMTiles writes the tiles of zooms minZoom–maxZoom as a PMTiles v3
// archive of gzipped MVT tiles whose metadata (md, with the schema's
// vector_layers and the attribution filled in) describes them. It returns
// the number of tiles written.
func (s *Set) WritePMTiles(w io.Writer, minZoom, maxZoom maptile.Zoom, md pmtiles.Metadata) (int, error) {
	md.VectorLayers = schema.VectorLayers()
	if md.Attribution == "" {
		md.Attribution = s.Attribution()
	}
	pw := pmtiles.NewWriter(pmtiles.Options{Metadata: md, Center: s.Center(), CenterZoom: 11})
	err := s.Each(minZoom, maxZoom, func(t maptile.Tile, data []byte) error {
		if !s.gzip {
			var err error
			if data, err = pmtiles.GzipBytes(data); err != nil {
				return err
			}
		}
		return pw.Add(uint8(t.Z), t.X, t.Y, data)
	})
	if err != nil {
		return 0, err
	}
	if _, err := pw.WriteTo(w); err != nil {
		return 0, err
	}
	return pw.Len(), nil
}

// Center is the point a map of the set opens on: Suzhou's old city when
// it is within the bounds, else the middle of the bounds.
func (s *Set) Center() orb.Point {
	if c := (orb.Point{120.62, 31.31}); s.Bounds.Contains(c) {
		return c
	}
	return s.Bounds.Center()
}
