package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"wumen/geo/gdaltest"
)

// TestImportCensusCSV imports a GBK census table with 度分秒 coordinates by
// its file name alone, and a bad one with exit 3 and nothing written. The
// rows are hand-written in the census's shape; 盘门's position is
// OpenStreetMap's (way/685088107).
func TestImportCensusCSV(t *testing.T) {
	db := seeded(t)
	text := "标准名称,地名类别,所在（跨）行政区,东经,北纬,地名含义\r\n" +
		"盘门水关,城墙堡,苏州市姑苏区,120°36′43.035″E,31°17′22.399″N,test meaning\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "普查.csv")
	os.WriteFile(f, []byte(gbk), 0o644)
	code, out, stderr := wumen(t, "import", "--db", db, f)
	if code != 0 || !strings.Contains(out, "1 created") || !strings.Contains(stderr, "GB18030 (GBK)") || !strings.Contains(stderr, "东经→lon") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	code, out, _ = wumen(t, "search", "--db", db, "盘门水关")
	if code != 0 || !strings.Contains(out, "盘门水关") {
		t.Errorf("search after import: %d %s", code, out)
	}
	bad := strings.Replace(text, "盘门水关", "胥门水关", 1) + "胥门水闸,城墙宝,姑苏区,,,\r\n" + "北寺塔,亭台碑塔,姑苏区,120.6154018,91,\r\n"
	os.WriteFile(f, []byte(bad), 0o644)
	code, _, stderr = wumen(t, "import", "--db", db, f)
	if code != 3 || !strings.Contains(stderr, "普查.csv: row 3: 地名类别") || !strings.Contains(stderr, "普查.csv: row 4: 北纬") {
		t.Fatalf("bad import: %d %s", code, stderr)
	}
	if _, out, _ := wumen(t, "search", "--db", db, "胥门水关"); strings.Contains(out, "胥门水关") {
		t.Errorf("a failed import was written: %s", out)
	}
}

// TestImportShapefile imports a GBK CGCS2000 census layer made by ogr2ogr,
// with no .cpg, by its file name alone.
func TestImportShapefile(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geojson")
	os.WriteFile(in, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature",
		"properties":{"标准名称":"盘门水门","地名类别":"城墙堡","所在行政区":"姑苏区"},"geometry":{"type":"Point","coordinates":[120.6119542,31.2895554]}}]}`), 0o644)
	shp := filepath.Join(dir, "普查点.shp")
	gdaltest.Run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "-a_srs", "EPSG:4490", shp, in)
	os.Remove(filepath.Join(dir, "普查点.cpg"))
	code, out, stderr := wumen(t, "import", "--db", db, shp)
	if code != 0 || !strings.Contains(out, "1 created") || !strings.Contains(stderr, "GBK, detected") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
}

// TestCensusTableDefinesItsUnits: a census table that lists a community
// (with its statistical code) and, above it, a bridge in that community
// imports in one go: the table's own units are read first, so 所在行政区 may
// name them before the store holds them. The community and its code are
// made up for the test (no such unit exists).
func TestCensusTableDefinesItsUnits(t *testing.T) {
	db := seeded(t)
	text := "标准名称,地名类别,统计用区划代码,所在行政区\n" +
		"测试桥,桥梁,,苏州市姑苏区白洋湾街道测试社区\n" +
		"测试社区,社区居民委员会,320508017999,苏州市姑苏区白洋湾街道\n"
	f := filepath.Join(t.TempDir(), "township.csv")
	os.WriteFile(f, []byte(text), 0o644)
	if code, out, errs := wumen(t, "import", "--db", db, f); code != 0 || !strings.Contains(out, "2 created") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	_, out, _ := wumen(t, "export", "--db", db, "--admin", "320508017999")
	if !strings.Contains(out, `"name":"测试桥"`) {
		t.Errorf("the bridge is not in the community the table defines: %s", out)
	}
	// A unit the table does not define is still an error naming the row.
	os.WriteFile(f, []byte("标准名称,地名类别,所在行政区\n另一桥,桥梁,苏州市姑苏区白洋湾街道无此社区\n"), 0o644)
	if code, _, errs := wumen(t, "import", "--db", db, f); code != 3 || !strings.Contains(errs, "row 2: 所在行政区") {
		t.Errorf("an unknown unit: exit %d %s", code, errs)
	}
}
