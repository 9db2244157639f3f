package tiles

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"wumen/geo/gdaltest"
	"wumen/geo/internal/fixture"
	"wumen/geo/pmtiles"
)

// sample returns the OSM points plus the 山塘街 test line (category
// "street") and the test polygon (category "area").
func sample() []*geojson.Feature {
	fs := fixture.Places()
	line := geojson.NewFeature(fixture.ShantangLine)
	line.Properties = geojson.Properties{"name": "山塘街", "category": "street", "rank": 1000}
	poly := geojson.NewFeature(fixture.TestPolygon)
	poly.Properties = geojson.Properties{"name": "测试多边形", "category": "area", "note": nil}
	return append(fs, line, poly)
}

func decode(t testing.TB, data []byte, tile maptile.Tile) map[string]*mvt.Layer {
	t.Helper()
	layers, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	layers.ProjectToWGS84(tile)
	out := map[string]*mvt.Layer{}
	for _, l := range layers {
		out[l.Name] = l
	}
	return out
}

func find(layers map[string]*mvt.Layer, name string) *geojson.Feature {
	for _, l := range layers {
		for _, f := range l.Features {
			if f.Properties["name"] == name {
				return f
			}
		}
	}
	return nil
}

func TestTileContents(t *testing.T) {
	fs := sample()
	before := make([]orb.Geometry, len(fs))
	for i, f := range fs {
		before[i] = orb.Clone(f.Geometry)
	}
	ix, err := NewIndex(fs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tile := maptile.At(fixture.Beisita, 16)
	for _, z := range []maptile.Zoom{16, 18} { // 18 is below IndexZoom: filtered path
		tl := maptile.At(fixture.Beisita, z)
		data, err := ix.Tile(tl.Z, tl.X, tl.Y)
		if err != nil || data == nil {
			t.Fatalf("z%d: %v, %d bytes", z, err, len(data))
		}
		layers := decode(t, data, tl)
		f := find(layers, "北寺塔")
		if f == nil || layers["historic"] == nil || find(map[string]*mvt.Layer{"h": layers["historic"]}, "北寺塔") == nil {
			t.Fatalf("z%d: 北寺塔 not in layer historic: %v", z, layers)
		}
		p := f.Geometry.(orb.Point)
		// One tile unit at z16 is 360/2^16/4096 ≈ 1.3e-6°.
		if d := math.Max(math.Abs(p[0]-fixture.Beisita[0]), math.Abs(p[1]-fixture.Beisita[1])); d > 2e-6 {
			t.Errorf("z%d: 北寺塔 at %v, off by %g°", z, p, d)
		}
		if f.Properties["osm_id"] != "way/206076447" || f.Properties["rank"] != float64(237) && f.Properties["rank"] != int64(237) {
			t.Errorf("properties %v", f.Properties)
		}
	}
	for i, f := range fs {
		if !orb.Equal(f.Geometry, before[i]) {
			t.Fatalf("feature %d geometry mutated", i)
		}
	}
	// The polygon is in 北寺塔's z16 tile neighbourhood; the street is west.
	st := maptile.At(fixture.ShantangLine[0], 16)
	data, _ := ix.Tile(st.Z, st.X, st.Y)
	layers := decode(t, data, st)
	if l := layers["street"]; l == nil || l.Features[0].Geometry.GeoJSONType() != "LineString" {
		t.Errorf("street layer missing in %v: %v", st, layers)
	}
	data, _ = ix.Tile(tile.Z, tile.X, tile.Y)
	layers = decode(t, data, tile)
	if l := layers["area"]; l == nil || l.Features[0].Geometry.GeoJSONType() != "Polygon" {
		t.Errorf("area layer missing: %v", layers)
	} else if _, ok := l.Features[0].Properties["note"]; ok {
		t.Errorf("nil property encoded")
	}
	if data, err := ix.Tile(16, 0, 0); data != nil || err != nil {
		t.Errorf("empty tile = %d bytes, %v", len(data), err)
	}
}

// TestThinning checks low-zoom tiles keep one point per grid cell, always
// the highest ranked, and that no thinning happens from ThinBelowZoom on.
func TestThinning(t *testing.T) {
	fs := fixture.Places()
	ix, err := NewIndex(fs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []maptile.Zoom{6, 9, 11} {
		tl := maptile.At(fixture.Beisita, z)
		data, _ := ix.Tile(tl.Z, tl.X, tl.Y)
		layers := decode(t, data, tl)
		if find(layers, "北寺塔") == nil {
			t.Errorf("z%d: the top-ranked 北寺塔 was thinned out", z)
		}
		kept := map[string]float64{}
		for _, l := range layers {
			for _, f := range l.Features {
				kept[f.Properties["osm_id"].(string)] = 0
			}
		}
		inTile := 0
		type cell struct {
			layer string
			x, y  int
		}
		cells := map[cell]float64{} // best rank per layer and cell among all input points
		for _, f := range fs {
			p := f.Geometry.(orb.Point)
			if !tl.Bound().Contains(p) {
				continue
			}
			inTile++
			fr := maptile.Fraction(p, z)
			c := cell{f.Properties["category"].(string), int(fr[0] * 16), int(fr[1] * 16)}
			cells[c] = math.Max(cells[c], float64(f.Properties["rank"].(int)))
		}
		for _, f := range fs {
			p := f.Geometry.(orb.Point)
			if !tl.Bound().Contains(p) {
				continue
			}
			fr := maptile.Fraction(p, z)
			c := cell{f.Properties["category"].(string), int(fr[0] * 16), int(fr[1] * 16)}
			_, isKept := kept[f.Properties["osm_id"].(string)]
			if best := float64(f.Properties["rank"].(int)) == cells[c]; best != isKept {
				t.Errorf("z%d: %s (rank %v) kept=%v but best-in-cell=%v", z, f.Properties["name"], f.Properties["rank"], isKept, best)
			}
		}
		if len(kept) >= inTile {
			t.Errorf("z%d: kept %d of %d points, expected thinning", z, len(kept), inTile)
		}
	}
	// At z14 every point in the tile survives.
	tl := maptile.At(fixture.Beisita, 14)
	data, _ := ix.Tile(tl.Z, tl.X, tl.Y)
	n := 0
	for _, l := range decode(t, data, tl) {
		n += len(l.Features)
	}
	want := 0
	for _, f := range fs {
		if tl.Bound(64.0 / 4096).Contains(f.Geometry.(orb.Point)) {
			want++
		}
	}
	if n != want {
		t.Errorf("z14: %d points, want %d", n, want)
	}
}

func TestSimplification(t *testing.T) {
	// 2,000 points interpolated along the 山塘街 test line.
	var dense orb.LineString
	for i := range 2000 {
		s := float64(i) / 1999 * 2
		seg := min(int(s), 1)
		f := s - float64(seg)
		a, b := fixture.ShantangLine[seg], fixture.ShantangLine[seg+1]
		dense = append(dense, orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])})
	}
	fs := []*geojson.Feature{geojson.NewFeature(dense)}
	ix, _ := NewIndex(fs, Options{})
	tl := maptile.At(dense[0], 12)
	data, err := ix.Tile(tl.Z, tl.X, tl.Y)
	if err != nil || data == nil {
		t.Fatal(err)
	}
	ls := decode(t, data, tl)["places"].Features[0].Geometry.(orb.LineString)
	// ProjectToTile snaps to integer tile units, so the rounding noise
	// (≤0.7 unit) keeps a few vertices near the bend; 2,000 must still
	// drop to a few dozen.
	if len(ls) > 40 {
		t.Errorf("z12: %d points left of 2000", len(ls))
	}
	if len(dense) != 2000 {
		t.Errorf("input changed")
	}
}

