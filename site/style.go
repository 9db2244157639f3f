package site

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
)

// The map's MapLibre style documents (MapLibre Style Specification v8):
// one per theme (normal, large — the large-text, high-contrast mode) and
// label language (zh, en), served at /styles/{theme}-{lang}.json and written
// into the static build. Every layer draws a layer of the tile schema
// (gazetteer/tileset/schema.json); colours and sizes are in mapthemes.json.

//go:embed mapthemes.json
var mapThemesJSON []byte

// mapTheme is one entry of mapthemes.json.
type mapTheme struct {
	Outside          string  `json:"outside"` // beyond the basemap's coverage
	Land             string  `json:"land"`
	Water            string  `json:"water"`
	Waterway         string  `json:"waterway"`
	Boundary         string  `json:"boundary"`
	Landuse          string  `json:"landuse"`
	Building         string  `json:"building"`
	Street           string  `json:"street"`
	StreetMajor      string  `json:"street_major"`
	StreetCasing     string  `json:"street_casing"`
	Path             string  `json:"path"`
	Text             string  `json:"text"`
	Halo             string  `json:"halo"`
	WaterText        string  `json:"water_text"`
	TextSize         float64 `json:"text_size"`
	LabelSize        float64 `json:"label_size"`
	HaloWidth        float64 `json:"halo_width"`
	LineScale        float64 `json:"line_scale"`
	PointRadius      float64 `json:"point_radius"`
	EstimatedOpacity float64 `json:"estimated_opacity"`
}

