package search

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// TestMemFilterAgreesWithBleve: filters are applied twice, as bleve clauses
// (filterQueries, for the character n-grams) and in memory (memFilter, for
// the name table); over every name of the shipped dataset both must keep
// the same names, and the spatial test must keep what the spatial index
// keeps.
func TestMemFilterAgreesWithBleve(t *testing.T) {
	ix := testIndex(t)
	ctx := context.Background()
	var her *entry
	var adm *entry
	for _, e := range ix.places {
		if her == nil && len(e.Heritage) > 0 {
			her = e
		}
		if adm == nil && len(e.Admin) >= 3 && len(e.Admin[len(e.Admin)-1]) == 9 {
			adm = e
		}
	}
	if her == nil || adm == nil {
		t.Fatal("the dataset has no place on a heritage list or under a township")
	}
	code := adm.Admin[len(adm.Admin)-1]
	qs := []Query{
		{Category: adm.Class}, {Category: adm.Subclass},
		{Admin: code}, {Admin: code + "000"}, {Admin: code[:6]}, {Admin: code[:6] + "000000"}, {Admin: "3205"},
		{Heritage: her.Heritage[0].List}, {Heritage: her.Heritage[0].Level}, {Heritage: "any"}, {Heritage: "true"},
		{Status: gazetteer.StatusCurrent}, {Year: 1911}, {Year: 1200},
		{Category: adm.Subclass, Admin: code[:6], Status: gazetteer.StatusCurrent},
	}
	for _, q := range qs {
		req := bleve.NewSearchRequestOptions(conjunction(nil, filterQueries(q), nil).bleve(), 100000, 0, false)
		res, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		fromBleve := map[string]bool{}
		for _, h := range res.Hits {
			fromBleve[h.ID] = true
		}
		mf := newMemFilter(q)
		inMemory := map[string]bool{}
		for _, e := range ix.places {
			for k, n := range e.Names {
				if mf.ok(e, n) {
					inMemory[docID(e.ID, k)] = true
				}
			}
		}
		if len(fromBleve) == 0 || !reflect.DeepEqual(fromBleve, inMemory) {
			t.Errorf("%+v: bleve keeps %d names, memory %d", q, len(fromBleve), len(inMemory))
		}
	}
	box := orb.Bound{Min: orb.Point{120.55, 31.28}, Max: orb.Point{120.65, 31.34}}
	near := orb.Point{120.62, 31.32}
	for _, q := range []Query{{BBox: &box}, {Near: &near, RadiusM: 3000}} {
		region := ix.spatial.inRegion(q.BBox, q.Near, q.RadiusM)
		mf := newMemFilter(q)
		n := 0
		for _, e := range ix.places {
			if in := mf.ok(e, e.Names[0]); in != (region[e.ID] != nil) {
				t.Errorf("%+v: %s in memory %v, in the spatial index %v", q, e.Names[0].Text, in, region[e.ID] != nil)
			} else if in {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%+v keeps no place", q)
		}
	}
}
