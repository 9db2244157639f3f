package site

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/geo/tiles"
)

// Tile pyramid of the site's own vector tiles. Below clusterMaxZoom+1 the
// map draws the "clusters" layer (places grouped on a clusterCell-pixel
// grid, with their count); from there on each place is its own feature in
// the layer of its census class.
const (
	tileMaxZoom    = 16
	clusterMaxZoom = 11
	clusterCell    = 64.0 // pixels of a 256-px tile
)

// tileIndex holds the places index and one cluster index per low zoom.
type tileIndex struct {
	places   *tiles.Index
	clusters []*tiles.Index // by zoom 0..clusterMaxZoom; nil where empty
	cache    sync.Map       // z/x/y → []byte (nil for an empty tile)
}

// layerName is the MVT layer of a class: the class itself when the map
// styles it, "other" for anything else.
func layerName(class string) string {
	for _, c := range palette {
		if c.Class == class {
			return class
		}
	}
	return "other"
}

// tileLayers are every layer name the places index may produce.
func tileLayers() []string {
	var out []string
	for _, c := range palette {
		out = append(out, c.Class)
	}
	return append(out, "other", "clusters")
}

type clusterAcc struct {
	n        int
	sx, sy   float64
	best     *gazetteer.Place
	bestRank float64
}

