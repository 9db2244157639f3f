package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
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

// Names are looked up through place_names' indexes and admin and heritage
// filters through their tables' primary keys; the indexes no query used
// are gone (migration 0004 drops them from older stores).
func TestLookupsUseTheIndexesKept(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawSQL(s)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN ('places_name','places_toneless','place_admin_code','place_heritage_list')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d of the dropped indexes remain (%v)", n, err)
	}
	for q, index := range map[string]string{
		`SELECT place_id, text, kind FROM place_names WHERE text IN (?,?) AND kind<>'historical'`:                                                    "place_names_text",
		`SELECT place_id, text, kind FROM place_names WHERE toneless IN (?,?) AND kind IN ('standard')`:                                              "place_names_toneless",
		`SELECT count(*) FROM places p WHERE ?<>? AND EXISTS (SELECT 1 FROM place_admin a WHERE a.place_id=p.id AND a.code LIKE '3205%' ESCAPE '\')`: "USING PRIMARY KEY (place_id=?)",
		`SELECT count(*) FROM places p WHERE p.has_geom=0 AND ?<>? AND EXISTS (SELECT 1 FROM place_admin a WHERE a.place_id=p.id AND a.code='3205')`: "USING PRIMARY KEY (place_id=? AND code=?)",
		`SELECT count(*) FROM places p WHERE ?<>? AND EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id AND (h.list='x' OR h.level='x'))`: "USING PRIMARY KEY (place_id=?)",
	} {
		rows, err := db.Query(`EXPLAIN QUERY PLAN `+q, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		var plan string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan += detail + "; "
		}
		rows.Close()
		if !strings.Contains(plan, index) {
			t.Errorf("%s: plan %q does not use %s", q, plan, index)
		}
	}
}
