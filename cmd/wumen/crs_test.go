package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryFormatCarriesItsCRS: a GCJ-02 export in each text format names
// its CRS, imports back into an empty store without --crs at the stored
// WGS84 position, and is refused (exit 3, the file and member named) when
// --crs says otherwise.
func TestEveryFormatCarriesItsCRS(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	admin := filepath.Join(dir, "admin.jsonl")
	if code, _, errs := wumen(t, "export", "--db", db, "--category", "行政区域", "-o", admin); code != 0 {
		t.Fatalf("export admin units: %d %s", code, errs)
	}
	for format, member := range map[string]string{"jsonl": `"wumen_crs":"gcj02"`, "geojson": `"wumen_crs":"gcj02"`,
		"geojsonseq": `"wumen_crs":"gcj02"`, "csv": ",gcj02,"} {
		out := filepath.Join(dir, "p."+format)
		if code, _, errs := wumen(t, "export", "--db", db, "--format", format, "--crs", "gcj02", "--ids", "51", "-o", out); code != 0 {
			t.Fatalf("export %s: %d %s", format, code, errs)
		}
		b, _ := os.ReadFile(out)
		if !strings.Contains(string(b), member) {
			t.Errorf("%s export does not name its CRS (%s):\n%s", format, member, b)
		}
		fresh := filepath.Join(dir, format+".db")
		wumen(t, "init", "--empty", "--db", fresh)
		if code, _, errs := wumen(t, "import", "--db", fresh, admin); code != 0 { // the admin parents a CSV row names
			t.Fatalf("import admin units: %d %s", code, errs)
		}
		if code, _, errs := wumen(t, "import", "--db", fresh, "--format", format, "--crs", "wgs84", out); code != 3 || !strings.Contains(errs, "gcj02") {
			t.Errorf("%s import with the wrong --crs: exit %d, %s", format, code, errs)
		}
		if code, _, errs := wumen(t, "import", "--db", fresh, "--format", format, out); code != 0 {
			t.Fatalf("%s import: %d %s", format, code, errs)
		}
		if src, got := geometryOf(t, db), geometryOf(t, fresh); src == "" || src != got {
			t.Errorf("%s: geometry %s read back as %s", format, src, got)
		}
	}
}

// geometryOf is the stored geometry of 山塘街 (id 51) as JSON.
func geometryOf(t *testing.T, db string) string {
	_, out, _ := wumen(t, "export", "--db", db, "--ids", "51")
	_, g, _ := strings.Cut(out, `"geometry":`)
	g, _, _ = strings.Cut(g, `,"label"`)
	return g
}
