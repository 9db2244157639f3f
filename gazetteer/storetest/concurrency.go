package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Editors is how many editors the concurrency behaviours run at once (the
// PostgreSQL issue's "16 concurrent editors").
const Editors = 16

// testConcurrentEditorsLoseNothing: editors read a place, change it and
// write it naming what they read, trying again on a conflict; every
// editor's change is in the record at the end, and each is a revision.
func testConcurrentEditorsLoseNothing(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	before, err := s.Revisions(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := EditConcurrently(ctx, s, 1, Editors, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, 1)
	for i := range Editors {
		if got.Desc == nil || !strings.Contains(got.Desc.Text, EditMark(i, 0)) {
			t.Fatalf("editor %d's change was lost (%d conflicts): %+v", i, conflicts, got.Desc)
		}
	}
	after, _ := s.Revisions(ctx, 1)
	if len(after)-len(before) != Editors {
		t.Errorf("%d revisions for %d editors' changes", len(after)-len(before), Editors)
	}
	t.Logf("%d editors, %d conflicts retried", Editors, conflicts)
}

// EditMark is what editor i writes in its n-th change.
func EditMark(i, n int) string { return fmt.Sprintf("[编辑%d.%d]", i, n) }

// EditConcurrently runs editors goroutines, each making rounds changes to
// place id: read, append its mark to the description, write naming the
// Updated time it read, and on a conflict read again and retry. It returns
// the conflicts met. Benchmarks use it too.
func EditConcurrently(ctx context.Context, s *gazetteer.Store, id int64, editors, rounds int) (conflicts int64, err error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	for i := range editors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range rounds {
				c, err := editOnce(ctx, s, id, EditMark(i, n))
				mu.Lock()
				conflicts += int64(c)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return conflicts, errs[0]
	}
	return conflicts, nil
}

// editOnce makes one change, retrying on conflicts; it returns how many.
func editOnce(ctx context.Context, s *gazetteer.Store, id int64, mark string) (int, error) {
	for c := 0; c < 1000; c++ {
		p, err := s.Get(ctx, id)
		if err != nil {
			return c, err
		}
		text := mark
		if p.Desc != nil {
			text = p.Desc.Text + mark
		}
		p.Desc = &gazetteer.Text{Text: text, Source: "editors"}
		_, err = s.PutAll(ctx, []gazetteer.Input{{Place: p, IfUpdated: p.Updated}}, gazetteer.Change{Actor: mark}, gazetteer.PutOptions{})
		if gazetteer.ErrorCode(err) == gazetteer.EConflict {
			continue
		}
		return c, err
	}
	return 1000, fmt.Errorf("%s: still conflicting after 1000 tries", mark)
}

// testPlacementNamesWhatWasRead: a position saved from a copy of the place
// older than the store's is a conflict and writes nothing; one saved from
// the current copy is written.
func testPlacementNamesWhatWasRead(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	Load(t, s, Fixture)
	read, _ := s.Get(ctx, 5) // 山塘社区, no position yet
	other, _ := s.Get(ctx, 5)
	other.Desc = &gazetteer.Text{Text: "另一位官员的修改", Source: "test"}
	if _, err := s.Put(ctx, other, gazetteer.Change{Actor: "other"}); err != nil {
		t.Fatal(err)
	}
	pl := gazetteer.Placement{ID: 5, Geometry: orb.Point{120.6, 31.3}, IfUpdated: read.Updated,
		Coord: gazetteer.Coord{Method: "digitized", AccuracyM: 50, Source: "现场踏勘", Note: "test"}}
	_, err := s.SetPlacements(ctx, []gazetteer.Placement{pl}, gazetteer.Change{Actor: "t"}, true)
	if gazetteer.ErrorCode(err) != gazetteer.EConflict || !strings.Contains(gazetteer.ErrorMessage(err), "changed by someone else") {
		t.Fatalf("position from a stale copy: %v", err)
	}
	if got, _ := s.Get(ctx, 5); got.Geometry != nil || got.Desc == nil {
		t.Fatalf("a stale position was written or the other change lost: %+v", got)
	}
	fresh, _ := s.Get(ctx, 5)
	pl.IfUpdated = fresh.Updated
	if _, err := s.SetPlacements(ctx, []gazetteer.Placement{pl}, gazetteer.Change{Actor: "t"}, true); err != nil {
		t.Fatalf("position from the current copy: %v", err)
	}
	if got, _ := s.Get(ctx, 5); got.Geometry == nil || got.Desc == nil || got.Desc.Text != "另一位官员的修改" {
		t.Errorf("after positioning: %+v", got)
	}
}
