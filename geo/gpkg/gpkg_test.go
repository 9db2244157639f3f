package gpkg

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/geo/gdaltest"
	"wumen/geo/internal/fixture"
)

var placeCols = []Column{
	{Name: "osm_id", Type: "TEXT", NotNull: true},
	{Name: "name", Type: "TEXT"},
	{Name: "category", Type: "TEXT"},
	{Name: "rank", Type: "INTEGER"},
	{Name: "heritage", Type: "BOOLEAN"},
	{Name: "checked", Type: "DATE"},
}

// writeSample writes the test GeoPackage: OSM points (EPSG:4326), the
// 山塘街 test line (EPSG:4490), the test polygon, and a names table.
func writeSample(t testing.TB) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "suzhou.gpkg")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.AddFeatureLayer("places", Point, SRSWGS84, placeCols))
	must(w.AddFeatureLayer("streets", LineString, SRSCGCS2000, []Column{{Name: "name", Type: "TEXT"}}))
	must(w.AddFeatureLayer("areas", Polygon, SRSWGS84, []Column{{Name: "name", Type: "TEXT"}}))
	must(w.AddAttributeTable("names", []Column{{Name: "place_id", Type: "TEXT"}, {Name: "toponym", Type: "TEXT"}, {Name: "lang", Type: "TEXT"}}))
	places := fixture.Places()
	day := time.Date(2026, 7, 24, 0, 0, 0, 0, time.UTC)
	for _, f := range places {
		p := f.Properties
		must(w.Insert("places", f.Geometry, []any{p["osm_id"], p["name"], p["category"], p["rank"], p["category"] == "historic", day}))
	}
	must(w.Insert("places", nil, []any{"none", "无坐标", nil, nil, nil, nil}))
	must(w.Insert("streets", fixture.ShantangLine, []any{"山塘街"}))
	must(w.Insert("areas", fixture.TestPolygon, []any{"测试多边形"}))
	must(w.Insert("names", nil, []any{"node/5151296022", "山塘街", "zh"}))
	must(w.Insert("names", nil, []any{"node/5151296022", "Shantang Jie", "zh-Latn-pinyin"}))
	must(w.Close())
	return path, len(places) + 1
}

func TestOgrinfoSummary(t *testing.T) {
	path, nPlaces := writeSample(t)
	out, stderr := gdaltest.Ogrinfo(t, "-ro", "-al", "-so", path)
	if stderr != "" {
		t.Errorf("ogrinfo -so warned:\n%s", stderr)
	}
	layers := regexp.MustCompile(`(?m)^Layer name: (\S+)\n(?:.*\n)*?Feature Count: (\d+)`).FindAllStringSubmatch(out, -1)
	got := map[string]int{}
	for _, m := range layers {
		got[m[1]], _ = strconv.Atoi(m[2])
	}
	want := map[string]int{"places": nPlaces, "streets": 1, "areas": 1, "names": 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("layers and counts = %v, want %v\n%s", got, want, out)
	}
	for _, layer := range []struct{ name, epsg string }{{"places", "4326"}, {"streets", "4490"}, {"areas", "4326"}} {
		sect := section(out, layer.name)
		if !strings.Contains(sect, `ID["EPSG",`+layer.epsg+`]`) {
			t.Errorf("layer %s: SRS EPSG:%s not reported:\n%s", layer.name, layer.epsg, sect)
		}
	}
	if !strings.Contains(section(out, "places"), "Extent: (120.") {
		t.Errorf("places extent missing:\n%s", section(out, "places"))
	}
}

