package export

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/storetest"
	"wumen/geo/gdaltest"
)

// testStore returns a store in a temp dir seeded with testdata/places.jsonl:
// seven real Suzhou places (see testdata/README.md).
func testStore(t testing.TB) *gazetteer.Store {
	t.Helper()
	s := storetest.Open(t)
	in := storetest.Records(t, "testdata/places.jsonl")
	// One lifecycle event, so the events table has a row; it is a test
	// record, not a real approval.
	in[3].Place.Events = []gazetteer.Event{{Type: gazetteer.EventNaming, Date: "2019-06-01", Document: "测试文号〔2019〕1号", Note: "test record"}}
	storetest.Put(t, s, in)
	return s
}

// emptyStore returns a new empty store.
func emptyStore(t testing.TB) *gazetteer.Store { return storetest.Open(t) }

// gdal runs a GDAL tool; a missing tool fails the test (CI installs
// gdal-bin), it never skips.
func gdal(t testing.TB, tool string, args ...string) string {
	return gdaltest.Quiet(t, tool, args...)
}

// gdalFeatures converts a layer to GeoJSON with ogr2ogr and decodes it.
func gdalFeatures(t testing.TB, src string, layer ...string) []gdalFeature {
	t.Helper()
	args := append([]string{"-f", "GeoJSON", "/vsistdout/", src}, layer...)
	out := gdal(t, "ogr2ogr", args...)
	var fc struct {
		Features []gdalFeature `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatalf("ogr2ogr output: %v\n%s", err, out)
	}
	return fc.Features
}

type gdalFeature struct {
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func (f gdalFeature) point(t testing.TB) orb.Point {
	t.Helper()
	var c [2]float64
	if f.Geometry == nil || json.Unmarshal(f.Geometry.Coordinates, &c) != nil {
		t.Fatalf("not a point: %+v", f.Geometry)
	}
	return orb.Point(c)
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func byName(t testing.TB, fs []gdalFeature, key, name string) gdalFeature {
	t.Helper()
	for _, f := range fs {
		if f.Properties[key] == name {
			return f
		}
	}
	t.Fatalf("no feature with %s=%s among %d", key, name, len(fs))
	return gdalFeature{}
}

// Beisita is 北寺塔's OSM position (way/206076447).
var Beisita = orb.Point{120.6154018, 31.3245428}
