// Command gen derives Wumen's basemap (data/basemap/basemap.geojson) from
// the geography sources in shared/data/geography (docs/data-sources.md):
//
//   - water_polygons.geojson  GSHHG 2.3.7: lakes with their islands as
//     holes, the Yangtze estuary and Hangzhou Bay → layer "water"
//   - rivers.geojson          GSHHG 2.3.7 WDB rivers and canals → "waterway"
//   - naturalearth_populated_places.geojson  Natural Earth 1:10m cities
//     → "place_label"
//   - the target area of those files (their stated bbox), all of whose
//     non-water faces GSHHG classifies as land → "land"
//
// Run from the repository root:
//
//	go run ./data/basemap/internal/gen -geography ../shared/data/geography
//
// Coordinates are copied as the sources give them (rounded to 6 decimals
// there); only rings are re-wound to RFC 7946 §3.1.6 orientation. GSHHG's
// lake islands (西山岛, 马山) are not copied: they are already the holes of
// 太湖. Every feature keeps its source key, resolved to a licence and
// attribution in data/basemap/README.md and basemap.Attribution.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/geo"
)

// coverage is the target area of the geography sources
// (docs/data-sources.md: the Suzhou prefecture bbox lon 119.85–121.45, lat
// 30.70–32.10); GSHHG's classification covers every face of it.
var coverage = orb.Bound{Min: orb.Point{119.85, 30.70}, Max: orb.Point{121.45, 32.10}}

func main() {
	dir := flag.String("geography", "../shared/data/geography", "folder of the geography sources")
	out := flag.String("o", "data/basemap/basemap.geojson", "file to write")
	flag.Parse()
	fc, err := build(*dir)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i, f := range fc.Features {
		b, err := json.Marshal(f)
		if err != nil {
			log.Fatal(err)
		}
		buf.Write(b)
		if i < len(fc.Features)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d features\n", *out, len(fc.Features))
}

func build(dir string) (*geojson.FeatureCollection, error) {
	out := geojson.NewFeatureCollection()
	land := geojson.NewFeature(coverage.ToPolygon())
	land.Properties = geojson.Properties{"layer": "land", "kind": "land", "source": "gshhg"}
	out.Append(land)

	water, err := read(dir, "water_polygons.geojson")
	if err != nil {
		return nil, err
	}
	for i, f := range water.Features {
		kind, _ := f.Properties["kind"].(string)
		switch kind {
		case "island_in_lake":
			continue // a hole of its lake already
		case "lake", "sea_or_estuary":
		default:
			return nil, fmt.Errorf("water_polygons.geojson feature %d: kind %q is neither lake, sea_or_estuary nor island_in_lake", i+1, kind)
		}
		if kind == "sea_or_estuary" {
			kind = "sea"
		}
		if t := f.Geometry.GeoJSONType(); t != "Polygon" && t != "MultiPolygon" {
			return nil, fmt.Errorf("water_polygons.geojson feature %d: geometry %s is not a polygon", i+1, t)
		}
		out.Append(feature(geo.OrientRings(f.Geometry), "water", kind, f.Properties, "gshhg"))
	}

	rivers, err := read(dir, "rivers.geojson")
	if err != nil {
		return nil, err
	}
	for i, f := range rivers.Features {
		class, ok := f.Properties["wdb_class"].(float64)
		if !ok {
			return nil, fmt.Errorf("rivers.geojson feature %d: no wdb_class", i+1)
		}
		// WDB II classes 1–4 are rivers, 8–9 canals (GSHHG's README).
		kind := "river"
		if class >= 8 {
			kind = "canal"
		}
		out.Append(feature(f.Geometry, "waterway", kind, f.Properties, "gshhg"))
	}

	places, err := read(dir, "naturalearth_populated_places.geojson")
	if err != nil {
		return nil, err
	}
	for i, f := range places.Features {
		if _, ok := f.Geometry.(orb.Point); !ok {
			return nil, fmt.Errorf("naturalearth_populated_places.geojson feature %d: not a point", i+1)
		}
		pf := feature(f.Geometry, "place_label", "city", f.Properties, "naturalearth")
		// Natural Earth's scalerank: 0 the most important, 10 the least.
		if r, ok := f.Properties["scalerank"].(float64); ok {
			pf.Properties["rank"] = 10 - r
		}
		out.Append(pf)
	}
	return out, nil
}

func feature(g orb.Geometry, layer, kind string, p geojson.Properties, source string) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.Properties = geojson.Properties{"layer": layer, "kind": kind, "source": source}
	for _, k := range []string{"name", "name_en"} {
		if v, ok := p[k].(string); ok && strings.TrimSpace(v) != "" {
			f.Properties[k] = v
		}
	}
	return f
}

func read(dir, name string) (*geojson.FeatureCollection, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return fc, nil
}
