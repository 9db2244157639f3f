package search

import (
	"context"
	"reflect"
	"testing"
)

// TestWarmPreparesFacets: after Warm every entry has its facet codes and
// every segment of bleve's snapshot its table, and a facet count then
// gives what it gives on an index warmed by its own first facet count.
func TestWarmPreparesFacets(t *testing.T) {
	cold := testIndex(t) // shared: maybe searched with facets already
	warm, err := Build(t.TempDir()+"/ix", eachOf(loadPlaces(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer warm.Close()
	if warm.fcodes.ready || len(warm.docs.segs) != 0 {
		t.Fatalf("a fresh index has facet codes (%v) or segment tables (%d) before any facet count", warm.fcodes.ready, len(warm.docs.segs))
	}
	if err := warm.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !warm.fcodes.ready || len(warm.docs.segs) == 0 {
		t.Fatalf("after Warm: facet codes ready %v, %d segment tables", warm.fcodes.ready, len(warm.docs.segs))
	}
	for _, text := range []string{"山塘", "桥", "shantang", "平江府"} {
		q := Query{Text: text, Size: 5, Facets: true}
		a, err := cold.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := warm.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Facets, b.Facets) || a.Total != b.Total {
			t.Errorf("%s: facets %+v (total %d) warmed, %+v (total %d) not", text, b.Facets, b.Total, a.Facets, a.Total)
		}
	}
}
