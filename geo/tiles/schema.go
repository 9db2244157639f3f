package tiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"wumen/geo/pmtiles"
)

// MVTVersion is the layer version every tile of this package declares: the
// Mapbox Vector Tile specification 2.1 (§4.1, "version" MUST be 2 for tiles
// that follow it).
const MVTVersion = 2

// Schema is the contract of a tile set: its layers, each with the zooms it
// appears at, the geometry types it holds and its attributes. One schema
// drives the tile builder (a feature's layer gives its zoom range), the
// TileJSON and PMTiles metadata that describe the set, and CheckTile, which
// decodes a tile and tests it against the schema.
type Schema struct {
	Layers []Layer `json:"layers"`
}

// Layer is one MVT layer of a Schema.
type Layer struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	MinZoom     int    `json:"minzoom"`
	MaxZoom     int    `json:"maxzoom"`
	// Geometry lists the MVT geometry types the layer holds: Point,
	// LineString, Polygon (multi-geometries count as their single type).
	Geometry []string `json:"geometry"`
	// Fields are the attributes a feature of the layer may carry.
	Fields map[string]Field `json:"fields"`
}

// Field is one attribute of a layer: its type (String, Number or Boolean,
// as TileJSON's vector_layers and tippecanoe name them) and what it holds.
type Field struct {
	Type        string `json:"type"`
	Description string `json:"description"`
}

// ParseSchema reads a schema document (JSON, the form of Schema) and checks
// it: unique layer ids, zooms 0–30 with minzoom ≤ maxzoom, known geometry
// and field types.
func ParseSchema(data []byte) (*Schema, error) {
	var s Schema
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("tile schema: %w", err)
	}
	seen := map[string]bool{}
	for i, l := range s.Layers {
		where := fmt.Sprintf("tile schema: layer %d (%q)", i+1, l.ID)
		switch {
		case l.ID == "":
			return nil, fmt.Errorf("%s: no id", where)
		case seen[l.ID]:
			return nil, fmt.Errorf("%s: id used twice", where)
		case l.MinZoom < 0 || l.MaxZoom > 30 || l.MinZoom > l.MaxZoom:
			return nil, fmt.Errorf("%s: zooms %d–%d are not within 0–30 in order", where, l.MinZoom, l.MaxZoom)
		case len(l.Geometry) == 0:
			return nil, fmt.Errorf("%s: no geometry types", where)
		}
		seen[l.ID] = true
		for _, g := range l.Geometry {
			if g != "Point" && g != "LineString" && g != "Polygon" {
				return nil, fmt.Errorf("%s: geometry %q is not Point, LineString or Polygon", where, g)
			}
		}
		for name, f := range l.Fields {
			if f.Type != "String" && f.Type != "Number" && f.Type != "Boolean" {
				return nil, fmt.Errorf("%s: field %q has type %q, not String, Number or Boolean", where, name, f.Type)
			}
		}
	}
	return &s, nil
}

// Layer returns the layer with the given id, or nil.
func (s *Schema) Layer(id string) *Layer {
	for i := range s.Layers {
		if s.Layers[i].ID == id {
			return &s.Layers[i]
		}
	}
	return nil
}

// Zooms returns the lowest minzoom and highest maxzoom of the layers.
func (s *Schema) Zooms() (minZoom, maxZoom int) {
	minZoom = 30
	for _, l := range s.Layers {
		minZoom, maxZoom = min(minZoom, l.MinZoom), max(maxZoom, l.MaxZoom)
	}
	return minZoom, maxZoom
}

// VectorLayers lists the schema's layers as TileJSON 3.0 vector_layers
// (the same entries a PMTiles archive's metadata holds): fields map an
// attribute to its type.
func (s *Schema) VectorLayers() []pmtiles.VectorLayer {
	out := make([]pmtiles.VectorLayer, 0, len(s.Layers))
	for _, l := range s.Layers {
		f := make(map[string]string, len(l.Fields))
		for k, v := range l.Fields {
			f[k] = v.Type
		}
		out = append(out, pmtiles.VectorLayer{ID: l.ID, Description: l.Description, MinZoom: l.MinZoom, MaxZoom: l.MaxZoom, Fields: f})
	}
	return out
}

