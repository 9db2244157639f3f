package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/geo"
)

func TestKMLOpensInGDAL(t *testing.T) {
	s := testStore(t)
	file := filepath.Join(t.TempDir(), "places.kml")
	var buf bytes.Buffer
	n, err := WriteKML(context.Background(), s, &buf, gazetteer.ExportOptions{})
	if err != nil || n != 7 {
		t.Fatalf("WriteKML = %d, %v", n, err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	if !strings.Contains(doc, "<description>"+"Wumen gazetteer. Contains data © OpenStreetMap contributors") {
		t.Errorf("no attribution in the Document description:\n%.600s", doc)
	}
	list := gdal(t, "ogrinfo", "-ro", file)
	for _, layer := range []string{"行政区域", "纪念地旅游景点", "交通运输设施", "建筑物", "居民点"} {
		if !strings.Contains(list, layer) {
			t.Errorf("no folder/layer %s:\n%s", layer, list)
		}
	}
	fs := gdalFeatures(t, file, "纪念地旅游景点")
	if len(fs) != 2 {
		t.Fatalf("纪念地旅游景点 has %d features, want 2", len(fs))
	}
	f := byName(t, fs, "Name", "北寺塔")
	if got := f.point(t); !near(got, Beisita, 1e-7) {
		t.Errorf("北寺塔 at %v", got)
	}
	if d, _ := f.Properties["description"].(string); !strings.HasPrefix(d, "Běisì Tǎ · 纪念地旅游景点 / 亭台碑塔") {
		t.Errorf("北寺塔 description %q in %v", d, f.Properties)
	}
	line := byName(t, gdalFeatures(t, file, "交通运输设施"), "Name", "山塘街")
	if d, _ := line.Properties["description"].(string); !strings.Contains(d, "七里山塘 (colloquial, 唐–)") {
		t.Errorf("山塘街 description %q lacks its names", d)
	}
}

func TestKMLStatesOtherCRS(t *testing.T) {
	s := testStore(t)
	var buf bytes.Buffer
	if _, err := WriteKML(context.Background(), s, &buf, gazetteer.ExportOptions{CRS: geo.GCJ02, Filter: gazetteer.Filter{IDs: []int64{3}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "GCJ-02, offset from WGS84; not an EPSG CRS") {
		t.Errorf("GCJ-02 KML does not say so:\n%s", buf.String())
	}
	want := geo.WGS84ToGCJ02(Beisita)
	file := filepath.Join(t.TempDir(), "gcj.kml")
	os.WriteFile(file, buf.Bytes(), 0o644)
	fs := gdalFeatures(t, file)
	if got := fs[0].point(t); !near(got, want, 1e-7) {
		t.Errorf("GCJ-02 北寺塔 %v, want %v", got, want)
	}
}

// TestGeoJSONOpensInGDAL reads the core GeoJSON export (served by
// /api/v1/export) with GDAL.
func TestGeoJSONOpensInGDAL(t *testing.T) {
	s := testStore(t)
	var buf bytes.Buffer
	if _, err := s.WriteGeoJSON(context.Background(), &buf, gazetteer.ExportOptions{}, false); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "places.geojson")
	os.WriteFile(file, buf.Bytes(), 0o644)
	fs := gdalFeatures(t, file)
	if len(fs) != 7 {
		t.Fatalf("%d features, want 7", len(fs))
	}
	if got := byName(t, fs, "name", "北寺塔").point(t); !near(got, Beisita, 1e-7) {
		t.Errorf("北寺塔 at %v", got)
	}
}