// section returns the part of ogrinfo output about one layer.
func section(out, layer string) string {
	i := strings.Index(out, "Layer name: "+layer+"\n")
	if i < 0 {
		return ""
	}
	rest := out[i+1:]
	if j := strings.Index(rest, "\nLayer name: "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestOgrinfoFeatures(t *testing.T) {
	path, _ := writeSample(t)
	out, stderr := gdaltest.Ogrinfo(t, "-ro", "-al", path)
	if stderr != "" {
		t.Errorf("ogrinfo warned:\n%s", stderr)
	}
	for _, s := range []string{"name (String) = 山塘街", "toponym (String) = 山塘街", "name (String) = 北寺塔", "checked (Date) = 2026/07/24"} {
		if !strings.Contains(out, s) {
			t.Errorf("ogrinfo output lacks %q", s)
		}
	}
	// 北寺塔 (OSM way/206076447) must come back within 1e-7°.
	beisita := section(out, "places")
	beisita = beisita[strings.Index(beisita, "name (String) = 北寺塔"):]
	m := regexp.MustCompile(`POINT \(([\d.]+) ([\d.]+)\)`).FindStringSubmatch(beisita)
	if m == nil {
		t.Fatalf("no POINT after 北寺塔")
	}
	lon, _ := strconv.ParseFloat(m[1], 64)
	lat, _ := strconv.ParseFloat(m[2], 64)
	if d := max(abs(lon-fixture.Beisita[0]), abs(lat-fixture.Beisita[1])); d > 1e-7 {
		t.Errorf("北寺塔 at %v,%v: off by %g°", lon, lat, d)
	}
	if !strings.Contains(section(out, "streets"), "LINESTRING (120.59745 31.3201022,120.5979444 31.3194228,120.599114 31.3186816)") {
		t.Errorf("streets geometry wrong:\n%s", section(out, "streets"))
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestOgrinfoSpatialIndex(t *testing.T) {
	path, _ := writeSample(t)
	for _, layer := range []string{"places", "streets", "areas"} {
		out, stderr := gdaltest.Ogrinfo(t, "-ro", path, "-sql", fmt.Sprintf("SELECT HasSpatialIndex('%s','geom')", layer))
		if stderr != "" {
			t.Errorf("ogrinfo warned:\n%s", stderr)
		}
		if !regexp.MustCompile(`HasSpatialIndex.* = 1\b`).MatchString(out) {
			t.Errorf("layer %s: HasSpatialIndex not 1:\n%s", layer, out)
		}
	}
	// A spatial filter goes through the R-tree: only 北寺塔 lies in this box.
	out, _ := gdaltest.Ogrinfo(t, "-ro", "-al", "-q", "-spat", "120.6153", "31.3245", "120.6155", "31.3246", path, "places")
	if n := strings.Count(out, "OGRFeature(places)"); n != 1 || !strings.Contains(out, "北寺塔") {
		t.Errorf("spatial filter found %d features:\n%s", n, out)
	}
}

func TestReadRoundTrip(t *testing.T) {
	path, nPlaces := writeSample(t)
	tests := []struct {
		layer string
		n     int
		check func(orb.Geometry, map[string]any) bool
	}{
		{"places", nPlaces, func(g orb.Geometry, p map[string]any) bool {
			return p["name"] != "北寺塔" || g.(orb.Point) == fixture.Beisita && p["heritage"] == int64(1) && p["checked"].(time.Time).Equal(time.Date(2026, 7, 24, 0, 0, 0, 0, time.UTC))
		}},
		{"streets", 1, func(g orb.Geometry, p map[string]any) bool {
			return orb.Equal(g, fixture.ShantangLine) && p["name"] == "山塘街" && p["fid"] == int64(1)
		}},
		{"areas", 1, func(g orb.Geometry, p map[string]any) bool { return orb.Equal(g, fixture.TestPolygon) }},
		{"names", 2, func(g orb.Geometry, p map[string]any) bool { return g == nil && p["place_id"] == "node/5151296022" }},
	}
	for _, tt := range tests {
		t.Run(tt.layer, func(t *testing.T) {
			n := 0
			err := Read(path, tt.layer, func(g orb.Geometry, p map[string]any) error {
				n++
				if p["osm_id"] == "none" {
					if g != nil {
						t.Errorf("NULL geometry read as %v", g)
					}
					return nil
				}
				if !tt.check(g, p) {
					t.Errorf("row %d: unexpected %v %v", n, g, p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.n {
				t.Errorf("read %d rows, want %d", n, tt.n)
			}
		})
	}
	if err := Read(path, "nosuch", func(orb.Geometry, map[string]any) error { return nil }); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("Read of a missing layer: %v", err)
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		do   func(w *Writer) error
		want string
	}{
		{"bad table name", func(w *Writer) error { return w.AddAttributeTable("a b", nil) }, "table name"},
		{"bad column type", func(w *Writer) error {
			return w.AddAttributeTable("t", []Column{{Name: "x", Type: "VARCHAR"}})
		}, "not a GeoPackage data type"},
		{"reserved column", func(w *Writer) error {
			return w.AddAttributeTable("t", []Column{{Name: "fid", Type: "TEXT"}})
		}, "reserved"},
		{"bad srs", func(w *Writer) error { return w.AddFeatureLayer("t", Point, 3857, nil) }, "srs_id 3857"},
		{"bad geometry type", func(w *Writer) error { return w.AddFeatureLayer("t", "CURVE", SRSWGS84, nil) }, "CURVE"},
		{"duplicate", func(w *Writer) error {
			w.AddAttributeTable("t", nil)
			return w.AddAttributeTable("T", nil)
		}, "already added"},
		{"wrong geometry", func(w *Writer) error {
			w.AddFeatureLayer("t", Point, SRSWGS84, nil)
			return w.Insert("t", fixture.ShantangLine, nil)
		}, "LineString geometry in a POINT layer"},
		{"value count", func(w *Writer) error {
			w.AddFeatureLayer("t", Point, SRSWGS84, []Column{{Name: "a", Type: "TEXT"}})
			return w.Insert("t", fixture.Beisita, nil)
		}, "row 1: 0 values for 1 columns"},
		{"not null", func(w *Writer) error {
			w.AddAttributeTable("t", []Column{{Name: "a", Type: "TEXT", NotNull: true}})
			return w.Insert("t", nil, []any{nil})
		}, "column a: NULL"},
		{"value type", func(w *Writer) error {
			w.AddAttributeTable("t", []Column{{Name: "a", Type: "TEXT"}})
			return w.Insert("t", nil, []any{struct{}{}})
		}, "unsupported value type"},
		{"unknown table", func(w *Writer) error { return w.Insert("t", nil, nil) }, `no table "t"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Create(filepath.Join(t.TempDir(), "x.gpkg"))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			err = tt.do(w)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
	path, _ := writeSample(t)
	if _, err := Create(path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create over an existing file: %v", err)
	}
}

func TestBinaryHeader(t *testing.T) {
	blob, _, err := encodeGeometry(fixture.ShantangLine, SRSCGCS2000)
	if err != nil {
		t.Fatal(err)
	}
	if string(blob[:3]) != "GP\x00" || blob[3] != 0x03 || blob[4] != 0x8A || blob[5] != 0x11 {
		t.Errorf("header % x", blob[:8])
	}
	blob, _, _ = encodeGeometry(orb.LineString{}, SRSWGS84)
	if blob[3] != 0x11 {
		t.Errorf("empty flags %#x, want 0x11", blob[3])
	}
	for _, bad := range [][]byte{nil, []byte("XX\x00\x01\x00\x00\x00\x00"), []byte("GP\x01\x01\x00\x00\x00\x00"), []byte("GP\x00\x03\x00\x00\x00\x00")} {
		if _, err := decodeGeometry(bad); err == nil {
			t.Errorf("decodeGeometry(% x) succeeded", bad)
		}
	}
}

func BenchmarkGPKGWrite(b *testing.B) {
	places := fixture.Places()
	const n = 100_000
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "bench.gpkg")
		w, err := Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.AddFeatureLayer("places", Point, SRSWGS84, placeCols[:4]); err != nil {
			b.Fatal(err)
		}
		for i := range n {
			f := places[i%len(places)]
			p := f.Properties
			// Shift copies so the R-tree sees distinct boxes.
			pt := f.Geometry.(orb.Point)
			pt[0] += float64(i/len(places)) * 1e-4
			if err := w.Insert("places", pt, []any{p["osm_id"], p["name"], p["category"], p["rank"]}); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(n, "features/op")
}
