package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"wumen/gazetteer/formats"
	"wumen/geo/gdaltest"
)

// TestRoundTripEveryFormat exports the whole shipped dataset in each format
// (CSV through the census reader, which first reads the units the file
// defines, so rows may name them in 所在行政区), imports the file into an
// empty store as a user would
// (wumen init --empty, wumen import FILE), and compares every record field
// by field with the original. A field may differ only where the export
// says, in its metadata and on stderr, that the format cannot hold it
// (formats.Format.Lost). Every format the registry both reads and writes
// is tried, and the import tells the format from the file alone.
func TestRoundTripEveryFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: exports and re-imports the whole dataset in every format")
	}
	db := seeded(t)
	dir := t.TempDir()
	want := records(t, db)
	var tried []string
	for _, ft := range formats.All() {
		if !ft.CanRead() || !ft.CanWrite() {
			continue
		}
		format := ft.Name
		tried = append(tried, format)
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "all"+ft.Ext())
			code, _, errs := wumen(t, "export", "--db", db, "--format", format, "-o", out)
			if code != 0 {
				t.Fatalf("export: %d %s", code, errs)
			}
			lost := ft.Lost
			if len(lost) > 0 && !strings.Contains(errs, strings.Join(lost, ", ")) {
				t.Errorf("export does not say on stderr what %s cannot hold (%v):\n%s", format, lost, errs)
			}
			if format == "lpf" {
				if b, _ := os.ReadFile(out); !strings.Contains(string(b), `"wumen_lost"`) {
					t.Error("the Linked Places file does not say what it cannot hold (wumen_lost)")
				}
			}
			fresh := filepath.Join(dir, format+".db")
			wumen(t, "init", "--empty", "--db", fresh)
			if code, _, errs := wumen(t, "import", "--db", fresh, out); code != 0 {
				t.Fatalf("import: %d %s", code, errs)
			}
			compareRecords(t, want, records(t, fresh), lost)
		})
	}
	for _, must := range []string{"jsonl", "geojson", "geojsonseq", "csv", "gpkg", "kml", "lpf", "lptsv"} {
		if !slices.Contains(tried, must) {
			t.Errorf("%s is not round-tripped (tried %v)", must, tried)
		}
	}
	// Through GDAL: the GeoPackage's point layer to GeoJSON with ogr2ogr (as
	// a GIS user converts it), imported back: the record column GDAL keeps
	// gives back all but the related tables.
	t.Run("gpkg-ogr2ogr-geojson", func(t *testing.T) {
		gp := filepath.Join(dir, "all.gpkg")
		gj := filepath.Join(dir, "points.geojson")
		gdaltest.Run(t, "ogr2ogr", "-f", "GeoJSON", gj, gp, "places_point")
		fresh := filepath.Join(dir, "ogr.db")
		wumen(t, "init", "--empty", "--db", fresh)
		if code, _, errs := wumen(t, "import", "--db", fresh, gj); code != 0 {
			t.Fatalf("import: %d %s", code, errs)
		}
		got := records(t, fresh)
		sub := map[string]map[string]any{}
		for id := range got {
			sub[id] = want[id]
		}
		if len(got) < 200 {
			t.Errorf("only %d points read back", len(got))
		}
		// Names and events live in the related tables place_names and
		// place_events, which a one-layer GeoJSON does not carry.
		compareRecords(t, sub, got, []string{"names", "events"})
		// To KML with ogr2ogr (SchemaData/SimpleData, no Wumen record):
		// every point imports with its name, category and position.
		kmlOut := filepath.Join(dir, "points.kml")
		gdaltest.Run(t, "ogr2ogr", "-f", "KML", kmlOut, gp, "places_point")
		freshKML := filepath.Join(dir, "ogr-kml.db")
		wumen(t, "init", "--empty", "--db", freshKML)
		if code, _, errs := wumen(t, "import", "--db", freshKML, kmlOut); code != 0 {
			t.Fatalf("import the KML ogr2ogr wrote: %d %s", code, errs)
		}
		fromKML := records(t, freshKML)
		if len(fromKML) != len(got) {
			t.Errorf("%d placemarks read back from ogr2ogr's KML, the layer has %d points", len(fromKML), len(got))
		}
		for id, r := range fromKML {
			if w := want[id]; w == nil || r["name"] != w["name"] || !reflect.DeepEqual(r["category"], w["category"]) || !reflect.DeepEqual(r["geometry"], w["geometry"]) {
				t.Errorf("place %s from ogr2ogr's KML: %v, want %v", id, r, w)
				break
			}
		}
		// And to CSV and Shapefile, every point a row.
		csvOut := filepath.Join(dir, "points.csv")
		gdaltest.Run(t, "ogr2ogr", "-f", "CSV", csvOut, gp, "places_point", "-lco", "GEOMETRY=AS_XY")
		b, _ := os.ReadFile(csvOut)
		if rows := strings.Count(string(b), "\n") - 1; rows != len(got) {
			t.Errorf("ogr2ogr CSV has %d rows, the layer %d points", rows, len(got))
		}
		shp := filepath.Join(dir, "points.shp")
		gdaltest.Run(t, "ogr2ogr", "-f", "ESRI Shapefile", shp, gp, "places_point")
		info, _ := gdaltest.Ogrinfo(t, "-so", shp, "points")
		if !strings.Contains(info, fmt.Sprintf("Feature Count: %d", len(got))) {
			t.Errorf("Shapefile:\n%s", info)
		}
	})
}

