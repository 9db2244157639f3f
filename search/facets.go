package search

import (
	"context"
	"sort"
	"strings"
)

// facets counts every match of the query by category, district and
// heritage list, and how many names match (exactly). Hits come from the
// ranked search; this second, unscored pass only lists the matching names
// and counts them in memory from their entries (facetCount), and it takes
// the whole text clause (no hot lists, no dropped bigrams) so the counts
// are those of every match. Where the text clause does not cover the name
// table's matches (pinyin, initials), those are added, each name once.
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
	c := ix.newFacetCount()
	eachText := func(q *qnode, f func(e *entry, k int)) error {
		if mf.slack > 0 { // a filter left out of the clauses (loosenAdmin)
			all := f
			f = func(e *entry, k int) {
				if mf.ok(e, e.Names[k]) {
					all(e, k)
				}
			}
		}
		return ix.eachText(ctx, q, f)
	}
	var text *qnode
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly})
		if !qt.charMode() || prefixOnly || text == nil {
			if text == nil {
				ix.tableFacets(qt, mf, c, nil)
				return c.facets(), uint64(c.n), nil
			}
			if region != nil {
				// A small region is a bleve clause: the name table's
				// matches go through it as document ids.
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
			} else {
				// bleve's matches first (for pinyin and initials mostly
				// few), then the name table's that bleve did not find.
				var fromText map[nameOf]bool
				err := eachText(conjunction(text, filters, region), func(e *entry, k int) {
					if fromText == nil {
						fromText = map[nameOf]bool{}
					}
					fromText[nameOf{e, k}] = true
					c.add(e)
				})
				if err != nil {
					return nil, 0, err
				}
				ix.tableFacets(qt, mf, c, fromText)
				return c.facets(), uint64(c.n), nil
			}
		}
	}
	err := eachText(conjunction(text, filters, region), func(e *entry, _ int) { c.add(e) })
	return c.facets(), uint64(c.n), err
}

// eachText calls f with every name matching q (as the text index finds
// them) whose place is still in the index. Everything (no text, no filter)
// is every name of every place, without asking the text index.
func (ix *Index) eachText(ctx context.Context, q *qnode, f func(e *entry, k int)) error {
	if q.op == qAll {
		for _, e := range ix.places {
			for k := range e.Names {
				f(e, k)
			}
		}
		return ctx.Err()
	}
	if b, ok := ix.text.(bleveEntries); ok {
		lookup := func(id int64) *entry { return ix.places[id] }
		if ok, err := b.eachEntry(ctx, q, &ix.docs, lookup, f); ok {
			return err
		}
	}
	return ix.text.each(ctx, q, func(id int64, k int) {
		if e := ix.places[id]; e != nil && k < len(e.Names) {
			f(e, k)
		} // else deleted since the search began
	})
}

// bleveEntries is a server's text index, which finds the entries of its
// matches without their ids (bleveents.go).
type bleveEntries interface {
	eachEntry(ctx context.Context, q *qnode, d *docNames, lookup func(id int64) *entry, f func(e *entry, k int)) (bool, error)
}

// tableFacets counts the name table's matches into c, each name once,
// except those in skip.
func (ix *Index) tableFacets(qt qtext, mf *memFilter, c *facetCount, skip map[nameOf]bool) {
	ix.eachTableName(qt, mf, func(e *entry, k int) {
		if !skip[nameOf{e, k}] {
			c.add(e)
		}
	})
}

// eachTableName calls f once with every name the name table matches for
// qt, though a name may match by its pinyin and its initials and by
// several readings. A name has at most one key of each kind that is not a
// second reading (nameItems), so in the scan of one key only second
// readings and keys of another kind can repeat a name: the most common
// kind of first readings is passed on directly, the rest through a set of
// names, mostly small — three scans of the table cost less than a set of
// every match (25,000 for xsq at 1M).
func (ix *Index) eachTableName(qt qtext, mf *memFilter, f func(e *entry, k int)) {
	keys := tableKeys(qt)
	if len(keys) != 1 { // a name may match more than one key
		seen := map[nameOf]bool{}
		for _, key := range keys {
			ix.tableScan(qt, key, mf, func(it nameItem, _ bool) bool {
				if n := (nameOf{it.e, int(it.k)}); !seen[n] {
					seen[n] = true
					f(n.e, n.k)
				}
				return true
			})
		}
		return
	}
	var kinds [keyInitials + 1]int
	all := 0
	ix.tableScan(qt, keys[0], mf, func(it nameItem, _ bool) bool {
		if all++; !it.variant {
			kinds[it.kind]++
		}
		return true
	})
	main := keyText
	for k, n := range kinds {
		if n > kinds[main] {
			main = keyKind(k)
		}
	}
	var others map[nameOf]bool // name → passed on with the main kind
	if kinds[main] < all {     // second readings, or another kind
		others = map[nameOf]bool{}
		ix.tableScan(qt, keys[0], mf, func(it nameItem, _ bool) bool {
			if it.variant || it.kind != main {
				others[nameOf{it.e, int(it.k)}] = false
			}
			return true
		})
	}
	ix.tableScan(qt, keys[0], mf, func(it nameItem, _ bool) bool {
		if !it.variant && it.kind == main {
			f(it.e, int(it.k))
			if others != nil {
				if _, ok := others[nameOf{it.e, int(it.k)}]; ok {
					others[nameOf{it.e, int(it.k)}] = true
				}
			}
		}
		return true
	})
	for n, passed := range others {
		if !passed {
			f(n.e, n.k)
		}
	}
}

// facetCount counts matching names by the facet values of their entries —
// the values entry.facetTerms puts in the facet field: class and subclass,
// district, heritage lists (each once per name) — by their codes
// (facetcodes.go), or by their strings for the few entries without.
type facetCount struct {
	n      int     // names counted
	byCode []int32 // code → names
	codes  *facetCodes
	slow   map[string]int // facet term → names, for entries counted from strings
}

// nameOf is name k of an entry.
type nameOf struct {
	e *entry
	k int
}

// newFacetCount is an empty count over ix's facet codes; the caller holds
// ix.mu for reading.
func (ix *Index) newFacetCount() *facetCount {
	ix.prepareFacetCodes()
	return &facetCount{codes: &ix.fcodes, byCode: make([]int32, len(ix.fcodes.terms))}
}

// add counts one name of e.
func (c *facetCount) add(e *entry) {
	c.n++
	fc := e.fc
	if fc.her == slowFacets || int(max(fc.cat, fc.sub, fc.dist, fc.her)) >= len(c.byCode) {
		c.addSlow(e)
		return
	}
	c.byCode[fc.cat]++
	c.byCode[fc.sub]++
	c.byCode[fc.dist]++
	c.byCode[fc.her]++
}

// addSlow counts one name of e from its strings.
func (c *facetCount) addSlow(e *entry) {
	if c.slow == nil {
		c.slow = map[string]int{}
	}
	for _, t := range e.facetTerms() {
		c.slow[t]++
	}
}

// facets is what c counted, as a search result shows it.
func (c *facetCount) facets() *Facets {
	var terms []facetTerm
	for code, n := range c.byCode {
		if code > 0 && n > 0 {
			if c.slow != nil {
				c.slow[c.codes.terms[code]] += int(n)
			} else {
				terms = append(terms, facetTerm{c.codes.terms[code], int(n)})
			}
		}
	}
	for t, n := range c.slow {
		terms = append(terms, facetTerm{t, n})
	}
	return facetsFrom(terms)
}

// maxFacetValues bounds each facet: facetsFrom returns the top
// maxFacetValues of each.
const maxFacetValues = 30

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
