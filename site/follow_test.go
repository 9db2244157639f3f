package site

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/search"
)

// followed is a server on a seeded store file whose change feed starts when
// follow is called (it stops with the test).
type followed struct {
	st     *gazetteer.Store
	h      http.Handler
	path   string
	follow func()
}

func newFollowed(t *testing.T) *followed {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Seed(ctx, data.FS, nil); err != nil {
		t.Fatal(err)
	}
	head, _ := st.Head(ctx)
	ix, err := search.Build(filepath.Join(dir, "index"), func(fn func(*gazetteer.Place) error) error {
		return st.Each(ctx, gazetteer.Filter{}, fn)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.SetPosition(head); err != nil {
		t.Fatal(err)
	}
	fail := func(err error) { t.Errorf("following the store: %v", err) }
	if err := ix.Follow(ctx, st, fail); err != nil {
		t.Fatal(err)
	}
	srv, err := New(ctx, Config{Store: st, Index: ix, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	f := &followed{st: st, h: srv.Handler(), path: path}
	f.follow = func() {
		fctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { st.Follow(fctx, 50*time.Millisecond, fail); close(done) }()
		t.Cleanup(func() { stop(); <-done }) // before the store closes
	}
	return f
}

// rename renames places by events written through a second Store on the
// same file, as another process would.
func (f *followed) rename(t *testing.T, to map[int64]string) {
	other, err := sqlite.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c := gazetteer.Change{Actor: "test", Reason: "a write by another process"}
	for id, name := range to {
		if _, err := other.ApplyEvent(context.Background(), id, gazetteer.Event{Type: gazetteer.EventRenaming, To: name, Date: "2026-12-03"}, c); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDerivedViewsFollowAnotherProcess: a server's search index, browse
// lists, tiles and admin names follow writes made by another process on the
// same store file (here a second Store, as a command-line import is): each
// shows the change within the feed's poll, without a restart. The writes
// are renamings (events), so every position stays the shipped one.
func TestDerivedViewsFollowAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits on the change feed of a second store")
	}
	ctx := context.Background()
	f := newFollowed(t)
	f.follow()
	st, h := f.st, f.h

	const place, district = 1100, 100494 // 北寺塔 and 姑苏区 of the shipped data
	p, err := st.Get(ctx, place)
	if err != nil || p.Name != "北寺塔" || p.Label == nil {
		t.Fatalf("the shipped 北寺塔: %+v %v", p, err)
	}
	tile := maptile.At(*p.Label, 14)
	tilePath := "/tiles/14/" + itoa(tile.X) + "/" + itoa(tile.Y) + ".mvt"
	views := map[string]func() bool{
		"search": func() bool {
			return strings.Contains(get(t, h, "/api/v1/search?text=%E6%8A%A5%E6%81%A9%E5%A1%94").body, `"id":1100`) // 报恩塔
		},
		"browse": func() bool { return strings.Contains(get(t, h, "/browse/az/B").body, "报恩塔") },
		"tiles":  func() bool { return tileHas(t, get(t, h, tilePath).body, "报恩塔") },
		"admin names": func() bool {
			var v struct{ Properties map[string]any }
			json.Unmarshal([]byte(get(t, h, "/api/v1/places/1100").body), &v)
			label, _ := v.Properties["label"].(string)
			return strings.Contains(label, "沧浪区")
		},
	}
	// Every view is made (and kept) before the other process writes.
	for name, shows := range views {
		if shows() {
			t.Fatalf("%s shows the renaming before it was made", name)
		}
	}
	if !tileHas(t, get(t, h, tilePath).body, "北寺塔") || !strings.Contains(get(t, h, "/browse/az/B").body, "北寺塔") {
		t.Fatal("北寺塔 is not in its tile or browse list to begin with")
	}

	f.rename(t, map[int64]string{place: "报恩塔", district: "沧浪区"})

	for name, shows := range views {
		seen := shows()
		for deadline := time.Now().Add(20 * time.Second); !seen && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			seen = shows()
		}
		if !seen {
			t.Errorf("%s never showed the write made by another process", name)
		}
	}
	if tileHas(t, get(t, h, tilePath).body, "北寺塔") {
		t.Error("the tile still shows the old name")
	}
}

// tileHas reports whether an MVT tile has a feature named name.
func tileHas(t *testing.T, tile, name string) bool {
	t.Helper()
	layers, err := mvt.Unmarshal([]byte(tile))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		for _, f := range l.Features {
			if f.Properties["name"] == name {
				return true
			}
		}
	}
	return false
}

// TestCachedAnswerFollowsDerivedViews: an answer made after the store's
// Version moved but before the change feed brought the change to the admin
// names (so with the old district name in its label) is not kept past the
// feed's step: the place answer shows the new name once the feed has run,
// though the Version does not move again.
func TestCachedAnswerFollowsDerivedViews(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: waits on the change feed of a second store")
	}
	f := newFollowed(t)
	label := func() string {
		var v struct{ Properties map[string]any }
		json.Unmarshal([]byte(get(t, f.h, "/api/v1/places/1100").body), &v)
		s, _ := v.Properties["label"].(string)
		return s
	}
	before := f.st.Version()
	if l := label(); !strings.Contains(l, "姑苏区") {
		t.Fatalf("label of 北寺塔 before: %q", l)
	}
	f.rename(t, map[int64]string{100494: "沧浪区"})
	for deadline := time.Now().Add(10 * time.Second); f.st.Version() == before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the store's Version never saw the other process's write")
		}
	}
	if l := label(); strings.Contains(l, "沧浪区") {
		t.Fatalf("the admin names changed before the feed ran: %q", l)
	}
	f.follow()
	l := label()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(l, "沧浪区") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		l = label()
	}
	if !strings.Contains(l, "沧浪区") {
		t.Errorf("the place answer kept the label made before the feed ran: %q", l)
	}
}
