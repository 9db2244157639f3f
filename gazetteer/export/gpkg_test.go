package export

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
)

func featureCount(t *testing.T, file, layer string) (int, string) {
	t.Helper()
	out := gdal(t, "ogrinfo", "-ro", "-so", file, layer)
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no feature count for %s:\n%s", layer, out)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n, out
}

func TestGPKGOpensInGDAL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs GDAL")
	}
	s := testStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		crs  geo.CRS
		srs  string
		want orb.Point
	}{
		{geo.WGS84, `ID["EPSG",4326]`, Beisita},
		{geo.CGCS2000, `ID["EPSG",4490]`, Beisita},
		{geo.GCJ02, `GCJ-02, offset from WGS84; not an EPSG CRS`, geo.WGS84ToGCJ02(Beisita)},
		{geo.BD09, `BD-09, Baidu's offset on GCJ-02; not an EPSG CRS`, geo.GCJ02ToBD09(geo.WGS84ToGCJ02(Beisita))},
	} {
		t.Run(tc.crs.String(), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "places.gpkg")
			n, err := WriteGPKG(ctx, s, file, gazetteer.ExportOptions{CRS: tc.crs})
			if err != nil {
				t.Fatal(err)
			}
			if n != 7 {
				t.Fatalf("wrote %d places, want 7", n)
			}
			list := gdal(t, "ogrinfo", "-ro", file)
			for _, l := range []string{"places_point (Point)", "places_line (Multi Line String)", "places_polygon (Multi Polygon)",
				"places_nogeom (None)", "place_names (None)", "place_events (None)"} {
				if !strings.Contains(list, l) {
					t.Errorf("ogrinfo lists no %s:\n%s", l, list)
				}
			}
			for layer, want := range map[string]int{LayerPoint: 4, LayerLine: 1, LayerPolygon: 1, TableNoGeometry: 1, TableNames: 8, TableEvents: 1} {
				got, info := featureCount(t, file, layer)
				if got != want {
					t.Errorf("%s: %d features, want %d", layer, got, want)
				}
				if layer == LayerPoint && !strings.Contains(info, tc.srs) {
					t.Errorf("%s: SRS lacks %s:\n%s", layer, tc.srs, info)
				}
			}
			pts := gdalFeatures(t, file, LayerPoint)
			f := byName(t, pts, "name", "北寺塔")
			if got := f.point(t); !near(got, tc.want, 1e-7) {
				t.Errorf("北寺塔 at %v, want %v", got, tc.want)
			}
			if f.Properties["osm"] != "way/206076447" || f.Properties["class"] != "纪念地旅游景点" {
				t.Errorf("北寺塔 attributes: %v", f.Properties)
			}
			byName(t, pts, "name", "苏州市")
			names := gdalFeatures(t, file, TableNames)
			nm := byName(t, names, "text", "七里山塘")
			if nm.Properties["place_id"] != float64(4) || nm.Properties["kind"] != "colloquial" || nm.Properties["start"] != "唐" {
				t.Errorf("七里山塘 name row: %v", nm.Properties)
			}
			line := byName(t, gdalFeatures(t, file, LayerLine), "name", "山塘街")
			if line.Properties["heritage"] != "江苏省地名文化遗产（街巷）" {
				t.Errorf("山塘街 heritage: %v", line.Properties["heritage"])
			}
			meta := gdal(t, "ogrinfo", "-ro", "-sql", "SELECT description FROM gpkg_contents WHERE table_name='places_point'", file)
			if !strings.Contains(meta, "OpenStreetMap contributors") || !strings.Contains(meta, CRSLabel(tc.crs)) {
				t.Errorf("gpkg_contents.description lacks attribution or CRS:\n%s", meta)
			}
		})
	}
}

// TestGPKGPublishedVector checks the GCJ-02 export against docs/domain.md §7:
// WGS84 31.1774276,121.5272106 → GCJ-02 31.17530398364597,121.531541859215.
func TestGPKGPublishedVector(t *testing.T) {
	s := emptyStore(t)
	ctx := context.Background()
	p := &gazetteer.Place{Name: "测试点", Category: gazetteer.Category{Class: "非行政区域"}, Geometry: orb.Point{121.5272106, 31.1774276},
		Coord: &gazetteer.Coord{Method: "surveyed"}}
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "gcj.gpkg")
	if _, err := WriteGPKG(ctx, s, file, gazetteer.ExportOptions{CRS: geo.GCJ02}); err != nil {
		t.Fatal(err)
	}
	got := gdalFeatures(t, file, LayerPoint)[0].point(t)
	if want := (orb.Point{121.531541859215, 31.17530398364597}); !near(got, want, 1e-9) {
		t.Errorf("GCJ-02 %v, want %v", got, want)
	}
}

