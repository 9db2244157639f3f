package stores

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenSQLiteSaysWhenFresh(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "wumen.db")
	if ok, err := Exists(ctx, db); ok || err != nil {
		t.Fatalf("Exists before the first open: %v, %v", ok, err)
	}
	for i, want := range []bool{true, false} {
		s, fresh, err := Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if fresh != want {
			t.Errorf("open %d: fresh %v, want %v", i+1, fresh, want)
		}
	}
	if ok, err := Exists(ctx, db); !ok || err != nil {
		t.Errorf("Exists after an open: %v, %v", ok, err)
	}
	if Name(db) != db || IndexDir(db) != db+".index" {
		t.Errorf("a file is named %q, its index %q", Name(db), IndexDir(db))
	}
}

func TestNameAndIndexDirOfADatabase(t *testing.T) {
	url := "postgres://wumen:secret@db.example:5432/wumen"
	if n := Name(url); strings.Contains(n, "secret") || !strings.Contains(n, "db.example") {
		t.Errorf("Name(%q) = %q: the password must not show, the host must", url, n)
	}
	dir := IndexDir(url)
	if dir != IndexDir("postgres://wumen:other@db.example:5432/wumen") || !strings.HasPrefix(dir, "wumen-") || !strings.HasSuffix(dir, ".index") {
		t.Errorf("IndexDir(%q) = %q: one name a database, whatever the password", url, dir)
	}
	if dir == IndexDir("postgres://wumen:secret@db.example:5432/other") {
		t.Errorf("two databases share the index folder %q", dir)
	}
}
