package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// The behaviour every store implementation must have, on SQLite files.
func TestBehaviour(t *testing.T) {
	open := func(t testing.TB, file string) *gazetteer.Store {
		t.Helper()
		s, err := sqlite.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.Run(t, storetest.Backend{
		Open: func(t testing.TB) *gazetteer.Store { return open(t, filepath.Join(t.TempDir(), "w.db")) },
		// Another process opens the same file.
		Again: func(t testing.TB, s *gazetteer.Store) *gazetteer.Store { return open(t, s.Path()) },
		Restore: func(t testing.TB, s *gazetteer.Store) *gazetteer.Store {
			dest := filepath.Join(t.TempDir(), "backup.db")
			if err := s.Backup(context.Background(), dest); err != nil {
				t.Fatal(err)
			}
			return open(t, dest)
		},
	})
}

// rawSQL is the SQLite database under a store, for tests that look at its
// tables and for the hand-rolled baselines of the benchmarks.
func rawSQL(s *gazetteer.Store) *sql.DB { return s.Backend().(*sqlite.DB).SQL() }
