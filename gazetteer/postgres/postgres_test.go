package postgres_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/storetest"
)

func open(t testing.TB, url string) *gazetteer.Store {
	t.Helper()
	s, err := postgres.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The behaviour every store implementation must have, on a real PostgreSQL
// with PostGIS.
func TestBehaviour(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t testing.TB) *gazetteer.Store { return open(t, pgtest.URL(t)) },
		// Another node on the same database.
		Again: func(t testing.TB, s *gazetteer.Store) *gazetteer.Store {
			return open(t, s.Backend().(*postgres.DB).URL())
		},
		// pg_dump, then pg_restore into an empty database.
		Restore: func(t testing.TB, s *gazetteer.Store) *gazetteer.Store {
			dump := filepath.Join(t.TempDir(), "backup.dump")
			if err := s.Backup(context.Background(), dump); err != nil {
				t.Fatal(err)
			}
			u := pgtest.Empty(t)
			if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+u, dump).CombinedOutput(); err != nil {
				t.Fatalf("pg_restore: %v\n%s", err, out)
			}
			return open(t, u)
		},
	})
}
