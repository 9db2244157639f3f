package gpkg

import (
	"testing"

	"github.com/paulmach/orb"
)

// FuzzDecodeGeometry: any blob read from a GeoPackage's geometry column
// gives a geometry or an error, never a panic; a geometry it gives is
// written and read back the same. CI runs it briefly (.ci/run).
func FuzzDecodeGeometry(f *testing.F) {
	for _, g := range []orb.Geometry{
		orb.Point{120.6154018, 31.3245428},
		orb.LineString{{120.60, 31.32}, {120.61, 31.325}},
		orb.Polygon{{{120.0, 31.0}, {120.5, 31.0}, {120.5, 31.4}, {120.0, 31.0}}, {{120.1, 31.1}, {120.2, 31.1}, {120.2, 31.2}, {120.1, 31.1}}},
		orb.MultiPoint{{120.6, 31.3}, {120.7, 31.4}},
	} {
		b, _, err := encodeGeometry(g, 4326)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("GP\x00\x03\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		g, err := decodeGeometry(blob)
		if err != nil || g == nil {
			return
		}
		b, _, err := encodeGeometry(g, 4326)
		if err != nil {
			return // a geometry the format holds but we do not write (an empty one)
		}
		again, err := decodeGeometry(b)
		if err != nil || !orb.Equal(g, again) {
			t.Fatalf("read %v, written and read back as %v (%v)", g, again, err)
		}
	})
}