var mapThemes = func() map[string]mapTheme {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(mapThemesJSON, &m); err != nil {
		panic(fmt.Sprintf("mapthemes.json: %v", err))
	}
	out := map[string]mapTheme{}
	for _, name := range []string{"normal", "large"} {
		var th mapTheme
		dec := json.NewDecoder(bytes.NewReader(m[name]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&th); err != nil {
			panic(fmt.Sprintf("mapthemes.json %s: %v", name, err))
		}
		out[name] = th
	}
	return out
}()

// mapStyleNames are the style documents: theme-lang.
var mapStyleNames = []string{"normal-zh", "normal-en", "large-zh", "large-en"}

// styleFont is the font stack of every label. The glyph endpoint answers
// 404 for it, and MapLibre then draws the glyphs locally with the font of
// that name (CJK with localIdeographFontFamily), so no font is shipped.
const styleFont = "Noto Sans CJK SC"

// metresToPixels is MapLibre's pixels per metre at zoom 0 at Suzhou's
// latitude (31.3°N; 1.4% off at the prefecture's north and south ends):
// 512-pixel world / (equator length × cos φ).
var metresToPixels = 512 / (40075016.686 * math.Cos(31.3*math.Pi/180))

// waterClass is the census class (GB/T 18521-2001 大类) of rivers, canals
// and lakes.
const waterClass = "陆地水系"

type obj = map[string]any
type arr = []any

// mapStyle builds the style document for a theme and label language.
// source is the vector source ("url" a TileJSON or pmtiles:// archive).
func (s *Server) mapStyle(theme, lang string, source obj) obj {
	th := mapThemes[theme]
	name := arr{"get", "name"}
	if lang == "en" {
		name = arr{"coalesce", arr{"get", "name_en"}, arr{"get", "name"}}
	}
	isPoint := arr{"==", arr{"geometry-type"}, "Point"}
	isPolygon := arr{"in", arr{"geometry-type"}, arr{"literal", arr{"Polygon", "MultiPolygon"}}}
	isLine := arr{"in", arr{"geometry-type"}, arr{"literal", arr{"LineString", "MultiLineString"}}}
	estimated := arr{"==", arr{"get", "estimated"}, true}
	classColor := arr{"match", arr{"get", "class"}}
	for _, c := range palette {
		classColor = append(classColor, c.Class, c.Color)
	}
	classColor = append(classColor, "#555555")
	// A river or canal of the gazetteer is drawn as water, in the style's
	// water colour, over the basemap's waterway line.
	waterClassColor := arr{"match", arr{"get", "class"}, waterClass, th.Water, classColor}
	lineWidth := func(w5, w10, w14 float64) arr {
		return byZoom(func(w float64) any { return w * th.LineScale }, w5, w10, w14)
	}
	text := func(color string) obj {
		return obj{"text-color": color, "text-halo-color": th.Halo, "text-halo-width": th.HaloWidth}
	}
	label := func(size float64, extra obj) obj {
		l := obj{"text-field": name, "text-font": arr{styleFont}, "text-size": size, "text-max-width": 8}
		for k, v := range extra {
			l[k] = v
		}
		return l
	}
	src := "wumen"
	layers := arr{
		obj{"id": "background", "type": "background", "paint": obj{"background-color": th.Outside}},
		obj{"id": "land", "type": "fill", "source": src, "source-layer": "land", "paint": obj{"fill-color": th.Land}},
		obj{"id": "water", "type": "fill", "source": src, "source-layer": "water", "paint": obj{"fill-color": th.Water}},
		obj{"id": "waterway", "type": "line", "source": src, "source-layer": "waterway",
			"layout": obj{"line-cap": "round", "line-join": "round"},
			"paint": obj{"line-color": th.Waterway, "line-width": byZoom(func(w float64) any {
				return arr{"case", arr{"==", arr{"get", "kind"}, "canal"}, w * th.LineScale, w * 2 / 3 * th.LineScale}
			}, 1, 2.5, 9)}},
	}
	layers = append(layers, streetLayers(th, src, name)...)
	if bm := s.cfg.Basemap; bm != nil && bm.Tiles != "" {
		layers = append(layers, obj{"id": "operator-basemap", "type": "raster", "source": "operator-basemap"})
	}
	layers = append(layers,
		obj{"id": "boundary", "type": "line", "source": src, "source-layer": "boundary",
			"paint": obj{"line-color": th.Boundary, "line-width": arr{"match", arr{"get", "level"}, "county", 2 * th.LineScale, "prefecture", 2.5 * th.LineScale, 1 * th.LineScale},
				"line-dasharray": arr{3, 2}}},
		// Lakes and other areas of the gazetteer: clickable, open their page.
		// Their fill is transparent (still hit by a tap) so the basemap's
		// land and water show through: an island place (西山) is land, a lake
		// place lies over the water layer; the outline says where it ends.
		obj{"id": "place-area", "type": "fill", "source": src, "source-layer": "places", "filter": isPolygon,
			"paint": obj{"fill-color": th.Water, "fill-opacity": 0}},
		obj{"id": "place-area-outline", "type": "line", "source": src, "source-layer": "places", "filter": isPolygon,
			"paint": obj{"line-color": th.WaterText, "line-width": th.LineScale, "line-opacity": 0.6, "line-dasharray": arr{4, 2}}},
		obj{"id": "place-line", "type": "line", "source": src, "source-layer": "places", "filter": isLine,
			"layout": obj{"line-cap": "round", "line-join": "round"},
			"paint":  obj{"line-color": waterClassColor, "line-width": lineWidth(1.5, 2.5, 5)}},
		obj{"id": "water-label", "type": "symbol", "source": src, "source-layer": "water", "minzoom": 8,
			"filter": arr{"has", "name"}, "layout": label(th.LabelSize, obj{"symbol-placement": "point"}), "paint": text(th.WaterText)},
		obj{"id": "waterway-label", "type": "symbol", "source": src, "source-layer": "waterway", "minzoom": 10,
			"filter": arr{"has", "name"}, "layout": label(th.LabelSize, obj{"symbol-placement": "line", "symbol-spacing": 400}), "paint": text(th.WaterText)},
		obj{"id": "place-label-city", "type": "symbol", "source": src, "source-layer": "place_label",
			"layout": label(th.LabelSize+2, obj{"symbol-sort-key": arr{"-", 0, arr{"get", "rank"}}}), "paint": text(th.Text)},
		// Estimated positions are drawn as the area they may lie in: a
		// translucent circle of the stated accuracy, no pin.
		obj{"id": "place-estimated", "type": "circle", "source": src, "source-layer": "places", "filter": arr{"all", isPoint, estimated},
			"paint": obj{"circle-color": classColor, "circle-opacity": th.EstimatedOpacity,
				"circle-stroke-color": classColor, "circle-stroke-width": 1.5 * th.LineScale, "circle-stroke-opacity": 0.7,
				"circle-radius": arr{"interpolate", arr{"exponential", 2}, arr{"zoom"},
					0, arr{"max", 3, arr{"*", arr{"coalesce", arr{"get", "accuracy_m"}, 300}, metresToPixels}},
					20, arr{"*", arr{"coalesce", arr{"get", "accuracy_m"}, 300}, metresToPixels * (1 << 20)}}}},
		obj{"id": "place-point", "type": "circle", "source": src, "source-layer": "places", "filter": arr{"all", isPoint, arr{"!", estimated}},
			"paint": obj{"circle-color": classColor, "circle-radius": arr{"case", arr{"has", "heritage"}, th.PointRadius + 2, th.PointRadius},
				"circle-stroke-color": "#ffffff", "circle-stroke-width": 2}},
		obj{"id": "place-label", "type": "symbol", "source": src, "source-layer": "places", "minzoom": tileset.PointMinZoom,
			"filter": arr{"any", isPoint, isLine},
			"layout": label(th.TextSize, obj{"text-anchor": "top", "text-offset": arr{0, 0.9}, "text-optional": true,
				"symbol-sort-key": arr{"-", 0, arr{"get", "rank"}}}),
			"paint": text(th.Text)},
		obj{"id": "place-area-label", "type": "symbol", "source": src, "source-layer": "places", "minzoom": 8, "filter": isPolygon,
			"layout": label(th.TextSize, nil), "paint": text(th.WaterText)},
		obj{"id": "clusters", "type": "circle", "source": src, "source-layer": "clusters", "maxzoom": tileset.PointMinZoom,
			"paint": obj{"circle-color": "#7a1f1f", "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
				"circle-radius": arr{"interpolate", arr{"linear"}, arr{"get", "count"}, 1, 6 * th.LineScale, 10, 12 * th.LineScale, 100, 20 * th.LineScale, 1000, 30 * th.LineScale}}},
	)
	group := arr{"case", arr{">", arr{"get", "count"}, 1}, arr{"concat", name, "等"}, name}
	if lang == "en" {
		group = arr{"case", arr{">", arr{"get", "count"}, 1}, arr{"concat", name, " +", arr{"to-string", arr{"-", arr{"get", "count"}, 1}}}, name}
	}
	layers = append(layers, obj{"id": "clusters-label", "type": "symbol", "source": src, "source-layer": "clusters", "maxzoom": tileset.PointMinZoom,
		"layout": obj{"text-field": group, "text-font": arr{styleFont}, "text-size": th.TextSize, "text-anchor": "top", "text-offset": arr{0, 1.1}, "text-optional": true},
		"paint":  text(th.Text)})
	sources := obj{src: source}
	if bm := s.cfg.Basemap; bm != nil && bm.Tiles != "" {
		maxZ := bm.MaxZoom
		if maxZ == 0 {
			maxZ = 18
		}
		sources["operator-basemap"] = obj{"type": "raster", "tiles": arr{bm.Tiles}, "tileSize": 256, "maxzoom": maxZ, "attribution": bm.Attribution}
	}
	return obj{"version": 8, "name": "Wumen " + theme + " (" + lang + ")", "glyphs": "/fonts/{fontstack}/{range}.pbf",
		"center": arr{120.62, 31.31}, "zoom": 11, "sources": sources, "layers": layers}
}

// streetLayers draw the street basemap built from an OpenStreetMap extract
// (gazetteer/tileset/osmbasemap): parks and green land, buildings, and the
// streets by class (data/osm_basemap.tsv kinds) as a casing under a fill,
// major roads in their own colour, paths dashed, names (name, the label
// language's expression) along the lines.
// Without an extract the layers are empty and draw nothing.
func streetLayers(th mapTheme, src string, name arr) arr {
	major := arr{"match", arr{"get", "kind"}, arr{"motorway", "primary"}, true, false}
	width := func(extra float64) arr {
		return byZoom(func(w float64) any {
			return arr{"match", arr{"get", "kind"},
				"motorway", (w*2 + extra) * th.LineScale, "primary", (w*1.6 + extra) * th.LineScale,
				"secondary", (w*1.3 + extra) * th.LineScale, (w + extra) * th.LineScale}
		}, 0.5, 1, 2.5)
	}
	roads := arr{"!=", arr{"get", "kind"}, "path"}
	return arr{
		obj{"id": "landuse", "type": "fill", "source": src, "source-layer": "landuse", "paint": obj{"fill-color": th.Landuse}},
		obj{"id": "building", "type": "fill", "source": src, "source-layer": "building",
			"paint": obj{"fill-color": th.Building, "fill-outline-color": th.StreetCasing}},
		obj{"id": "street-casing", "type": "line", "source": src, "source-layer": "street", "filter": roads,
			"layout": obj{"line-cap": "round", "line-join": "round"},
			"paint":  obj{"line-color": th.StreetCasing, "line-width": width(2)}},
		obj{"id": "street", "type": "line", "source": src, "source-layer": "street", "filter": roads,
			"layout": obj{"line-cap": "round", "line-join": "round"},
			"paint":  obj{"line-color": arr{"case", major, th.StreetMajor, th.Street}, "line-width": width(0)}},
		obj{"id": "street-path", "type": "line", "source": src, "source-layer": "street", "filter": arr{"==", arr{"get", "kind"}, "path"},
			"paint": obj{"line-color": th.Path, "line-width": 1.2 * th.LineScale, "line-dasharray": arr{2, 1.5}}},
		obj{"id": "street-label", "type": "symbol", "source": src, "source-layer": "street", "minzoom": 14, "filter": arr{"has", "name"},
			"layout": obj{"text-field": name, "text-font": arr{styleFont}, "text-size": th.LabelSize - 1,
				"symbol-placement": "line", "symbol-spacing": 300},
			"paint": obj{"text-color": th.Text, "text-halo-color": th.Halo, "text-halo-width": th.HaloWidth}},
	}
}

// byZoom is a line width growing with the zoom: w5 at z5, w10 at z10, w14
// at z14 and four times that at z18, each stop's value made by at (a zoom
// interpolation must be the outermost expression).
func byZoom(at func(w float64) any, w5, w10, w14 float64) arr {
	return arr{"interpolate", arr{"exponential", 1.6}, arr{"zoom"}, 5, at(w5), 10, at(w10), 14, at(w14), 18, at(w14 * 4)}
}

// tileSource is the vector source of the style documents: the server's
// TileJSON, or the static build's PMTiles archive. Site-relative URLs are
// made absolute by map.js (MapLibre wants absolute ones).
func (s *Server) tileSource(r *http.Request) obj {
	src := obj{"type": "vector", "attribution": s.attribution()}
	if s.cfg.static {
		src["url"] = "pmtiles://" + s.cfg.BaseURL + "/tiles.pmtiles"
	} else {
		src["url"] = s.baseURL(r) + "/tiles.json"
	}
	return src
}

// handleStyle serves /styles/{name}: a style document named in mapStyleNames.
func (s *Server) handleStyle(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("name"), ".json")
	theme, lang, _ := strings.Cut(name, "-")
	if _, known := mapThemes[theme]; !ok || !known || (lang != "zh" && lang != "en") {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such map style (normal-zh, normal-en, large-zh, large-en)"))
		return
	}
	b, err := json.Marshal(s.mapStyle(theme, lang, s.tileSource(r)))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/json", "public, max-age=300", b)
}
