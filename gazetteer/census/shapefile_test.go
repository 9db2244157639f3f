package census_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/geo/gdaltest"
)

// censusLayer is a census-shaped layer made by ogr2ogr: GBK attributes with
// the census's field names, CGCS2000 (EPSG:4490). 盘门's point is
// OpenStreetMap's (way/685088107); the outline and the line are test shapes
// near the old city, not surveyed ones.
const censusLayer = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"标准名称":"盘门","地名类别":"城墙堡","所在行政区":"苏州市姑苏区","地名含义":"test meaning"},
 "geometry":{"type":"Point","coordinates":[120.6119542,31.2895554]}},
{"type":"Feature","properties":{"标准名称":"测试园","地名类别":"公园风景区","所在行政区":"姑苏区"},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[120.62,31.32],[120.63,31.32],[120.63,31.33],[120.62,31.33],[120.62,31.32]],[[120.622,31.322],[120.622,31.324],[120.624,31.324],[120.624,31.322],[120.622,31.322]]],[[[120.64,31.30],[120.65,31.30],[120.65,31.31],[120.64,31.30]]]]}},
{"type":"Feature","properties":{"标准名称":"测试路","地名类别":"道路街巷","所在行政区":"姑苏区"},
 "geometry":{"type":"MultiLineString","coordinates":[[[120.60,31.30],[120.61,31.30]],[[120.62,31.30],[120.63,31.31]]]}}
]}`

func writeLayer(t *testing.T, src string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geojson")
	os.WriteFile(in, []byte(src), 0o644)
	out := filepath.Join(dir, "地名.shp")
	gdaltest.Run(t, "ogr2ogr", append(append([]string{"-f", "ESRI Shapefile"}, args...), out, in)...)
	return out
}

func TestShapefileGBKCGCS2000(t *testing.T) {
	s, a := store(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geojson")
	os.WriteFile(in, []byte(censusLayer), 0o644)
	// GDAL's Shapefile driver takes one geometry type a layer: the point,
	// the polygons and the lines go to a layer each, imported together.
	var recs []gazetteer.Records
	for i, typ := range []string{"POINT", "MULTIPOLYGON", "MULTILINESTRING"} {
		out := filepath.Join(dir, []string{"点.shp", "面.shp", "线.shp"}[i])
		gdaltest.Run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "-a_srs", "EPSG:4490",
			"-where", "\"标准名称\" = '"+[]string{"盘门", "测试园", "测试路"}[i]+"'", "-nlt", typ, out, in)
		os.Remove(strings.TrimSuffix(out, ".shp") + ".cpg") // census layers often come without one
		tab, err := census.OpenShapefile(out, census.Options{Name: filepath.Base(out), Categories: s.Categories(), Admin: a})
		if err != nil {
			t.Fatal(err)
		}
		defer tab.Close()
		if d := tab.Describe(); !strings.Contains(d, "GB18030 (GBK, detected)") || !strings.Contains(d, "cgcs2000 (.prj)") {
			t.Errorf("Describe = %s", d)
		}
		recs = append(recs, tab.Records())
	}
	all := func(yield func(gazetteer.Input, error) bool) {
		for _, r := range recs {
			for in, err := range r {
				if !yield(in, err) {
					return
				}
			}
		}
	}
	rep, err := s.Import(context.Background(), all, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
	if err != nil || rep.Created != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	got := map[string]*gazetteer.Place{}
	for _, o := range rep.Outcomes {
		p, _ := s.Get(context.Background(), o.ID)
		got[p.Name] = p
	}
	pm := got["盘门"]
	if pt, ok := pm.Geometry.(orb.Point); !ok || math.Abs(pt.Lon()-120.6119542) > 1e-9 || pm.Category.Subclass != "城墙堡" ||
		strings.Join(pm.Admin, ",") != "3205,320508" || pm.Meaning == nil {
		t.Errorf("盘门 = %+v %v", pm, pm.Geometry)
	}
	mp, ok := got["测试园"].Geometry.(orb.MultiPolygon)
	if !ok || len(mp) != 2 || len(mp[0]) != 2 || mp[0][1][1] != (orb.Point{120.622, 31.324}) {
		t.Errorf("测试园 = %#v", got["测试园"].Geometry)
	}
	if ml, ok := got["测试路"].Geometry.(orb.MultiLineString); !ok || len(ml) != 2 {
		t.Errorf("测试路 = %#v", got["测试路"].Geometry)
	}
}

func TestShapefileProjected(t *testing.T) {
	s, a := store(t)
	out := writeLayer(t, censusLayer, "-lco", "ENCODING=GBK", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4549", "-where", "\"标准名称\" = '盘门'")
	_, err := census.OpenShapefile(out, census.Options{Name: "地名.shp", Categories: s.Categories(), Admin: a})
	if err == nil || !strings.Contains(err.Error(), "地名.prj: the layer is in a projected CRS") || !strings.Contains(err.Error(), "ogr2ogr -t_srs EPSG:4490") {
		t.Errorf("err = %v", err)
	}
}

func TestShapefileBadFeature(t *testing.T) {
	s, a := store(t)
	bad := strings.Replace(censusLayer, `"城墙堡"`, `"城墙宝"`, 1)
	out := writeLayer(t, bad, "-lco", "ENCODING=GBK", "-a_srs", "EPSG:4490", "-where", "\"标准名称\" = '盘门'")
	tab, err := census.OpenShapefile(out, census.Options{Name: "地名.shp", Categories: s.Categories(), Admin: a})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	_, err = s.Import(context.Background(), tab.Records(), gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{})
	if err == nil || !strings.Contains(err.Error(), "地名.shp: feature 1: 地名类别: 未知类别“城墙宝”") {
		t.Errorf("err = %v", err)
	}
}