func TestGPKGRoundTrip(t *testing.T) {
	src := testStore(t)
	ctx := context.Background()
	for _, crs := range []geo.CRS{geo.WGS84, geo.CGCS2000, geo.GCJ02, geo.BD09} {
		t.Run(crs.String(), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "rt.gpkg")
			if _, err := WriteGPKG(ctx, src, file, gazetteer.ExportOptions{CRS: crs}); err != nil {
				t.Fatal(err)
			}
			got, err := FileCRS(file)
			if err != nil || !sameDatum(got, crs) {
				t.Fatalf("FileCRS = %v, %v; want %v", got, err, crs)
			}
			in, err := ReadGPKG(file, 0)
			if err != nil {
				t.Fatal(err)
			}
			dst := emptyStore(t)
			if _, err := dst.PutAll(ctx, in, gazetteer.Change{Actor: "test", Reason: "round trip"}, gazetteer.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			samePlaces(t, src, dst, 1e-7)
		})
	}
}

func TestGPKGImportRefusesWrongCRS(t *testing.T) {
	src := testStore(t)
	file := filepath.Join(t.TempDir(), "gcj.gpkg")
	if _, err := WriteGPKG(context.Background(), src, file, gazetteer.ExportOptions{CRS: geo.GCJ02}); err != nil {
		t.Fatal(err)
	}
	_, err := ReadGPKG(file, geo.WGS84)
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "gcj02") {
		t.Fatalf("ReadGPKG(gcj02 file, wgs84) = %v, want an invalid error naming gcj02", err)
	}
}

// samePlaces compares every place of a and b: ids, names, events, category,
// links, and coordinates within tol degrees.
func samePlaces(t *testing.T, a, b *gazetteer.Store, tol float64) {
	t.Helper()
	ctx := context.Background()
	var want []*gazetteer.Place
	a.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error { want = append(want, p); return nil })
	var got []*gazetteer.Place
	b.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error { got = append(got, p); return nil })
	if len(got) != len(want) {
		t.Fatalf("%d places after the round trip, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Name != w.Name || g.Pinyin != w.Pinyin || g.Category != w.Category || g.Status != w.Status || g.Links != w.Links {
			t.Errorf("place %d: got %d %s %s %v %s %v", w.ID, g.ID, g.Name, g.Pinyin, g.Category, g.Status, g.Links)
		}
		if !reflect.DeepEqual(g.Names, w.Names) || !reflect.DeepEqual(g.Events, w.Events) || !reflect.DeepEqual(g.Rel, w.Rel) ||
			!reflect.DeepEqual(g.Heritage, w.Heritage) || !reflect.DeepEqual(g.Admin, w.Admin) || !reflect.DeepEqual(g.Coord, w.Coord) {
			t.Errorf("place %d %s: names/events/relations/heritage/admin/coord differ:\n got %+v\nwant %+v", w.ID, w.Name, g, w)
		}
		if !sameGeometry(g.Geometry, w.Geometry, tol) {
			t.Errorf("place %d %s: geometry %v, want %v", w.ID, w.Name, g.Geometry, w.Geometry)
		}
	}
}

func sameGeometry(a, b orb.Geometry, tol float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a.GeoJSONType() != b.GeoJSONType() {
		return false
	}
	pa, pb := points(a), points(b)
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if math.Abs(pa[i][0]-pb[i][0]) > tol || math.Abs(pa[i][1]-pb[i][1]) > tol {
			return false
		}
	}
	return true
}

func points(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.MultiPoint:
		return g
	case orb.LineString:
		return g
	case orb.Ring:
		return g
	case orb.Polygon:
		var out []orb.Point
		for _, r := range g {
			out = append(out, r...)
		}
		return out
	case orb.MultiLineString:
		var out []orb.Point
		for _, l := range g {
			out = append(out, l...)
		}
		return out
	case orb.MultiPolygon:
		var out []orb.Point
		for _, p := range g {
			out = append(out, points(p)...)
		}
		return out
	}
	return nil
}
