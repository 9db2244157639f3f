package shp

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/geo/gdaltest"
)

// TestWriteReadBack: layers of every kind written, read back by this
// package and by GDAL: the same shapes (polygons wound as the
// specification asks, returned in RFC 7946 order), the same attributes in
// UTF-8, null shapes kept, the extent in the header.
func TestWriteReadBack(t *testing.T) {
	dir := t.TempDir()
	fields := []Field{{Name: "name", Type: 'C', Length: 30}, {Name: "acc_m", Type: 'N', Length: 10, Decimals: 1}}
	hole := orb.Polygon{
		{{120.0, 31.0}, {120.4, 31.0}, {120.4, 31.4}, {120.0, 31.4}, {120.0, 31.0}},
		{{120.1, 31.1}, {120.1, 31.2}, {120.2, 31.2}, {120.2, 31.1}, {120.1, 31.1}},
	}
	layers := []struct {
		kind  Kind
		geoms []orb.Geometry
	}{
		{Point, []orb.Geometry{orb.Point{120.6154018, 31.3245428}, nil}},
		{MultiPoint, []orb.Geometry{orb.MultiPoint{{120.1, 31.1}, {120.2, 31.2}}}},
		{PolyLine, []orb.Geometry{orb.LineString{{120.5, 31.2}, {120.6, 31.3}}, orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}}},
		{Polygon, []orb.Geometry{hole, orb.MultiPolygon{hole, {{{121, 31}, {121.1, 31}, {121.1, 31.1}, {121, 31}}}}}},
	}
	for li, l := range layers {
		base := filepath.Join(dir, kindName(l.kind))
		w, err := Create(base+".shp", l.kind, fields, `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"北寺塔", "山塘街 Shantang"}
		for i, g := range l.geoms {
			if err := w.Write(g, []string{names[i%2], FormatNumber(float64(li)+0.5, 1)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Write(orb.Collection{}, []string{"", ""}); err == nil {
			t.Error("a collection written")
		}
		if err := w.Write(nil, []string{"这个名字太长了这个名字太长了", ""}); err == nil {
			t.Error("a value longer than its field written")
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := Open(base + ".shp")
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range l.geoms {
			f, err := r.Next()
			if err != nil {
				t.Fatalf("%s %d: %v", base, i, err)
			}
			if !reflect.DeepEqual(f.Geometry, want) {
				t.Errorf("%s %d: read %v, wrote %v", kindName(l.kind), i, f.Geometry, want)
			}
			if f.Attrs[0] != names[i%2] || f.Attrs[1] != FormatNumber(float64(li)+0.5, 1) {
				t.Errorf("%s %d: attributes %q", kindName(l.kind), i, f.Attrs)
			}
		}
		if r.Encoding != "UTF-8 (.cpg)" {
			t.Errorf("encoding %q", r.Encoding)
		}
		r.Close()
		// GDAL reads the layer: its features, geometries and names.
		out, _ := gdaltest.Run(t, "ogr2ogr", "-f", "GeoJSON", "-lco", "RFC7946=YES", "/vsistdout/", base+".shp")
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
				Geometry   *geojson.Geometry
			}
		}
		if err := json.Unmarshal([]byte(out), &fc); err != nil {
			t.Fatalf("ogr2ogr: %v\n%s", err, out)
		}
		if len(fc.Features) != len(l.geoms) {
			t.Fatalf("GDAL reads %d features of %s, written %d", len(fc.Features), kindName(l.kind), len(l.geoms))
		}
		for i, f := range fc.Features {
			var got orb.Geometry
			if f.Geometry != nil {
				got = f.Geometry.Geometry()
			}
			if want := l.geoms[i]; !sameShape(got, want) || f.Properties["name"] != names[i%2] || f.Properties["acc_m"] != float64(li)+0.5 {
				t.Errorf("GDAL reads %s %d as %v %v, wrote %v", kindName(l.kind), i, got, f.Properties, want)
			}
		}
	}
}

// sameShape compares what GDAL gives back with what was written: GDAL
// returns a polygon layer's one-part shapes as Polygons and others as
// MultiPolygons, lines likewise, in RFC 7946 winding.
func sameShape(got, want orb.Geometry) bool {
	if reflect.DeepEqual(got, want) {
		return true
	}
	switch w := want.(type) {
	case orb.MultiLineString:
		return len(w) == 1 && reflect.DeepEqual(got, w[0])
	case orb.MultiPolygon:
		return len(w) == 1 && reflect.DeepEqual(got, w[0])
	}
	return false
}
