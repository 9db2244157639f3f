package search

import (
	"context"
	"slices"
	"sort"
	"strings"

	"wumen/gazetteer"
)

// facets counts every match of the query by category, district and
// heritage list, and how many names match (exactly). Hits come from the
// ranked search; this second, unscored pass only counts, and it takes the
// whole text clause (no hot lists, no dropped bigrams) so the counts are
// those of every match. Where the text clause does not cover the name
// table's matches (pinyin, initials), those are added by document id.
func (ix *Index) facets(ctx context.Context, qt qtext, prefixOnly bool, mf *memFilter, filters []*qnode, region *qnode) (*Facets, uint64, error) {
	// One or two characters and no filter: every match has the hot key
	// *X or *XY, whose counts are kept.
	if qt.charMode() && !prefixOnly && mf.none {
		key := ""
		if bs := bigrams(qt.runes); len(qt.runes) == 2 && len(bs) == 1 {
			key = hotKeyOf(bs[0])
		} else if len(qt.runes) == 1 && isHan(qt.runes[0]) {
			key = hotKeyOf(qt.norm)
		}
		if l := ix.hot[key]; l != nil && l.facets != nil {
			return l.facetsOf(), uint64(l.count), nil
		}
	}
	var text *qnode
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly})
		if !qt.charMode() || prefixOnly || text == nil {
			// The name table's matches count in memory when bleve's text
			// clause adds none (initials, pinyin of three or more
			// syllables): reading doc values costs far more per name.
			if text != nil {
				n, err := ix.text.count(ctx, conjunction(text, filters, region))
				if err != nil {
					return nil, 0, err
				}
				if n == 0 {
					text = nil
				}
			}
			if text == nil {
				f, n := ix.tableFacets(qt, mf)
				return f, n, nil
			}
			var ids []string
			for _, key := range tableKeys(qt) {
				ix.tableScan(qt, key, mf, func(it nameItem, _ bool) bool {
					ids = append(ids, docID(it.e.ID, int(it.k)))
					return true
				})
			}
			if len(ids) > 0 {
				text = orQuery([]*qnode{text, {op: qIDs, ids: ids, boost: 1}})
			}
		}
	}
	terms, total, err := ix.text.facets(ctx, conjunction(text, filters, region))
	if err != nil {
		return nil, 0, err
	}
	return facetsFrom(terms), total, nil
}

// tableFacets counts the facets of the name table's matches (each name
// once, though it may match by its pinyin and its initials) and how many
// names those are.
func (ix *Index) tableFacets(qt qtext, mf *memFilter) (*Facets, uint64) {
	type name struct {
		e *entry
		k uint16
	}
	type value struct{ prefix, v string } // a facet term, not yet concatenated
	seen := map[name]bool{}
	counts := map[value]int{}
	for _, key := range tableKeys(qt) {
		ix.tableScan(qt, key, mf, func(it nameItem, _ bool) bool {
			if n := (name{it.e, it.k}); !seen[n] {
				seen[n] = true
				e := it.e
				counts[value{fpCategory, e.Class}]++
				if e.Subclass != e.Class {
					counts[value{fpCategory, e.Subclass}]++
				}
				counts[value{fpDistrict, e.district()}]++
				for i, h := range e.Heritage {
					if !slices.ContainsFunc(e.Heritage[:i], func(o gazetteer.Heritage) bool { return o.List == h.List }) {
						counts[value{fpHeritage, h.List}]++
					}
				}
			}
			return true
		})
	}
	terms := make([]facetTerm, 0, len(counts))
	for v, n := range counts {
		if v.v != "" {
			terms = append(terms, facetTerm{v.prefix + v.v, n})
		}
	}
	return facetsFrom(terms), uint64(len(seen))
}

// maxFacetTerms bounds the facet values counted (categories, districts and
// heritage lists together); facetCounts returns the top maxFacetValues of
// each.
const (
	maxFacetTerms  = 1 << 20 // every term of the field: admin codes share it
	maxFacetValues = 30
)

type facetTerm struct {
	term  string
	count int
}

// facetsFrom splits counted facet-field terms into the three facets, each
// most frequent first (ties by value) and at most maxFacetValues long.
func facetsFrom(terms []facetTerm) *Facets {
	sort.Slice(terms, func(i, j int) bool {
		if terms[i].count != terms[j].count {
			return terms[i].count > terms[j].count
		}
		return terms[i].term < terms[j].term
	})
	f := &Facets{}
	for _, t := range terms {
		for _, x := range []struct {
			prefix string
			out    *[]FacetCount
		}{{fpCategory, &f.Category}, {fpDistrict, &f.District}, {fpHeritage, &f.Heritage}} {
			if v, ok := strings.CutPrefix(t.term, x.prefix); ok && v != "" && len(*x.out) < maxFacetValues {
				*x.out = append(*x.out, FacetCount{Value: v, Count: t.count})
			}
		}
	}
	return f
}
