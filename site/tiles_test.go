package site

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer/tileset"
)

// TestTileJSON checks /tiles.json against TileJSON 3.0.0's required keys
// (tilejson, tiles, vector_layers with id and fields) and the tile schema,
// then fetches a tile through its template and checks it with the schema.
func TestTileJSON(t *testing.T) {
	h := newServer(t, nil).Handler()
	r := get(t, h, "/tiles.json")
	if r.code != 200 || r.h.Get("Content-Type") != "application/json" {
		t.Fatalf("/tiles.json: %d %v", r.code, r.h)
	}
	var tj map[string]any
	if err := json.Unmarshal([]byte(r.body), &tj); err != nil {
		t.Fatal(err)
	}
	if tj["tilejson"] != "3.0.0" {
		t.Errorf("tilejson %v", tj["tilejson"])
	}
	tilesURL, _ := tj["tiles"].([]any)
	if len(tilesURL) != 1 || !strings.HasSuffix(tilesURL[0].(string), "/tiles/{z}/{x}/{y}.mvt") {
		t.Fatalf("tiles %v", tj["tiles"])
	}
	layers, _ := tj["vector_layers"].([]any)
	if len(layers) != len(tileset.Schema().Layers) {
		t.Errorf("%d vector_layers, schema has %d", len(layers), len(tileset.Schema().Layers))
	}
	for _, l := range layers {
		m := l.(map[string]any)
		if _, ok := m["fields"].(map[string]any); !ok || tileset.Schema().Layer(m["id"].(string)) == nil {
			t.Errorf("vector layer %v", m)
		}
	}
	// Every source's licence is credited: GSHHG (LGPL v3+), Natural Earth,
	// OpenStreetMap (ODbL), GeoNames (CC BY).
	attr, _ := tj["attribution"].(string)
	for _, want := range []string{"GSHHG", "LGPL", "Natural Earth", "OpenStreetMap", "ODbL", "GeoNames", "CC BY"} {
		if !strings.Contains(attr, want) {
			t.Errorf("attribution %q lacks %s", attr, want)
		}
	}
	if n := strings.Count(attr, "GSHHG"); n != 1 {
		t.Errorf("attribution %q credits GSHHG %d times, want once", attr, n)
	}
	if tj["maxzoom"] != float64(tileset.MaxZoom) {
		t.Errorf("maxzoom %v", tj["maxzoom"])
	}
	tl := maptile.At(orb.Point{120.62, 31.31}, 12)
	path := strings.NewReplacer("{z}", "12", "{x}", itoa(tl.X), "{y}", itoa(tl.Y)).Replace(tilesURL[0].(string))
	path = path[strings.Index(path, "/tiles/"):]
	tr := get(t, h, path)
	if tr.code != 200 {
		t.Fatalf("%s: %d", path, tr.code)
	}
	got, err := tileset.Schema().CheckTile([]byte(tr.body), tl)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, l := range got {
		names[l.Name] = len(l.Features)
	}
	if names["land"] == 0 || names["places"] < 20 {
		t.Errorf("z12 tile of the old city: layers %v", names)
	}
}

// TestMapStyles checks the four style documents against the MapLibre Style
// Specification's required keys (version 8, sources, layers; each layer's
// id and type, a source that exists, a source-layer of the tile schema).
func TestMapStyles(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, name := range mapStyleNames {
		r := get(t, h, "/styles/"+name+".json")
		if r.code != 200 {
			t.Fatalf("%s: %d", name, r.code)
		}
		var st struct {
			Version float64                   `json:"version"`
			Sources map[string]map[string]any `json:"sources"`
			Layers  []map[string]any          `json:"layers"`
			Glyphs  string                    `json:"glyphs"`
		}
		if err := json.Unmarshal([]byte(r.body), &st); err != nil {
			t.Fatal(err)
		}
		if st.Version != 8 || len(st.Layers) == 0 || st.Sources["wumen"]["type"] != "vector" ||
			!strings.HasSuffix(st.Sources["wumen"]["url"].(string), "/tiles.json") || !strings.Contains(st.Glyphs, "{fontstack}") {
			t.Errorf("%s: version %v, %d layers, sources %v, glyphs %q", name, st.Version, len(st.Layers), st.Sources, st.Glyphs)
		}
		seen := map[string]bool{}
		drawn := map[string]bool{}
		for i, l := range st.Layers {
			id, _ := l["id"].(string)
			typ, _ := l["type"].(string)
			if id == "" || typ == "" || seen[id] {
				t.Errorf("%s layer %d: id %q type %q (ids must be unique)", name, i, id, typ)
			}
			seen[id] = true
			if typ == "background" {
				continue
			}
			src, _ := l["source"].(string)
			if st.Sources[src] == nil {
				t.Errorf("%s layer %s: source %q not in sources", name, id, src)
			}
			if sl, ok := l["source-layer"].(string); ok {
				if tileset.Schema().Layer(sl) == nil {
					t.Errorf("%s layer %s: source-layer %q not in the tile schema", name, id, sl)
				}
				drawn[sl] = true
			}
		}
		for _, l := range tileset.Schema().Layers {
			if !drawn[l.ID] {
				t.Errorf("%s: the tile layer %s is not drawn", name, l.ID)
			}
		}
	}
	if r := get(t, h, "/styles/dark-zh.json"); r.code != 404 {
		t.Errorf("unknown style: %d", r.code)
	}
}
