package gazetteer_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"wumen/gazetteer"
)

// A derived view's saved position tells the store it follows from a restored
// backup of it and from another store.
func TestPositionTellsRestoresAndOtherStoresApart(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	empty, err := s.Head(ctx)
	if err != nil || empty.Store == "" || empty.Revision != 0 {
		t.Fatalf("head of an empty store: %+v %v", empty, err)
	}
	load(t, s, fixture)
	built, _ := s.Head(ctx)
	if built.Revision != 5 || built.Checksum == "" || built.Store != empty.Store {
		t.Fatalf("head after five creations: %+v", built)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Get(ctx, 3)
	p.Rank = 42
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	ids, to, err := s.ChangesSince(ctx, built)
	if err != nil || !reflect.DeepEqual(ids, []int64{3}) || to.Revision != 6 {
		t.Fatalf("changes since the build: %v %+v %v", ids, to, err)
	}
	if ids, same, err := s.ChangesSince(ctx, to); err != nil || len(ids) != 0 || same != to {
		t.Errorf("changes since the head: %v %+v %v", ids, same, err)
	}

	// The backup is the same store at revision 5; a view at 6 is ahead of
	// it, and after another write there revision 6 exists but is not the
	// revision the view applied.
	r, err := gazetteer.Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if ok, _ := r.Contains(ctx, built); !ok {
		t.Error("a backup does not contain the position it was taken at")
	}
	if ok, _ := r.Contains(ctx, to); ok {
		t.Error("a backup contains a revision made after it")
	}
	q, _ := r.Get(ctx, 1)
	q.Rank = 7
	if _, err := r.Put(ctx, q, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.ChangesSince(ctx, to); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("a restored store that wrote another revision 6: %v, want a conflict", err)
	}

	other := openTemp(t)
	load(t, other, fixture)
	if h, _ := other.Head(ctx); h.Store == built.Store {
		t.Error("two stores share an id")
	}
	if ok, _ := other.Contains(ctx, built); ok {
		t.Error("another store with the same records contains this store's position")
	}
}