// TestRoundTripShapefilesThroughGDAL: the zipped Shapefiles rewritten by
// ogr2ogr (as a GIS user re-saves a layer in QGIS: GDAL's own field widths,
// headers and .prj, UTF-8 kept by -lco ENCODING=UTF-8), zipped again and
// imported: every record as the shpzip export gave it.
func TestRoundTripShapefilesThroughGDAL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs GDAL over the whole dataset")
	}
	db := seeded(t)
	dir := t.TempDir()
	want := records(t, db)
	out := filepath.Join(dir, "all.zip")
	if code, _, errs := wumen(t, "export", "--db", db, "--format", "shpzip", "-o", out); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	again := filepath.Join(dir, "gdal")
	gdaltest.Run(t, "ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", again, "/vsizip/"+out)
	zipped := filepath.Join(dir, "gdal.zip")
	zipDir(t, again, zipped)
	fresh := filepath.Join(dir, "gdal.db")
	wumen(t, "init", "--empty", "--db", fresh)
	if code, _, errs := wumen(t, "import", "--db", fresh, zipped); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	ft, _ := formats.Get("shpzip")
	compareRecords(t, want, records(t, fresh), ft.Lost)
}

// zipDir zips the files of a folder.
func zipDir(t *testing.T, dir, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("layers/" + e.Name())
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// compareRecords fails for every field that differs between want and got
// (by id), other than updated, wumen_crs and the fields in lost.
func compareRecords(t *testing.T, want, got map[string]map[string]any, lost []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d records read back of %d", len(got), len(want))
	}
	ignore := map[string]bool{"updated": true, "wumen_crs": true}
	for _, f := range lost {
		ignore[f] = true
	}
	{
		{
			diffs := map[string]int{}
			example := map[string]string{}
			for id, w := range want {
				g := got[id]
				for k := range union(w, g) {
					if ignore[k] || reflect.DeepEqual(w[k], g[k]) {
						continue
					}
					if diffs[k]++; diffs[k] == 1 {
						example[k] = fmt.Sprintf("place %s: %.200v → %.200v", id, w[k], g[k])
					}
				}
			}
			var keys []string
			for k := range diffs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				t.Errorf("%s differs in %d records, e.g. %s", k, diffs[k], example[k])
			}
		}
	}
}

// records reads a store's records by id, as JSON values.
func records(t *testing.T, db string) map[string]map[string]any {
	t.Helper()
	code, out, errs := wumen(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export %s: %s", db, errs)
	}
	m := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		m[fmt.Sprint(r["id"])] = r
	}
	return m
}

func union(a, b map[string]any) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}