// TileJSON is a TileJSON 3.0.0 document (github.com/mapbox/tilejson-spec,
// 3.0.0/README.md): "tilejson", "tiles" and "vector_layers" are required.
type TileJSON struct {
	TileJSON     string                `json:"tilejson"`
	Tiles        []string              `json:"tiles"`
	VectorLayers []pmtiles.VectorLayer `json:"vector_layers"`
	Name         string                `json:"name,omitempty"`
	Description  string                `json:"description,omitempty"`
	Version      string                `json:"version,omitempty"`
	Attribution  string                `json:"attribution,omitempty"`
	Scheme       string                `json:"scheme"`
	MinZoom      int                   `json:"minzoom"`
	MaxZoom      int                   `json:"maxzoom"`
	Bounds       []float64             `json:"bounds,omitempty"`
	Center       []float64             `json:"center,omitempty"`
}

// TileJSON describes the schema's tiles served at the given URL templates
// ({z}/{x}/{y}), covering bounds (WGS84), centred on center at centerZoom.
func (s *Schema) TileJSON(tiles []string, bounds orb.Bound, center orb.Point, centerZoom int) TileJSON {
	minZ, maxZ := s.Zooms()
	return TileJSON{TileJSON: "3.0.0", Tiles: tiles, VectorLayers: s.VectorLayers(), Scheme: "xyz", MinZoom: minZ, MaxZoom: maxZ,
		Bounds: []float64{bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1]}, Center: []float64{center[0], center[1], float64(centerZoom)}}
}

// CheckTile decodes an encoded tile (gzipped or not) with orb's MVT decoder
// and checks it against the schema: every layer known, of MVTVersion, shown
// at this zoom, every feature of an allowed geometry type with only the
// schema's attributes in their types. It returns the decoded layers.
func (s *Schema) CheckTile(data []byte, t maptile.Tile) (mvt.Layers, error) {
	layers, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("tile %d/%d/%d: %w", t.Z, t.X, t.Y, err)
	}
	var problems []string
	for _, l := range layers {
		sl := s.Layer(l.Name)
		where := fmt.Sprintf("tile %d/%d/%d layer %q", t.Z, t.X, t.Y, l.Name)
		switch {
		case sl == nil:
			problems = append(problems, where+": not in the schema")
			continue
		case l.Version != MVTVersion:
			problems = append(problems, fmt.Sprintf("%s: version %d, want %d", where, l.Version, MVTVersion))
		case int(t.Z) < sl.MinZoom || int(t.Z) > sl.MaxZoom:
			problems = append(problems, fmt.Sprintf("%s: present at zoom %d, schema says %d–%d", where, t.Z, sl.MinZoom, sl.MaxZoom))
		}
		for i, f := range l.Features {
			g := strings.TrimPrefix(f.Geometry.GeoJSONType(), "Multi")
			if !slices.Contains(sl.Geometry, g) {
				problems = append(problems, fmt.Sprintf("%s feature %d: geometry %s not allowed", where, i, f.Geometry.GeoJSONType()))
			}
			for _, k := range slices.Sorted(maps.Keys(f.Properties)) {
				fd, ok := sl.Fields[k]
				if !ok {
					problems = append(problems, fmt.Sprintf("%s feature %d: attribute %q not in the schema", where, i, k))
					continue
				}
				if got := fieldType(f.Properties[k]); got != fd.Type {
					problems = append(problems, fmt.Sprintf("%s feature %d: attribute %q is %s, schema says %s", where, i, k, got, fd.Type))
				}
			}
		}
	}
	if len(problems) > 0 {
		return layers, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return layers, nil
}

func fieldType(v any) string {
	switch v.(type) {
	case string:
		return "String"
	case bool:
		return "Boolean"
	}
	return "Number"
}

// Decode decodes an encoded tile, gzipped or not, with orb's MVT decoder
// (geometries in tile coordinates).
func Decode(data []byte) (mvt.Layers, error) {
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return mvt.UnmarshalGzipped(data)
	}
	return mvt.Unmarshal(data)
}
