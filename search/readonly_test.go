package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// heldQueries are searched on an index and on a second open of it.
var heldQueries = []Query{
	{Text: "shantang"}, {Text: "stj"}, {Text: "桥"}, {Text: "苏州阊门"}, {Text: "平江府"},
	{Text: "蘇州閶門"}, {Text: "hu"}, {Text: "bridge"}, {Text: "桥", Category: "桥梁", Size: 20},
}

// TestOpenHeldIndexReadsIt opens the shared index (held open by this
// process, so its bleve lock is taken, as a running server takes it) a
// second time: Open waits BusyWait, then opens it read-only, which answers
// every query as the holder does and refuses every write.
func TestOpenHeldIndexReadsIt(t *testing.T) {
	held := testIndex(t)
	start := time.Now()
	ro, err := Options{BusyWait: 200 * time.Millisecond}.Open(filepath.Join(sharedDir, "ix"))
	if err != nil {
		t.Fatalf("second open of a held index: %v", err)
	}
	defer ro.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("second open took %s", took)
	}
	if !ro.ReadOnly() || held.ReadOnly() {
		t.Fatalf("ReadOnly: second open %v, holder %v", ro.ReadOnly(), held.ReadOnly())
	}
	if ro.Len() != held.Len() {
		t.Errorf("read-only index has %d places, the holder %d", ro.Len(), held.Len())
	}
	for _, q := range heldQueries {
		want, got := search(t, held, q), search(t, ro, q)
		if !slices.Equal(names(got.Hits), names(want.Hits)) || got.Total != want.Total {
			t.Errorf("%+v: read-only %d %v, holder %d %v", q, got.Total, names(got.Hits), want.Total, names(want.Hits))
		}
		if len(got.Hits) == 0 {
			t.Errorf("%+v: nothing found", q)
		}
	}
	p := &gazetteer.Place{ID: 999999, Name: "只读桥", Status: gazetteer.StatusCurrent}
	for what, err := range map[string]error{"Upsert": ro.Upsert(p), "Delete": ro.Delete(51),
		"SetPosition": ro.SetPosition(gazetteer.Position{Store: "x"}),
		"Follow":      ro.Follow(context.Background(), nil, nil)} {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only index: %v, want ErrReadOnly", what, err)
		}
	}
}

// TestOpenStoreLeavesAHeldIndex is what `wumen search` or `wumen import`
// does while `wumen serve` holds the index and the store has moved on: it
// opens the index read-only within BusyWait and neither rebuilds it nor
// catches it up (the holder follows the store).
func TestOpenStoreLeavesAHeldIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(filepath.Join(dir, "wumen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	street := gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}
	for _, name := range []string{"山塘街", "平江路", "十全街"} {
		if _, err := s.Put(ctx, &gazetteer.Place{Name: name, Category: street, Status: gazetteer.StatusCurrent}, gazetteer.Change{Actor: "test", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	ixDir := filepath.Join(dir, "wumen.db.index")
	built := 0
	count := func(why string, total int) (func(int), func()) { built++; return nil, nil }
	opt := Options{BusyWait: 200 * time.Millisecond}
	holder, err := opt.OpenStore(ctx, s, ixDir, count)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if built != 1 || holder.ReadOnly() {
		t.Fatalf("first open: %d builds, read-only %v", built, holder.ReadOnly())
	}
	pos, _ := holder.Position()
	before, err := os.Stat(filepath.Join(ixDir, formatFile))
	if err != nil {
		t.Fatal(err)
	}
	// The store moves on: the second opener would catch up (or, for a
	// store it does not know, rebuild) an index it held alone.
	p, err := s.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.Names = append(p.Names, gazetteer.Name{Text: "只读测试街", Kind: gazetteer.KindAlias})
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ro, err := opt.OpenStore(ctx, s, ixDir, count)
	if err != nil {
		t.Fatalf("OpenStore of a held index: %v", err)
	}
	defer ro.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("OpenStore of a held index took %s", took)
	}
	if built != 1 {
		t.Errorf("the held index was rebuilt (%d builds)", built)
	}
	if !ro.ReadOnly() {
		t.Errorf("OpenStore of a held index is not read-only")
	}
	if got, _ := ro.Position(); got != pos {
		t.Errorf("read-only index at %v, the holder at %v: it was caught up", got, pos)
	}
	after, err := os.Stat(filepath.Join(ixDir, formatFile))
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("the index directory was replaced (%v)", err)
	}
	if r := search(t, ro, Query{Text: "shantang"}); len(r.Hits) == 0 || r.Hits[0].Name != "山塘街" {
		t.Errorf("read-only shantang: %v", names(r.Hits))
	}
	// Asked to rebuild it (wumen index), it refuses while the index is held.
	if ix, err := opt.BuildStore(ctx, s, ixDir, "", count); !errors.Is(err, ErrBusy) || ix != nil || built != 1 {
		t.Errorf("BuildStore of a held index: %v (%d builds)", err, built)
	}
	if after, err := os.Stat(filepath.Join(ixDir, formatFile)); err != nil || !os.SameFile(before, after) {
		t.Errorf("BuildStore replaced a held index (%v)", err)
	}
	// Free, it builds.
	ro.Close()
	holder.Close()
	ix, err := opt.BuildStore(ctx, s, ixDir, "", count)
	if err != nil || built != 2 {
		t.Fatalf("BuildStore of a free index: %v (%d builds)", err, built)
	}
	ix.Close()
}
