package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wumen/gazetteer"
)

// emptyStore makes a store with no places in a new folder and returns both.
func emptyStore(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "w.db")
	if code, _, errs := wumen(t, "init", "--empty", "--db", db); code != 0 {
		t.Fatalf("init --empty: %d %s", code, errs)
	}
	return dir, db
}

// bridge is a JSON Lines record of a new bridge with the given id and name.
func bridge(id, name string) string {
	return `{"id":` + id + `,"name":"` + name + `","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current"}`
}

// TestImportAcceptsAByteOrderMark: files saved by Windows tools start with
// a UTF-8 byte-order mark; JSON Lines, GeoJSON, GeoJSON Lines and Linked
// Places files with one import as they would without it.
func TestImportAcceptsAByteOrderMark(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	lpf := filepath.Join(dir, "shantang.jsonld")
	if code, _, errs := wumen(t, "export", "--db", db, "--format", "lpf", "--ids", "51", "-o", lpf); code != 0 {
		t.Fatalf("export lpf: %d %s", code, errs)
	}
	lb, _ := os.ReadFile(lpf)
	files := map[string]string{
		"bom.jsonl":      bridge("900101", "测甲桥") + "\n",
		"bom.geojson":    `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"测乙桥","category":"桥梁"},"geometry":null}]}`,
		"bom.geojsonl":   `{"type":"Feature","properties":{"name":"测丙桥","category":"桥梁"},"geometry":null}` + "\n",
		"bom-lpf.jsonld": string(lb),
	}
	for name, body := range files {
		fresh := filepath.Join(dir, name+".db")
		wumen(t, "init", "--empty", "--db", fresh)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, append([]byte("\ufeff"), body...), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := wumen(t, "import", "--db", fresh, path); code != 0 || !strings.Contains(out, "created") {
			t.Errorf("%s with a byte-order mark: exit %d\n%s%s", name, code, out, errs)
		}
	}
}

// TestDuplicateIDInOneFile: two records with one id in one file are refused
// (exit 3, nothing written), naming both lines; the same id in two files
// is an update, as before.
func TestDuplicateIDInOneFile(t *testing.T) {
	dir, db := emptyStore(t)
	dup := filepath.Join(dir, "dup.jsonl")
	os.WriteFile(dup, []byte(bridge("900201", "甲桥")+"\n"+bridge("900202", "乙桥")+"\n"+bridge("900201", "丙桥")+"\n"), 0o644)
	code, out, errs := wumen(t, "import", "--db", db, dup)
	if code != 3 || !strings.Contains(errs, "dup.jsonl:3: id") || !strings.Contains(errs, "first at dup.jsonl:1") {
		t.Errorf("a duplicate id: exit %d, want 3 naming lines 3 and 1\n%s%s", code, out, errs)
	}
	if _, out, _ := wumen(t, "export", "--db", db); strings.TrimSpace(out) != "" {
		t.Errorf("a refused import wrote:\n%s", out)
	}
	dupCSV := filepath.Join(dir, "dup.csv")
	os.WriteFile(dupCSV, []byte("id,name,category\n900301,丁桥,桥梁\n900301,戊桥,桥梁\n"), 0o644)
	if code, _, errs := wumen(t, "import", "--db", db, dupCSV); code != 3 || !strings.Contains(errs, "row 3: id") || !strings.Contains(errs, "first at dup.csv: row 2") {
		t.Errorf("a duplicate id in CSV: exit %d\n%s", code, errs)
	}
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte(bridge("900401", "己桥")+"\n"), 0o644)
	os.WriteFile(b, []byte(bridge("900401", "庚桥")+"\n"), 0o644)
	if code, out, errs := wumen(t, "import", "--db", db, a, b); code != 0 || !strings.Contains(out, "updated") {
		t.Errorf("one id in two files: exit %d\n%s%s", code, out, errs)
	}
}

// TestOversizedRecord: a line longer than gazetteer.MaxRecordBytes is
// refused with exit 3, its line and the limit named.
func TestOversizedRecord(t *testing.T) {
	dir, db := emptyStore(t)
	big := filepath.Join(dir, "big.jsonl")
	long := `{"id":900501,"name":"长桥","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current","history":{"source":"x","text":"` +
		strings.Repeat("长", gazetteer.MaxRecordBytes/3+1) + `"}}`
	os.WriteFile(big, []byte(bridge("900500", "短桥")+"\n"+long+"\n"), 0o644)
	code, _, errs := wumen(t, "import", "--db", db, big)
	if code != 3 || !strings.Contains(errs, "big.jsonl:2") || !strings.Contains(errs, "at most 64 MiB") {
		t.Errorf("an oversized record: exit %d, %s", code, errs)
	}
	if strings.Contains(errs, "bufio") || strings.Contains(errs, "token") {
		t.Errorf("the error speaks Go: %s", errs)
	}
}