func TestGzipAndErrors(t *testing.T) {
	ix, _ := NewIndex(sample(), Options{Gzip: true})
	tl := maptile.At(fixture.Beisita, 10)
	data, err := ix.Tile(tl.Z, tl.X, tl.Y)
	if err != nil || !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Fatalf("gzip tile: %v % x", err, data[:2])
	}
	if find(decode(t, data, tl), "北寺塔") == nil {
		t.Error("北寺塔 missing from gzip tile")
	}
	if _, err := ix.Tile(2, 4, 0); err == nil {
		t.Error("out-of-range tile accepted")
	}
	for _, fs := range [][]*geojson.Feature{
		{geojson.NewFeature(nil)},
		{geojson.NewFeature(orb.Point{500000, 3400000})}, // projected metres, not lon/lat
	} {
		fs[0].ID = "bad"
		if _, err := NewIndex(fs, Options{}); err == nil || !strings.Contains(err.Error(), "feature 0 (id bad)") {
			t.Errorf("NewIndex: %v", err)
		}
	}
}

// TestBuildAllPMTiles builds every tile z0–16 into a PMTiles archive and
// reads it back; each point must appear at z16 (no thinning there).
func TestBuildAllPMTiles(t *testing.T) {
	fs := sample()
	ix, _ := NewIndex(fs, Options{Gzip: true})
	w := pmtiles.NewWriter(pmtiles.Options{Metadata: pmtiles.Metadata{Name: "wumen-test"}})
	var z16 []maptile.Tile
	perZoom := map[maptile.Zoom]int{}
	err := ix.BuildAll(0, 16, func(tl maptile.Tile, data []byte) error {
		perZoom[tl.Z]++
		if tl.Z == 16 {
			z16 = append(z16, tl)
		}
		return w.Add(uint8(tl.Z), tl.X, tl.Y, data)
	})
	if err != nil {
		t.Fatal(err)
	}
	if perZoom[0] != 1 || perZoom[16] < 100 {
		t.Errorf("tiles per zoom %v", perZoom)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	rd, err := pmtiles.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[any]bool{}
	for _, tl := range z16 {
		data, err := rd.Tile(uint8(tl.Z), tl.X, tl.Y)
		if err != nil || data == nil {
			t.Fatalf("tile %v: %v", tl, err)
		}
		for _, l := range decode(t, data, tl) {
			for _, f := range l.Features {
				seen[f.Properties["name"]] = true
			}
		}
	}
	for _, f := range fs {
		if !seen[f.Properties["name"]] {
			t.Errorf("%v missing at z16", f.Properties["name"])
		}
	}
	t.Logf("archive %d bytes, %d tiles", buf.Len(), w.Len())
}

// TestOgrinfoMVT opens a tile with GDAL's MVT driver, which takes z/x/y
// from the file path.
func TestOgrinfoMVT(t *testing.T) {
	ix, _ := NewIndex(sample(), Options{})
	tl := maptile.At(fixture.Beisita, 14)
	data, _ := ix.Tile(tl.Z, tl.X, tl.Y)
	dir := filepath.Join(t.TempDir(), strconv.Itoa(int(tl.Z)), strconv.Itoa(int(tl.X)))
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, strconv.Itoa(int(tl.Y))+".pbf")
	os.WriteFile(path, data, 0o644)
	out, stderr := gdaltest.Ogrinfo(t, "-ro", "-al", path)
	if stderr != "" {
		t.Errorf("ogrinfo warned: %s", stderr)
	}
	if !strings.Contains(out, "Layer name: historic") || !strings.Contains(out, "name (String) = 北寺塔") {
		t.Errorf("ogrinfo output:\n%s", out)
	}
}

