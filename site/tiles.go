package site

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
)

// tileIndex is the site's tile set (gazetteer/tileset: the basemap and
// every positioned place) and the tiles already cut.
type tileIndex struct {
	set   *tileset.Set
	cache sync.Map // z/x/y → []byte
}

// tileCache keeps the places the tiles are cut from and the tile set made
// of them. The change feed replaces the places a write changed
// (storeChanged → changed) and drops the set, which the next tile makes
// again from the places kept, without reading the store.
type tileCache struct {
	mu     sync.Mutex
	places map[int64]*gazetteer.Place // nil until the first tile
	ti     *tileIndex                 // nil when a change came since it was made
}

// changed replaces the places a write changed and drops the tile set.
func (c *tileCache) changed(places []*gazetteer.Place) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ti = nil
	if c.places == nil {
		return // the first tile reads the store as it is then
	}
	for _, p := range places {
		c.places[p.ID] = p
	}
}

// index returns the tile set, made again after a change.
func (c *tileCache) index(ctx context.Context, store *gazetteer.Store, overlay *tileset.Overlay) (*tileIndex, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ti != nil {
		return c.ti, nil
	}
	if c.places == nil {
		places := map[int64]*gazetteer.Place{}
		err := store.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
			places[p.ID] = p
			return nil
		})
		if err != nil {
			return nil, err
		}
		c.places = places
	}
	ps := slices.SortedFunc(maps.Values(c.places), func(a, b *gazetteer.Place) int { return cmp.Compare(a.ID, b.ID) })
	set, err := tileset.Build(ps, tileset.Options{Overlay: overlay})
	if err != nil {
		return nil, err
	}
	c.ti = &tileIndex{set: set}
	return c.ti, nil
}

// tile returns the uncompressed MVT of z/x/y (nil when empty).
func (ti *tileIndex) tile(z maptile.Zoom, x, y uint32) ([]byte, error) {
	key := fmt.Sprintf("%d/%d/%d", z, x, y)
	if b, ok := ti.cache.Load(key); ok {
		return b.([]byte), nil
	}
	b, err := ti.set.Tile(z, x, y)
	if err != nil || len(b) == 0 {
		// Empty tiles are not cached: a client asking for each of the
		// millions there are must not grow memory without bound.
		return nil, err
	}
	ti.cache.Store(key, b)
	return b, nil
}

func (s *Server) tileIndex(ctx context.Context) (*tileIndex, error) {
	return s.tiles.index(ctx, s.store, s.cfg.OSMBasemap)
}

// glyphRange matches a MapLibre glyph request: "0-255.pbf".
var glyphRange = regexp.MustCompile(`^(\d{1,5})-(\d{1,5})\.pbf$`)

// handleGlyphs answers MapLibre's glyph requests with 404: no font is
// shipped. MapLibre then draws each glyph itself with the visitor's font of
// the style's font name (and CJK with localIdeographFontFamily), so zh and
// en labels render without SDF fonts of megabytes or any outside request.
func (s *Server) handleGlyphs(w http.ResponseWriter, r *http.Request) {
	if !glyphRange.MatchString(r.PathValue("range")) {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such glyph range"))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no glyphs are served: labels are drawn with local fonts"))
}

// handleTile serves /tiles/{z}/{x}/{y}.mvt; an empty tile is 204.
func (s *Server) handleTile(w http.ResponseWriter, r *http.Request) {
	yText, ok := strings.CutSuffix(r.PathValue("y"), ".mvt")
	z, errZ := strconv.Atoi(r.PathValue("z"))
	x, errX := strconv.ParseUint(r.PathValue("x"), 10, 32)
	y, errY := strconv.ParseUint(yText, 10, 32)
	if !ok || errZ != nil || errX != nil || errY != nil || z < tileset.MinZoom || z > tileset.MaxZoom || x >= 1<<z || y >= 1<<z {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such tile (zoom %d–%d; maps overzoom beyond)", tileset.MinZoom, tileset.MaxZoom))
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

// tileJSON is the TileJSON 3.0 document of the tile set: its URL
// template, zooms, bounds and the schema's vector_layers.
func (s *Server) tileJSON(ctx context.Context, r *http.Request) ([]byte, error) {
	ti, err := s.tileIndex(ctx)
	if err != nil {
		return nil, err
	}
	tj := tileset.Schema().TileJSON([]string{s.baseURL(r) + "/tiles/{z}/{x}/{y}.mvt"}, ti.set.Bounds, ti.set.Center(), 11)
	tj.Name = "Wumen 吴门"
	tj.Description = "Suzhou place names (地名) over a basemap of land and water"
	tj.Attribution = s.attribution()
	tj.Version = "2.0.0"
	return json.Marshal(tj)
}

// attribution is the notice of the site's tiles: the gazetteer's and the
// basemap's sources, and the street basemap's (ODbL) when one is laid over.
func (s *Server) attribution() string {
	if s.cfg.OSMBasemap != nil {
		return tileset.Attribution + " " + s.cfg.OSMBasemap.Attribution
	}
	return tileset.Attribution
}

// handleTileJSON serves /tiles.json.
func (s *Server) handleTileJSON(w http.ResponseWriter, r *http.Request) {
	b, err := s.tileJSON(r.Context(), r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/json", "public, max-age=300", b)
}
