package search

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestReopenAnswersAlike builds an index of the shipped dataset (with hot
// lists), closes it and opens it again: the reopened index, read from its
// binary snapshot and name table, must hold the very entries and name-table
// items the build made and answer every relevance query (search with
// facets, and autocomplete) exactly as the index just built did.
func TestReopenAnswersAlike(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Options{HotMin: 30}.Build(dir, eachOf(loadPlaces(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	built := answersOf(t, ix)
	places, items := ix.places, tableItems(ix)
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if len(ix.places) != len(places) {
		t.Fatalf("reopened with %d places, built %d", len(ix.places), len(places))
	}
	for id, e := range places {
		// the facet codes are given at an index's first facet count
		// (facetcodes.go): the built index has counted, the reopened not
		if got := ix.places[id]; got == nil || !reflect.DeepEqual(withoutCodes(*got), withoutCodes(*e)) {
			t.Fatalf("place %d reopened as\n%+v\nbuilt as\n%+v", id, got, e)
		}
	}
	if got := tableItems(ix); !reflect.DeepEqual(got, items) {
		t.Fatalf("the reopened name table has %d items, built %d, or they differ", len(got), len(items))
	}
	for i, a := range answersOf(t, ix) {
		if a != built[i] {
			t.Errorf("reopened: %s\nbuilt:    %s", a, built[i])
		}
	}
}

// tableItems lists the name table's items with their place ids.
func tableItems(ix *Index) []string {
	var out []string
	ix.names.ascend(nameItem{}, func(it nameItem) bool {
		b, _ := json.Marshal([]any{it.pre, it.key, it.e.ID, it.k, it.kind, it.variant, it.tie})
		out = append(out, string(b))
		return true
	})
	return out
}

// answersOf runs every relevance case as a search with facets and as an
// autocomplete, and returns the results as JSON (Took zeroed).
func answersOf(t *testing.T, ix *Index) []string {
	var out []string
	ctx := context.Background()
	for _, c := range readRelevance(t) {
		q := caseQuery(t, c)
		q.Size, q.Facets = 10, true
		for _, run := range []func(context.Context, Query) (*Result, error){ix.Search, ix.Autocomplete} {
			r, err := run(ctx, q)
			if err != nil {
				t.Fatalf("relevance.tsv:%d: %v", c.Line, err)
			}
			r.Took = 0
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c.Text+" "+string(b))
		}
	}
	return out
}

// TestOpenDamagedFiles: a truncated snapshot, name table, syllable index or
// spatial index is refused with an error naming the file, never half
// loaded.
func TestOpenDamagedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	for _, name := range []string{snapshotFile, namesFile, syllablesFile, spatialFile} {
		path := filepath.Join(dir, name)
		whole, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(whole) - 1, len(whole) / 2, 3} {
			if err := os.WriteFile(path, whole[:cut], 0o644); err != nil {
				t.Fatal(err)
			}
			ix, err := Open(dir)
			if err == nil {
				ix.Close()
				t.Fatalf("%s cut to %d of %d bytes: opened", name, cut, len(whole))
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s cut to %d bytes: the error does not name it: %v", name, cut, err)
			}
		}
		if err := os.WriteFile(path, whole, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ix, err = Open(dir); err != nil {
		t.Fatalf("restored files: %v", err)
	}
	ix.Close()
}

// TestOpenFlippedBytes: a byte changed in the snapshot, the name table, the
// syllable index or the spatial index gives an error or an index that
// answers, never a panic.
func TestOpenFlippedBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ctx := context.Background()
	near := orb.Point{120.6, 31.26}
	for _, name := range []string{snapshotFile, namesFile, syllablesFile, spatialFile} {
		path := filepath.Join(dir, name)
		whole, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// every byte of the header and the first records, then a sample
		for at := 0; at < len(whole); at += max(1, (at-48)/8) {
			for _, flip := range []byte{0x01, 0xff} {
				b := slices.Clone(whole)
				b[at] ^= flip
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				ix, err := Open(dir)
				if err != nil {
					continue
				}
				for _, q := range []Query{{Text: "宝带桥"}, {Text: "shi"}, {Text: "bdq"}, {Text: "长"}, {Near: &near, RadiusM: 20000}} {
					if _, err := ix.Search(ctx, q); err != nil {
						t.Errorf("%s, byte %d ^ %#x: %v", name, at, flip, err)
					}
					ix.Autocomplete(ctx, q)
				}
				ix.Nearby(2, 3)
				ix.Close()
			}
		}
		if err := os.WriteFile(path, whole, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func withoutCodes(e entry) entry {
	e.fc = entryFacets{}
	return e
}
