package site

import (
	"context"
	"encoding/json"
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

// TestDerivedViewsFollowAnotherProcess: a server's search index, browse
// lists, tiles and admin names follow writes made by another process on the
// same store file (here a second Store, as a command-line import is): each
// shows the change within the feed's poll, without a restart. The writes
// are renamings (events), so every position stays the shipped one.
func TestDerivedViewsFollowAnotherProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
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
	defer ix.Close()
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
	fctx, stop := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() { st.Follow(fctx, 50*time.Millisecond, fail); close(followed) }()
	defer func() { stop(); <-followed }() // before the store closes
	h := srv.Handler()

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
			var f struct{ Properties map[string]any }
			json.Unmarshal([]byte(get(t, h, "/api/v1/places/1100").body), &f)
			label, _ := f.Properties["label"].(string)
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

	other, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := gazetteer.Change{Actor: "test", Reason: "a write by another process"}
	if _, err := other.ApplyEvent(ctx, place, gazetteer.Event{Type: gazetteer.EventRenaming, To: "报恩塔", Date: "2026-12-03"}, c); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ApplyEvent(ctx, district, gazetteer.Event{Type: gazetteer.EventRenaming, To: "沧浪区", Date: "2026-12-03"}, c); err != nil {
		t.Fatal(err)
	}
	other.Close()

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
