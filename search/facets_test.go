package search

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"wumen/gazetteer"
)

// indexedFacets counts the facets of q from bleve's index alone: for
// each facet term of the filter field (c:…, d:…, h:…), how many names
// match both the query's whole match — its text clause, the name table's
// matches by document id where that clause does not cover them, and the
// filters — and the term.
func indexedFacets(t *testing.T, ix *Index, q Query) (*Facets, uint64) {
	t.Helper()
	qt := analyse(q.Text)
	filters, mf := compileFilters(q)
	var text *qnode
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{})
		if !qt.charMode() || text == nil {
			var ids []string
			for _, key := range tableKeys(qt) {
				ix.tableScan(qt, key, mf, func(it nameItem, _ bool) bool {
					ids = append(ids, docID(it.e.ID, int(it.k)))
					return true
				})
			}
			id := &qnode{op: qIDs, ids: ids, boost: 1}
			if text == nil {
				text = id
			} else {
				text = orQuery([]*qnode{text, id})
			}
		}
	}
	ctx := context.Background()
	whole := conjunction(text, filters, nil)
	total, err := ix.text.count(ctx, whole)
	if err != nil {
		t.Fatal(err)
	}
	dict, err := ix.bi.FieldDict(fFacet)
	if err != nil {
		t.Fatal(err)
	}
	defer dict.Close()
	var terms []facetTerm
	for {
		e, err := dict.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		if !strings.HasPrefix(e.Term, fpCategory) && !strings.HasPrefix(e.Term, fpDistrict) && !strings.HasPrefix(e.Term, fpHeritage) {
			continue
		}
		n, err := ix.text.count(ctx, andQuery([]*qnode{whole, termQuery(fFacet, e.Term, 1)}))
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			terms = append(terms, facetTerm{e.Term, int(n)})
		}
	}
	return facetsFrom(terms), total
}

// TestFacetsInMemory: facets are counted from the entries of the matching
// names (bleve's, the name table's or a hot list's); they must equal the
// names matching both the query and each facet term in bleve's index —
// for pinyin and initials only the table answers, for characters only
// bleve, for both mixed, with filters and without text.
func TestFacetsInMemory(t *testing.T) {
	ix := testIndex(t)
	ctx := context.Background()
	for _, q := range []Query{
		{Text: "sz"}, {Text: "szs"}, {Text: "shantangjie"}, {Text: "gusuqu"},
		{Text: "zh"}, {Text: "ch"}, {Text: "cq"}, {Text: "zhang"}, {Text: "x"},
		{Text: "山塘街"}, {Text: "村"}, {Text: "山塘"}, {Text: "平江路"}, {Text: "苏州"},
		{Text: "shantang"}, {Text: "jie"}, {Text: "桥", Category: "桥梁"},
		{Text: "园", Heritage: "any"}, {Text: "suzhou", Admin: "320508"},
		{Category: "桥梁"}, {Heritage: "any"}, {Text: "xiang", Year: 1900},
		// the city holds all names but its own: its filter is applied
		// in memory (loosenAdmin), the reference keeps it a clause
		{Text: "桥", Admin: "3205"}, {Text: "sz", Admin: "3205"}, {Text: "苏州", Admin: "3205"}, {Category: "桥梁", Admin: "320500000000"},
	} {
		q.Facets, q.Size = true, 5
		r, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if q.Admin != "" {
			for _, h := range r.Hits {
				if e := ix.places[h.ID]; !adminFilter(q.Admin).keeps(e, e.Names[0]) {
					t.Errorf("%+v: hit %s is not under %s", q, h.Name, q.Admin)
				}
			}
		}
		want, total := indexedFacets(t, ix, q)
		if total == 0 {
			t.Fatalf("%+v matches no name", q)
		}
		if r.Total != total || !reflect.DeepEqual(r.Facets, want) {
			t.Errorf("%+v: total %d facets %+v, bleve's index over the same names: %d %+v", q, r.Total, r.Facets, total, want)
		}
	}
}

// TestFacetsAfterUpsert: once facets have been counted (every entry has
// its codes, every bleve segment its table of names), a place renamed (its
// old documents deleted), one upserted with values no entry had — a new
// category, district and heritage list — and one on two heritage lists
// (counted from its strings) are counted as bleve's index counts them.
func TestFacetsAfterUpsert(t *testing.T) {
	ix, err := Build(filepath.Join(t.TempDir(), "ix"), eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	check := func(text string) {
		t.Helper()
		q := Query{Text: text, Facets: true}
		r, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, total := indexedFacets(t, ix, q)
		if total == 0 || r.Total != total || !reflect.DeepEqual(r.Facets, want) {
			t.Errorf("%s: total %d facets %+v, bleve's index: %d %+v", text, r.Total, r.Facets, total, want)
		}
	}
	check("桥")
	renamed := smallPlaces()[1] // its old documents are deleted in the first segment
	renamed.Name, renamed.Category = "宝带石桥", gazetteer.Category{Class: "交通运输设施", Subclass: "古桥"}
	for _, p := range []*gazetteer.Place{
		renamed,
		{ID: 5, Name: "新桥", Status: gazetteer.StatusCurrent, Admin: []string{"3205", "320599"},
			Category: gazetteer.Category{Class: "新类", Subclass: "新子类"}, Heritage: []gazetteer.Heritage{{List: "新名录", Level: "city"}}},
		{ID: 6, Name: "古桥", Status: gazetteer.StatusCurrent, Admin: []string{"3205", "320506"},
			Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"},
			Heritage: []gazetteer.Heritage{{List: "新名录", Level: "city"}, {List: "另一名录", Level: "county"}, {List: "新名录", Level: "county"}}},
	} {
		if err := ix.Upsert(p); err != nil {
			t.Fatal(err)
		}
	}
	check("桥")
	check("qiao")
	r, err := ix.Search(ctx, Query{Text: "桥", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Facets.Heritage, FacetCount{Value: "新名录", Count: 2}) || !slices.Contains(r.Facets.Category, FacetCount{Value: "新类", Count: 1}) {
		t.Errorf("桥 after upserts: facets %+v", r.Facets)
	}
}
