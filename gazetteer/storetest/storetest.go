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
	"sync"
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
// dataset (data/), closed when t ends. The dataset is seeded once per test
// binary and each call gets a copy of that file (seeding 2,600 places costs
// about a second each time); the copies share the store's identity.
func Shipped(t testing.TB) *gazetteer.Store {
	t.Helper()
	shippedOnce.Do(func() { shippedDB, shippedErr = seedShipped() })
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	file := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(file, shippedDB, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	shippedOnce sync.Once
	shippedDB   []byte // a SQLite file holding the shipped dataset
	shippedErr  error
)

// seedShipped seeds a store with the shipped dataset and returns a
// consistent copy of its file (Backup), leaving nothing on disk.
func seedShipped() ([]byte, error) {
	dir, err := os.MkdirTemp("", "wumen-storetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(filepath.Join(dir, "seed.db"))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Seed(ctx, data.FS, nil); err != nil {
		return nil, err
	}
	copyFile := filepath.Join(dir, "shipped.db")
	if err := s.Backup(ctx, copyFile); err != nil {
		return nil, err
	}
	return os.ReadFile(copyFile)
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
