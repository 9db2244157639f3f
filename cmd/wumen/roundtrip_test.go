package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
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
			checkDeclared(t, ft, out)
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
	checkDeclared(t, ft, out)
	compareRecords(t, want, records(t, fresh), ft.Lost)
}

// checkDeclared fails unless a lossy export says in its own metadata what
// it cannot hold, as a GIS tool keeps it: a Linked Places file in its head
// (wumen_lost), a Shapefile archive in wumen_metadata.json, LP-TSV (whose
// columns are fixed) in the metadata file beside it. A lossless export
// must not claim a loss.
func checkDeclared(t *testing.T, ft formats.Format, out string) {
	t.Helper()
	var meta []byte
	switch {
	case ft.Name == "shpzip":
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == formats.ShapefileMetadata {
				r, _ := f.Open()
				meta, _ = io.ReadAll(r)
				r.Close()
			}
		}
	case ft.Sidecar:
		meta, _ = os.ReadFile(formats.SidecarPath(out))
	default:
		meta, _ = os.ReadFile(out)
	}
	has := strings.Contains(string(meta), `"wumen_lost"`)
	if len(ft.Lost) == 0 {
		if has {
			t.Errorf("%s holds the whole record but its file declares a loss", ft.Name)
		}
		return
	}
	var m struct {
		Lost []string `json:"wumen_lost"`
	}
	if err := json.Unmarshal(meta, &m); !has || err != nil || !slices.Equal(m.Lost, ft.Lost) {
		t.Errorf("the %s export's metadata does not name what it cannot hold (%v): %v %.300s", ft.Name, ft.Lost, err, meta)
	}
}

// TestRoundTripCSVThroughGDAL: the CSV of the whole shipped dataset, as a
// GIS user opens it: ogr2ogr reads every row (the WKT column as the
// geometry) with the list cells as plain strings, and the same file
// imported into an empty store gives every place its other names back —
// kind, script, language, dates and citation (before the names column,
// 2,368 places lost them).
func TestRoundTripCSVThroughGDAL(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	want := records(t, db)
	out := filepath.Join(dir, "all.csv")
	if code, _, errs := wumen(t, "export", "--db", db, "--format", "csv", "-o", out); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	gj := filepath.Join(dir, "all.geojson")
	gdaltest.Run(t, "ogr2ogr", "-f", "GeoJSON", gj, out)
	var fc struct {
		Features []struct {
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
	}
	b, err := os.ReadFile(gj)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	positioned, named := 0, 0
	for _, f := range fc.Features {
		if string(f.Geometry) != "null" && f.Geometry != nil {
			positioned++
		}
		if s, _ := f.Properties["names"].(string); s != "" {
			named++
		}
	}
	wantPositioned, wantNamed := 0, 0
	for _, r := range want {
		if r["geometry"] != nil {
			wantPositioned++
		}
		if r["names"] != nil {
			wantNamed++
		}
	}
	if len(fc.Features) != len(want) || positioned != wantPositioned || named != wantNamed {
		t.Errorf("ogr2ogr read %d rows, %d with a geometry, %d with names; the dataset has %d, %d, %d",
			len(fc.Features), positioned, named, len(want), wantPositioned, wantNamed)
	}
	fresh := filepath.Join(dir, "csv.db")
	wumen(t, "init", "--empty", "--db", fresh)
	if code, _, errs := wumen(t, "import", "--db", fresh, out); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	got := records(t, fresh)
	kept := 0
	for id, w := range want {
		if w["names"] == nil {
			continue
		}
		if reflect.DeepEqual(w["names"], got[id]["names"]) {
			kept++
		} else if kept >= 0 {
			t.Errorf("place %s: names %v read back as %v", id, w["names"], got[id]["names"])
			kept = -1 << 30 // report one
		}
	}
	if kept != wantNamed || wantNamed < 2300 {
		t.Errorf("%d of %d places with other names kept them", kept, wantNamed)
	}
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
	defer declaredLostIsLost(t, want, got, lost)
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

// declaredLostIsLost fails for a field declared lost that every record
// keeps: a lost list must name only what the format truly cannot hold.
// Fields no record has, and notes that are not field names, are skipped.
func declaredLostIsLost(t *testing.T, want, got map[string]map[string]any, lost []string) {
	t.Helper()
	for _, f := range lost {
		if strings.Contains(f, " ") {
			continue
		}
		present, differs := false, false
		for id, w := range want {
			if _, ok := w[f]; ok {
				present = true
			}
			if !reflect.DeepEqual(w[f], got[id][f]) {
				differs = true
				break
			}
		}
		if present && !differs {
			t.Errorf("%s is declared lost but every record kept it: take it off the lost list", f)
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