// TestCSVExportNeutralisesFormulas: a name that a spreadsheet would run as
// a formula is exported with a leading apostrophe (OWASP's CSV injection
// rule), numbers are left as numbers, and the CSV imports back to the
// original name.
func TestCSVExportNeutralisesFormulas(t *testing.T) {
	dir, db := emptyStore(t)
	in := filepath.Join(dir, "f.jsonl")
	evil := `=HYPERLINK(\"https://example.org\",\"桥\")`
	rec := `{"id":900601,"name":"` + evil + `","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current","geometry":{"type":"Point","coordinates":[120.62,31.3]},"coord":{"method":"digitized"}}`
	os.WriteFile(in, []byte(rec+"\n"), 0o644)
	if code, _, errs := wumen(t, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	out := filepath.Join(dir, "f.csv")
	if code, _, errs := wumen(t, "export", "--db", db, "--format", "csv", "-o", out); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	f, _ := os.Open(out)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %v %v", rows, err)
	}
	cell := map[string]string{}
	for i, h := range rows[0] {
		cell[h] = rows[1][i]
	}
	if want := `'=HYPERLINK("https://example.org","桥")`; cell["name"] != want {
		t.Errorf("name cell %q, want %q", cell["name"], want)
	}
	if cell["lon"] != "120.62" {
		t.Errorf("lon cell %q: a number must stay a number", cell["lon"])
	}
	fresh := filepath.Join(dir, "fresh.db")
	wumen(t, "init", "--empty", "--db", fresh)
	if code, _, errs := wumen(t, "import", "--db", fresh, out); code != 0 {
		t.Fatalf("import the CSV back: %d %s", code, errs)
	}
	if _, got, _ := wumen(t, "export", "--db", fresh); !strings.Contains(got, `"name":"`+evil+`"`) {
		t.Errorf("the name did not come back from CSV:\n%s", got)
	}
}

// TestSourceURLMustBeAWebAddress: a source whose url is not http or https
// (javascript:, data:, a bare word) is refused naming the field.
func TestSourceURLMustBeAWebAddress(t *testing.T) {
	dir, db := emptyStore(t)
	for i, u := range []string{"javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JaVaScRiPt:alert(1)", "www.example.org", "//example.org/x"} {
		in := filepath.Join(dir, "u.jsonl")
		rec := `{"id":90070` + string(rune('0'+i)) + `,"name":"源桥","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current","sources":[{"id":"s","url":"` + strings.ReplaceAll(u, `"`, `\"`) + `"}]}`
		os.WriteFile(in, []byte(rec+"\n"), 0o644)
		if code, _, errs := wumen(t, "import", "--db", db, in); code != 3 || !strings.Contains(errs, "sources[0].url") {
			t.Errorf("source url %q: exit %d, %s", u, code, errs)
		}
	}
	in := filepath.Join(dir, "ok.jsonl")
	os.WriteFile(in, []byte(`{"id":900800,"name":"好桥","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current","sources":[{"id":"s","url":"https://example.org/a?b=1"}]}`+"\n"), 0o644)
	if code, _, errs := wumen(t, "import", "--db", db, in); code != 0 {
		t.Errorf("an https source url: exit %d, %s", code, errs)
	}
}

// TestImportRefusesPositionsOutsideCoverage: into a store that covers
// Suzhou, a record placed in Beijing (a mistyped or mis-projected
// coordinate, as far as a Suzhou gazetteer can tell) is refused naming the
// line and the way out; --allow-outside imports it.
func TestImportRefusesPositionsOutsideCoverage(t *testing.T) {
	db := seeded(t)
	in := filepath.Join(t.TempDir(), "far.jsonl")
	os.WriteFile(in, []byte(`{"id":900901,"name":"远桥","category":{"class":"交通运输设施","subclass":"桥梁"},"status":"current",`+
		`"geometry":{"type":"Point","coordinates":[116.3975,39.9087]},"coord":{"method":"digitized"}}`+"\n"), 0o644)
	code, _, errs := wumen(t, "import", "--db", db, in)
	if code != 3 || !strings.Contains(errs, "far.jsonl:1: geometry") || !strings.Contains(errs, "--allow-outside") {
		t.Errorf("a position in Beijing: exit %d %s", code, errs)
	}
	if code, out, errs := wumen(t, "import", "--db", db, "--allow-outside", in); code != 0 || !strings.Contains(out, "1 created") {
		t.Errorf("with --allow-outside: exit %d %s %s", code, out, errs)
	}
}

// TestImportOrientsRings: a polygon drawn clockwise, with a counterclockwise
// hole (as Shapefiles and some tools write them), is stored and exported as
// RFC 7946 asks: outside counterclockwise, holes clockwise. The square is a
// test shape, not a real place.
func TestImportOrientsRings(t *testing.T) {
	dir, db := emptyStore(t)
	in := filepath.Join(dir, "cw.geojson")
	os.WriteFile(in, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"测试塘","category":"湖泊","coord_method":"digitized"},`+
		`"geometry":{"type":"Polygon","coordinates":[[[120.60,31.30],[120.60,31.31],[120.61,31.31],[120.61,31.30],[120.60,31.30]],`+
		`[[120.602,31.302],[120.604,31.302],[120.604,31.304],[120.602,31.304],[120.602,31.302]]]}}]}`), 0o644)
	if code, _, errs := wumen(t, "import", "--db", db, in); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	_, out, _ := wumen(t, "export", "--db", db, "--format", "geojson")
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil || len(fc.Features) != 1 {
		t.Fatalf("export: %v %s", err, out)
	}
	area := func(r [][2]float64) (a float64) { // twice the signed area: > 0 counterclockwise
		for i := 0; i+1 < len(r); i++ {
			a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
		}
		return a
	}
	rings := fc.Features[0].Geometry.Coordinates
	if len(rings) != 2 || area(rings[0]) <= 0 || area(rings[1]) >= 0 {
		t.Errorf("exported rings %v: want the outside counterclockwise and the hole clockwise", rings)
	}
}