// buildTiles reads every place and indexes it for tiles.
func buildTiles(ctx context.Context, store *gazetteer.Store) (*tileIndex, error) {
	var feats []*geojson.Feature
	var pts []*gazetteer.Place
	err := store.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
		if p.Label == nil && p.Geometry == nil {
			return nil
		}
		var g orb.Geometry
		switch {
		case p.Geometry != nil && p.Level == "":
			g = p.Geometry
		case p.Label != nil:
			g = *p.Label
		default:
			return nil
		}
		props := geojson.Properties{"layer": layerName(p.Category.Class), "id": p.ID, "name": p.Name,
			"pinyin": p.Pinyin, "class": p.Category.Class, "path": placePath(p), "rank": p.Rank}
		if p.Category.Subclass != "" {
			props["subclass"] = p.Category.Subclass
		}
		if en := englishName(p); en != "" {
			props["en"] = en // the English map labels and cards lead with it
		}
		if len(p.Heritage) > 0 {
			props["heritage"] = 1
		}
		f := geojson.NewFeature(g)
		f.ID = p.ID
		f.Properties = props
		feats = append(feats, f)
		if p.Label != nil {
			pts = append(pts, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ti := &tileIndex{clusters: make([]*tiles.Index, clusterMaxZoom+1)}
	opts := tiles.Options{LayerProperty: "layer"}
	if ti.places, err = tiles.NewIndex(feats, opts); err != nil {
		return nil, err
	}
	for z := 0; z <= clusterMaxZoom; z++ {
		cells := map[[2]int]*clusterAcc{}
		var order [][2]int
		world := 256 * math.Exp2(float64(z))
		for _, p := range pts {
			x, y := mercator(*p.Label, world)
			k := [2]int{int(x / clusterCell), int(y / clusterCell)}
			c := cells[k]
			if c == nil {
				c = &clusterAcc{}
				cells[k] = c
				order = append(order, k)
			}
			c.n++
			c.sx += p.Label[0]
			c.sy += p.Label[1]
			if c.best == nil || p.Rank > c.bestRank {
				c.best, c.bestRank = p, p.Rank
			}
		}
		var cf []*geojson.Feature
		for _, k := range order {
			c := cells[k]
			f := geojson.NewFeature(orb.Point{c.sx / float64(c.n), c.sy / float64(c.n)})
			f.Properties = geojson.Properties{"layer": "clusters", "count": c.n, "name": c.best.Name,
				"id": c.best.ID, "path": placePath(c.best), "rank": float64(c.n)}
			cf = append(cf, f)
		}
		if len(cf) == 0 {
			continue
		}
		if ti.clusters[z], err = tiles.NewIndex(cf, opts); err != nil {
			return nil, err
		}
	}
	return ti, nil
}

// mercator projects a WGS84 point to Web Mercator pixels in a world of the
// given size.
func mercator(p orb.Point, world float64) (float64, float64) {
	lat := math.Max(-85.05112878, math.Min(85.05112878, p[1])) * math.Pi / 180
	x := (p[0] + 180) / 360 * world
	y := (1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * world
	return x, y
}

// tile returns the uncompressed MVT of z/x/y (nil when empty): the places
// layers and, at low zooms, the clusters layer. Encoded MVT tiles are
// protobuf messages whose only top-level field is the repeated layers, so
// two encoded tiles concatenate into one valid tile.
func (ti *tileIndex) tile(z maptile.Zoom, x, y uint32) ([]byte, error) {
	key := fmt.Sprintf("%d/%d/%d", z, x, y)
	if b, ok := ti.cache.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := ti.places.Tile(z, x, y)
	if err != nil {
		return nil, err
	}
	if int(z) <= clusterMaxZoom && ti.clusters[z] != nil {
		c, err := ti.clusters[z].Tile(z, x, y)
		if err != nil {
			return nil, err
		}
		b = append(append([]byte(nil), b...), c...)
	}
	if len(b) == 0 {
		// Empty tiles are not cached: there are 4^16 of them, and a
		// client asking for each must not grow memory without bound.
		return nil, nil
	}
	ti.cache.Store(key, b)
	return b, nil
}

// each calls fn for every non-empty tile up to tileMaxZoom.
func (ti *tileIndex) each(fn func(z maptile.Zoom, x, y uint32, mvt []byte) error) error {
	seen := map[maptile.Tile]bool{}
	visit := func(t maptile.Tile, _ []byte) error {
		if seen[t] {
			return nil
		}
		seen[t] = true
		b, err := ti.tile(t.Z, t.X, t.Y)
		if err != nil || b == nil {
			return err
		}
		return fn(t.Z, t.X, t.Y, b)
	}
	if err := ti.places.BuildAll(0, tileMaxZoom, visit); err != nil {
		return err
	}
	for z, c := range ti.clusters {
		if c == nil {
			continue
		}
		if err := c.BuildAll(maptile.Zoom(z), maptile.Zoom(z), visit); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) tileIndex(ctx context.Context) (*tileIndex, error) {
	s.tilesMu.Lock()
	defer s.tilesMu.Unlock()
	if s.tiles != nil {
		return s.tiles, nil
	}
	if _, err := s.catalog(ctx); err != nil { // registers the store watcher that resets s.tiles
		return nil, err
	}
	ti, err := buildTiles(ctx, s.store)
	if err != nil {
		return nil, err
	}
	s.tiles = ti
	return ti, nil
}

// glyphRange matches a MapLibre glyph request: "0-255.pbf".
var glyphRange = regexp.MustCompile(`^(\d{1,5})-(\d{1,5})\.pbf$`)

// handleGlyphs answers MapLibre's glyph requests with an empty glyph set
// (a valid, empty protobuf message). Place names are Chinese, and MapLibre
// draws CJK characters with the visitor's own font (localIdeographFontFamily)
// without asking; shipping SDF fonts for the Latin ranges is not worth megabytes.
func (s *Server) handleGlyphs(w http.ResponseWriter, r *http.Request) {
	if !glyphRange.MatchString(r.PathValue("range")) {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such glyph range"))
		return
	}
	serveBytes(w, r, "application/x-protobuf", "public, max-age=86400", []byte{})
}

// glyphRanges lists the 256 glyph range files a static build writes.
func glyphRanges() []string {
	out := make([]string, 0, 256)
	for i := 0; i < 65536; i += 256 {
		out = append(out, strconv.Itoa(i)+"-"+strconv.Itoa(i+255)+".pbf")
	}
	return out
}

// handleTile serves /tiles/{z}/{x}/{y}.mvt; an empty tile is 204.
func (s *Server) handleTile(w http.ResponseWriter, r *http.Request) {
	yText, ok := strings.CutSuffix(r.PathValue("y"), ".mvt")
	z, errZ := strconv.Atoi(r.PathValue("z"))
	x, errX := strconv.ParseUint(r.PathValue("x"), 10, 32)
	y, errY := strconv.ParseUint(yText, 10, 32)
	if !ok || errZ != nil || errX != nil || errY != nil || z < 0 || z > tileMaxZoom || x >= 1<<z || y >= 1<<z {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such tile (zoom 0–%d)", tileMaxZoom))
		return
	}
	ti, err := s.tileIndex(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := ti.tile(maptile.Zoom(z), uint32(x), uint32(y))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if b == nil {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	serveBytes(w, r, "application/vnd.mapbox-vector-tile", "public, max-age=300", b)
}
