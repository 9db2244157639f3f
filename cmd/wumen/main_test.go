package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"wumen/gazetteer/postgres/pgtest"
)

// wumen runs the command in-process and returns its exit code and output.
func wumen(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

var (
	seedOnce sync.Once
	seedDir  string
)

// seeded returns a copy of a store created from the embedded dataset (made
// once per test binary: loading 2,600 places takes a few seconds).
func seeded(t testing.TB) string {
	t.Helper()
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wumen-cmd-test")
		if err != nil {
			t.Fatal(err)
		}
		seedDir = dir
		if code, _, stderr := wumen(t, "init", "--quiet", "--db", filepath.Join(dir, "seed.db")); code != 0 {
			t.Fatalf("init: %d %s", code, stderr)
		}
		wumen(t, "backup", "--db", filepath.Join(dir, "seed.db"), filepath.Join(dir, "clean.db"))
	})
	b, err := os.ReadFile(filepath.Join(seedDir, "clean.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "w.db")
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMain(m *testing.M) {
	code := pgtest.Main(m) // stops the PostgreSQL cluster the tests started
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

func TestUsageAndHelp(t *testing.T) {
	if code, _, _ := wumen(t); code != exitUsage {
		t.Errorf("no args: exit %d", code)
	}
	if code, out, _ := wumen(t, "--help"); code != 0 || !strings.Contains(out, "import") || !strings.Contains(out, "serve") {
		t.Errorf("--help: %d %s", code, out)
	}
	if code, _, stderr := wumen(t, "frobnicate"); code != exitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: %d %s", code, stderr)
	}
	if code, _, stderr := wumen(t, "export", "--no-such-flag"); code != exitUsage || !strings.Contains(stderr, "no-such-flag") {
		t.Errorf("bad flag: %d %s", code, stderr)
	}
	if code, _, stderr := wumen(t, "import", "--help"); code != 0 || !strings.Contains(stderr, "-dry-run") {
		t.Errorf("import --help: %d %s", code, stderr)
	}
}

func TestInitServesTheEmbeddedDataset(t *testing.T) {
	db := seeded(t)
	code, out, _ := wumen(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatal(code)
	}
	if n := strings.Count(out, "\n"); n < 2400 {
		t.Errorf("embedded dataset has %d places, want at least 2,400", n)
	}
	code, out, _ = wumen(t, "show", "--db", db, "3205")
	if code != 0 || !strings.Contains(out, `"name": "苏州市"`) || !strings.Contains(out, "Sūzhōu Shì") {
		t.Errorf("show 3205: %d %s", code, out)
	}
	if code, _, _ := wumen(t, "init", "--db", db); code != exitConflict {
		t.Errorf("init over an existing store: exit %d, want %d", code, exitConflict)
	}
	if code, _, _ := wumen(t, "show", "--db", db, "999999999"); code != exitNotFound {
		t.Errorf("show missing: exit %d", code)
	}
}

func TestExportImportRoundTripOfTheWholeDataset(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.jsonl")
	if code, _, stderr := wumen(t, "export", "--quiet", "--db", db, "-o", first); code != 0 {
		t.Fatal(stderr)
	}
	empty := filepath.Join(dir, "empty.db")
	if code, _, stderr := wumen(t, "init", "--empty", "--db", empty); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := wumen(t, "import", "--quiet", "--db", empty, first); code != 0 {
		t.Fatal(stderr)
	}
	second := filepath.Join(dir, "second.jsonl")
	if code, _, stderr := wumen(t, "export", "--quiet", "--db", empty, "-o", second); code != 0 {
		t.Fatal(stderr)
	}
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("export → import → export differs (%d vs %d bytes)", len(a), len(b))
	}
}

func TestBadImportExitsInvalidAndWritesNothing(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"id":900001,"name":"新桥","category":{"class":"交通运输设施","subclass":"桥梁"}}`+"\n"+
		`{"id":900002,"name":"坏点","category":{"class":"交通运输设施"},"coord":{"method":"osm"},"geometry":{"type":"Point","coordinates":[120.6,95]}}`+"\n"), 0o644)
	code, _, stderr := wumen(t, "import", "--db", db, bad)
	if code != exitInvalid || !strings.Contains(stderr, "bad.jsonl:2: geometry.coordinates") {
		t.Fatalf("bad import: exit %d, %s", code, stderr)
	}
	if code, _, _ := wumen(t, "show", "--db", db, "900001"); code != exitNotFound {
		t.Error("the good record of a failed import was written")
	}
}

func TestDryRunAndImportCSVInGCJ02(t *testing.T) {
	db := seeded(t)
	f := filepath.Join(t.TempDir(), "new.csv")
	// 北寺塔 (OSM way/206076447, WGS84 120.6154018,31.3245428) given in GCJ-02
	// as a Chinese web map would show it.
	os.WriteFile(f, []byte("name,class,subclass,lon,lat,coord_method,accuracy_m\n测试塔,纪念地旅游景点,亭台碑塔,120.619786,31.322337,digitized,20\n"), 0o644)
	code, out, stderr := wumen(t, "import", "--db", db, "--crs", "gcj02", "--dry-run", f)
	if code != 0 || !strings.Contains(out, "1 would be created") {
		t.Fatalf("dry run: %d %s %s", code, out, stderr)
	}
	if code, out, _ := wumen(t, "export", "--db", db, "--format", "csv", "--category", "亭台碑塔"); code != 0 || strings.Contains(out, "测试塔") {
		t.Fatal("dry run wrote")
	}
	if code, out, stderr := wumen(t, "import", "--db", db, "--crs", "gcj02", f); code != 0 || !strings.Contains(out, "1 created") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	code, out, _ = wumen(t, "export", "--db", db, "--format", "geojsonl", "--category", "亭台碑塔")
	if code != 0 || !strings.Contains(out, "测试塔") || !strings.Contains(out, "120.615") {
		t.Errorf("GCJ-02 input not converted to WGS84: %s", out)
	}
}

func TestMissingGeometryAndFilters(t *testing.T) {
	db := seeded(t)
	code, out, _ := wumen(t, "export", "--db", db, "--missing-geometry", "--format", "csv", "--admin", "320506")
	if code != 0 || strings.Count(out, "\n") < 50 {
		t.Errorf("missing geometry in 吴中区: %d rows", strings.Count(out, "\n"))
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if strings.Contains(line, "POINT") {
			t.Fatalf("a placed record listed as missing geometry: %s", line)
		}
	}
	code, out, _ = wumen(t, "export", "--db", db, "--format", "geojson", "--bbox", "120.60,31.28,120.65,31.33", "--category", "城墙堡")
	if code != 0 || !strings.Contains(out, "盘门") || !strings.Contains(out, "OpenStreetMap") {
		t.Errorf("bbox export: %s", out)
	}
}

func TestBackupThenShowFromTheCopy(t *testing.T) {
	db := seeded(t)
	dest := filepath.Join(t.TempDir(), "copy.db")
	if code, _, stderr := wumen(t, "backup", "--db", db, dest); code != 0 {
		t.Fatal(stderr)
	}
	if code, out, _ := wumen(t, "show", "--db", dest, "3205"); code != 0 || !strings.Contains(out, "苏州市") {
		t.Errorf("restore copy: %d", code)
	}
	if code, _, _ := wumen(t, "backup", "--db", db, dest); code != exitConflict {
		t.Error("backup over an existing file must refuse")
	}
}

func TestEventRenamingAndRevisions(t *testing.T) {
	db := seeded(t)
	code, out, stderr := wumen(t, "search", "--db", db, "--quiet", "--category", "群众自治组织", "山塘社区")
	if code != 0 {
		t.Fatal(stderr)
	}
	id := strings.Fields(strings.SplitN(out, "\n", 2)[0])[1]
	if code, _, stderr := wumen(t, "event", "--db", db, id, "--type", "renaming", "--to", "七里山塘社区", "--date", "2026-11-01", "--document", "测试〔2026〕1号"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, _ = wumen(t, "show", "--db", db, "--revisions", id)
	if code != 0 || !strings.Contains(out, "七里山塘社区") || !strings.Contains(out, `"before"`) {
		t.Errorf("revisions: %s", out)
	}
	if code, _, _ := wumen(t, "event", "--db", db, id, "--type", "demolish"); code != exitInvalid {
		t.Errorf("unknown event type: exit %d", code)
	}
}

func TestSearchCommand(t *testing.T) {
	db := seeded(t)
	for _, c := range []struct{ query, want string }{
		{"shantang", "山塘街"}, {"平江府", "matched 平江府, historical"}, {"zzy", "拙政园"},
	} {
		code, out, stderr := wumen(t, "search", "--db", db, "--quiet", c.query)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("search %s: %d %s %s", c.query, code, out, stderr)
		}
	}
	if code, _, _ := wumen(t, "search", "--db", db, "--quiet", strings.Repeat("长", 10000)); code != exitInvalid {
		t.Errorf("10,000 characters: exit %d", code)
	}
}
