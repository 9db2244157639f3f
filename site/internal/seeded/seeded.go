// Package seeded is the test fixture of the site's packages: one store seeded
// from the shipped dataset (data.FS) and its search index, built once per test
// binary and kept current by the store's watch.
package seeded

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/search"
)

// Fixture builds the seeded store and index on first use. The zero value is
// ready; Close removes them (call it from TestMain after m.Run).
type Fixture struct {
	once  sync.Once
	dir   string
	store *gazetteer.Store
	index *search.Index
	err   error
}

// Get returns the store and its index, building them the first time, and
// fails the test if they cannot be built.
func (f *Fixture) Get(t testing.TB) (*gazetteer.Store, *search.Index) {
	t.Helper()
	f.once.Do(f.build)
	if f.err != nil {
		t.Fatal(f.err)
	}
	return f.store, f.index
}

func (f *Fixture) build() {
	ctx := context.Background()
	if f.dir, f.err = os.MkdirTemp("", "wumen-seeded-"); f.err != nil {
		return
	}
	if f.store, f.err = sqlite.Open(filepath.Join(f.dir, "w.db")); f.err != nil {
		return
	}
	if _, f.err = f.store.Seed(ctx, data.FS, nil); f.err != nil {
		return
	}
	f.index, f.err = search.Build(filepath.Join(f.dir, "index"), func(fn func(*gazetteer.Place) error) error {
		return f.store.Each(ctx, gazetteer.Filter{}, fn)
	})
	if f.err == nil {
		f.store.Watch(func(p *gazetteer.Place) { f.index.Upsert(p) })
	}
}

// Close closes the store and the index and removes their folder.
func (f *Fixture) Close() {
	if f.index != nil {
		f.index.Close()
	}
	if f.store != nil {
		f.store.Close()
	}
	if f.dir != "" {
		os.RemoveAll(f.dir)
	}
}
