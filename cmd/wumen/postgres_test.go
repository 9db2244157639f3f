package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wumen/gazetteer/postgres/pgtest"
)

// TestPostgresCommands: every command takes a PostgreSQL URL for --db as it
// takes a file: init seeds it, a second init is refused, show and export
// read it, an import writes to it; migrate copies a SQLite store into an
// empty database and back, and the JSON Lines exports of all are
// byte-identical.
func TestPostgresCommands(t *testing.T) {
	t.Chdir(t.TempDir()) // the search index of a database is kept in the working folder
	db := pgtest.URL(t)
	if code, _, errs := wumen(t, "init", "--db", db); code != 0 || !strings.Contains(errs, "created") || strings.Contains(errs, "password") {
		t.Fatalf("init: %d %s", code, errs)
	}
	if code, _, errs := wumen(t, "init", "--db", db); code == 0 || !strings.Contains(errs, "set up already") {
		t.Errorf("a second init: %d %s", code, errs)
	}
	code, pgOut, errs := wumen(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	file := seeded(t)
	_, fileOut, _ := wumen(t, "export", "--db", file, "--format", "jsonl")
	if n := strings.Count(pgOut, "\n"); n < 2000 || n != strings.Count(fileOut, "\n") {
		t.Errorf("the database holds %d records, the file %d", n, strings.Count(fileOut, "\n"))
	}
	if code, out, errs := wumen(t, "show", "--db", db, "1001"); code != 0 || !strings.Contains(out, "留园") {
		t.Errorf("show: %d %s %s", code, out, errs)
	}
	rec := filepath.Join(t.TempDir(), "one.jsonl")
	if err := os.WriteFile(rec, []byte(`{"name":"测试巷","category":{"class":"交通运输设施","subclass":"道路街巷"},"status":"current","admin":["320508"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := wumen(t, "import", "--db", db, rec); code != 0 {
		t.Errorf("import: %d %s", code, errs)
	}
	if code, out, _ := wumen(t, "search", "--db", db, "测试巷"); code != 0 || !strings.Contains(out, "测试巷") {
		t.Errorf("search after the import: %d %s", code, out)
	}

	// migrate: file → database → file, byte-identical.
	to := pgtest.URL(t)
	if code, _, errs := wumen(t, "migrate", "--from", file, "--to", to); code != 0 || !strings.Contains(errs, "revisions") {
		t.Fatalf("migrate to PostgreSQL: %d %s", code, errs)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	if code, _, errs := wumen(t, "migrate", "--from", to, "--to", back); code != 0 {
		t.Fatalf("migrate back: %d %s", code, errs)
	}
	_, toOut, _ := wumen(t, "export", "--db", to, "--format", "jsonl")
	_, backOut, _ := wumen(t, "export", "--db", back, "--format", "jsonl")
	if toOut != fileOut || backOut != fileOut {
		t.Errorf("exports after migrate differ: file %d bytes, database %d, file again %d", len(fileOut), len(toOut), len(backOut))
	}
	if code, _, errs := wumen(t, "migrate", "--from", file, "--to", to); code == 0 || !strings.Contains(errs, "not empty") {
		t.Errorf("migrate into a database that holds places: %d %s", code, errs)
	}
	if code, _, errs := wumen(t, "migrate", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", back); code == 0 || !strings.Contains(errs, "no store there") {
		t.Errorf("migrate from nothing: %d %s", code, errs)
	}
}
