// Package storetest is the behaviour suite every store implementation passes
// (Run: each implementation's package runs it with how it opens a store), and
// it gives tests of the packages built on the gazetteer a real store in a
// temporary folder (the embedded SQLite one) and fixture records read from
// JSON Lines, the way net/http/httptest gives them a server.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// Open returns an empty store in a temporary folder, closed when t ends.
func Open(t testing.TB) *gazetteer.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Shipped returns a store in a temporary folder seeded with the shipped
// dataset (data/), closed when t ends.
func Shipped(t testing.TB) *gazetteer.Store {
	t.Helper()
	s := Open(t)
	if _, err := s.Seed(context.Background(), data.FS, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// Records reads fixture places from a JSON Lines file.
func Records(t testing.TB, file string) []gazetteer.Input {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := gazetteer.ReadJSONL(f, filepath.Base(file))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Put writes fixture records into s in one transaction.
func Put(t testing.TB, s *gazetteer.Store, in []gazetteer.Input) {
	t.Helper()
	if _, err := s.PutAll(context.Background(), in, gazetteer.Change{Actor: "test", Reason: "fixture"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
}