func benchFeatures(n int) []*geojson.Feature {
	base := fixture.Places()
	out := make([]*geojson.Feature, n)
	for i := range out {
		f := *base[i%len(base)]
		p := f.Geometry.(orb.Point)
		// Spread copies over ±0.05° so tiles fill realistically.
		k := float64(i / len(base))
		f.Geometry = orb.Point{p[0] + math.Mod(k*0.00731, 0.1) - 0.05, p[1] + math.Mod(k*0.00419, 0.1) - 0.05}
		out[i] = &f
	}
	return out
}

func BenchmarkNewIndex100k(b *testing.B) {
	fs := benchFeatures(100_000)
	for b.Loop() {
		if _, err := NewIndex(fs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTile(b *testing.B) {
	ix, _ := NewIndex(benchFeatures(100_000), Options{Gzip: true})
	for _, z := range []maptile.Zoom{8, 12, 15} {
		tl := maptile.At(fixture.Beisita, z)
		b.Run("z"+strconv.Itoa(int(z)), func(b *testing.B) {
			var size int
			for b.Loop() {
				data, err := ix.Tile(tl.Z, tl.X, tl.Y)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(size), "bytes/tile")
		})
	}
}

// TestPolygonWinding: a lake with an island, given in either winding,
// decodes with orb's MVT decoder (which, as GDAL's, starts a new polygon at
// each ring of positive area, MVT 2.1 §4.3.4.4) as one polygon whose second
// ring is the island: exterior positive area in tile coordinates, hole
// negative.
func TestPolygonWinding(t *testing.T) {
	outer := orb.Ring{{120.60, 31.30}, {120.61, 31.30}, {120.61, 31.31}, {120.60, 31.31}, {120.60, 31.30}}
	island := orb.Ring{{120.603, 31.303}, {120.603, 31.306}, {120.606, 31.306}, {120.606, 31.303}, {120.603, 31.303}}
	for _, reversed := range []bool{false, true} {
		p := orb.Polygon{outer.Clone(), island.Clone()}
		if reversed {
			p[0].Reverse()
			p[1].Reverse()
		}
		f := geojson.NewFeature(p)
		f.Properties = geojson.Properties{"category": "water"}
		ix, err := NewIndex([]*geojson.Feature{f}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		tl := maptile.At(orb.Point{120.605, 31.305}, 14)
		b, err := ix.Tile(tl.Z, tl.X, tl.Y)
		if err != nil {
			t.Fatal(err)
		}
		layers, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := layers[0].Features[0].Geometry.(orb.Polygon)
		if !ok || len(got) != 2 {
			t.Fatalf("reversed %v: decoded %T with %v, want one polygon with its hole", reversed, layers[0].Features[0].Geometry, layers[0].Features[0].Geometry)
		}
		if got[0].Orientation() != orb.CCW || got[1].Orientation() != orb.CW {
			t.Errorf("reversed %v: rings wound %v, %v in tile coordinates; want positive (exterior), negative (hole)", reversed, got[0].Orientation(), got[1].Orientation())
		}
	}
}
