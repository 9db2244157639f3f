package shp

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/geo/gdaltest"
)

// The layers of these tests are made by GDAL's ogr2ogr from small
// hand-written GeoJSON (test shapes near Suzhou's old city, not surveyed
// outlines), so the reader is checked against the reference writer.
const polygonsJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"标准名称":"狮子林","地名类别":"公园风景区","设立年份":1342},"geometry":{"type":"Polygon","coordinates":[[[120.62,31.32],[120.63,31.32],[120.63,31.33],[120.62,31.33],[120.62,31.32]],[[120.622,31.322],[120.622,31.324],[120.624,31.324],[120.624,31.322],[120.622,31.322]]]}},
{"type":"Feature","properties":{"标准名称":"两处园地","地名类别":"公园风景区"},"geometry":{"type":"MultiPolygon","coordinates":[[[[120.60,31.30],[120.61,31.30],[120.61,31.31],[120.60,31.30]]],[[[120.64,31.30],[120.65,31.30],[120.65,31.31],[120.64,31.31],[120.64,31.30]],[[120.641,31.301],[120.641,31.303],[120.643,31.303],[120.641,31.301]]]]}}
]}`

const linesJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"山塘街"},"geometry":{"type":"LineString","coordinates":[[120.59,31.31],[120.60,31.315],[120.61,31.32]]}},
{"type":"Feature","properties":{"name":"两段路"},"geometry":{"type":"MultiLineString","coordinates":[[[120.60,31.30],[120.61,31.30]],[[120.62,31.30],[120.63,31.31],[120.64,31.31]]]}}
]}`

const pointsJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"盘门","lon":120.6119542},"geometry":{"type":"Point","coordinates":[120.6119542,31.2895554]}},
{"type":"Feature","properties":{"name":"无位置"},"geometry":null}
]}`

// makeLayer writes src as a Shapefile with ogr2ogr and returns its .shp.
func makeLayer(t *testing.T, src string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geojson")
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "layer.shp")
	gdaltest.Run(t, "ogr2ogr", append(append([]string{"-f", "ESRI Shapefile"}, args...), out, in)...)
	return out
}

func readAll(t *testing.T, path string) (*Reader, []*Feature) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var out []*Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			return r, out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
}

// same compares the layer read back with the GeoJSON it was made from.
func same(t *testing.T, src string, got []*Feature) {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(fc.Features) {
		t.Fatalf("%d features, want %d", len(got), len(fc.Features))
	}
	for i, f := range fc.Features {
		if f.Geometry == nil {
			if got[i].Geometry != nil {
				t.Errorf("feature %d: %v, want none", i, got[i].Geometry)
			}
			continue
		}
		if !orb.Equal(f.Geometry, got[i].Geometry) {
			t.Errorf("feature %d: got %#v\nwant %#v", i, got[i].Geometry, f.Geometry)
		}
	}
}

func field(r *Reader, f *Feature, name string) string {
	for i, fl := range r.Fields {
		if fl.Name == name {
			return f.Attrs[i]
		}
	}
	return "<no field " + name + ">"
}

func TestGBKPolygonsCGCS2000(t *testing.T) {
	path := makeLayer(t, polygonsJSON, "-lco", "ENCODING=GBK", "-a_srs", "EPSG:4490")
	r, fs := readAll(t, path)
	same(t, polygonsJSON, fs)
	if r.Encoding != "GB18030 (GBK) (.cpg)" || !strings.Contains(r.PRJ, "China_Geodetic_Coordinate_System_2000") {
		t.Errorf("encoding %q, prj %q", r.Encoding, r.PRJ)
	}
	if got := field(r, fs[0], "标准名称"); got != "狮子林" {
		t.Errorf("标准名称 = %q", got)
	}
	if got := field(r, fs[0], "设立年份"); got != "1342" {
		t.Errorf("设立年份 = %q", got)
	}
	if _, ok := fs[1].Geometry.(orb.MultiPolygon); !ok {
		t.Errorf("feature 2 is %T, want a MultiPolygon", fs[1].Geometry)
	}
	// Without its .cpg the GBK table is detected.
	os.Remove(strings.TrimSuffix(path, ".shp") + ".cpg")
	r, fs = readAll(t, path)
	if r.Encoding != "GB18030 (GBK, detected)" || field(r, fs[1], "标准名称") != "两处园地" {
		t.Errorf("without .cpg: %q %q", r.Encoding, field(r, fs[1], "标准名称"))
	}
}

func TestLinesAndPoints(t *testing.T) {
	r, fs := readAll(t, makeLayer(t, linesJSON, "-lco", "ENCODING=UTF-8"))
	same(t, linesJSON, fs)
	if r.Encoding != "UTF-8 (.cpg)" || field(r, fs[0], "name") != "山塘街" {
		t.Errorf("%q %q", r.Encoding, field(r, fs[0], "name"))
	}
	r, fs = readAll(t, makeLayer(t, pointsJSON, "-lco", "ENCODING=UTF-8"))
	same(t, pointsJSON, fs)
	if v := field(r, fs[0], "lon"); v == "" || math.Abs(mustFloat(t, v)-120.6119542) > 1e-9 {
		t.Errorf("lon attribute %q", v)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestMalformed checks a broken ring and a cut-off file are errors naming
// the feature, and that reading goes on past a bad feature.
func TestMalformed(t *testing.T) {
	path := makeLayer(t, polygonsJSON, "-lco", "ENCODING=UTF-8")
	b, _ := os.ReadFile(path)
	// Move the last point of the first ring of feature 1 (its record starts
	// at byte 100; 8 header + 4 type + 32 box + 8 counts + 4 per part).
	parts := int(binary.LittleEndian.Uint32(b[100+8+36:]))
	first := 100 + 8 + 44 + 4*parts
	ring1End := int(binary.LittleEndian.Uint32(b[100+8+44+4:])) // start of ring 2
	binary.LittleEndian.PutUint64(b[first+16*(ring1End-1):], math.Float64bits(120.7))
	os.WriteFile(path, b, 0o644)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "layer: feature 1: ring 1 is not closed") {
		t.Errorf("err = %v", err)
	}
	if f, err := r.Next(); err != nil || f.Index != 1 {
		t.Errorf("after a bad feature: %v %v", f, err)
	}
	// A .shp cut short.
	os.WriteFile(path, b[:len(b)-30], 0o644)
	r2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	r2.Next()
	if _, err := r2.Next(); err == nil || !strings.Contains(err.Error(), "feature 2") {
		t.Errorf("cut file: %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.shp")); err == nil {
		t.Error("a missing file opened")
	}
}
