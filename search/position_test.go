package search

import (
	"os"
	"path/filepath"
	"testing"

	"wumen/gazetteer"
)

// The saved position survives reopening, and a crash that tore the last
// journal line does not swallow the next change written after it.
func TestPositionAndTornJournal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Position(); ok {
		t.Error("a fresh build claims a store position")
	}
	pos := gazetteer.Position{Store: "0123abcd", Revision: 7, Checksum: "feed"}
	if err := ix.SetPosition(pos); err != nil {
		t.Fatal(err)
	}
	if err := ix.Upsert(&gazetteer.Place{ID: 4, Name: "觅渡桥", Status: gazetteer.StatusCurrent}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// A kill -9 in the middle of the next journal write.
	f, err := os.OpenFile(filepath.Join(dir, journalFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"op":"upsert","id":5,"e":{"id":5,"na`)
	f.Close()

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := ix.Position(); !ok || got != pos {
		t.Errorf("position after reopening: %+v %v", got, ok)
	}
	if err := ix.Upsert(&gazetteer.Place{ID: 6, Name: "吴门桥", Status: gazetteer.StatusCurrent}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, want := range map[string]string{"觅渡桥": "觅渡桥", "吴门桥": "吴门桥"} {
		if got := names(search(t, ix, Query{Text: q}).Hits); len(got) != 1 || got[0] != want {
			t.Errorf("%s after a torn journal line: %v", q, got)
		}
	}
}
