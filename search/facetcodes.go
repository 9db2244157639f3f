package search

import "sync"

// Facet codes: every facet value (category class or subclass, district,
// heritage list) numbered, and each entry's values held as codes in the
// entry, so that counting the facets of thousands of matching names adds
// to an array instead of hashing strings (facetCount). The codes are
// given to every entry on the index's first facet count, not at open (a
// million places take about 0.1 s), and to each place upserted after.

// entryFacets is the facet values of an entry as codes (0: none). An entry
// on several heritage lists, or one whose values ran out of codes, is
// counted from its strings (her is slowFacets).
type entryFacets struct{ cat, sub, dist, her uint16 }

// slowFacets marks an entry counted from its strings.
const slowFacets = 1<<16 - 1

// facetCodes numbers the facet values of an index.
type facetCodes struct {
	once  sync.Once
	ready bool     // every entry has its codes; set under the read lock by the once, read under the write lock
	terms []string // code → facet term (fpCategory+class, …); terms[0] is unused
	// the codes of the values of each facet (terms without their prefix)
	category, district, heritage map[string]uint16
}

// prepare gives every entry of ix its codes, once. The caller holds ix.mu
// for reading: an upsert (which codes its entry itself once ready) waits.
func (ix *Index) prepareFacetCodes() {
	c := &ix.fcodes
	c.once.Do(func() {
		c.terms = []string{""}
		c.category, c.district, c.heritage = map[string]uint16{}, map[string]uint16{}, map[string]uint16{}
		for _, e := range ix.places {
			c.assign(e)
		}
		c.ready = true
	})
}

// add codes e, added to the index, once the index's entries have codes.
// The caller holds ix.mu for writing.
func (c *facetCodes) add(e *entry) {
	if c.ready {
		c.assign(e)
	}
}

func (c *facetCodes) assign(e *entry) {
	e.fc = entryFacets{}
	slow := len(e.Heritage) > 1
	of := func(codes map[string]uint16, prefix, v string) uint16 {
		if v == "" || slow {
			return 0
		}
		n, ok := codes[v]
		if !ok {
			if len(c.terms) >= slowFacets {
				slow = true
				return 0
			}
			n = uint16(len(c.terms))
			c.terms = append(c.terms, prefix+v)
			codes[v] = n
		}
		return n
	}
	e.fc.cat = of(c.category, fpCategory, e.Class)
	if e.Subclass != e.Class {
		e.fc.sub = of(c.category, fpCategory, e.Subclass)
	}
	e.fc.dist = of(c.district, fpDistrict, e.district())
	if len(e.Heritage) == 1 {
		e.fc.her = of(c.heritage, fpHeritage, e.Heritage[0].List)
	}
	if slow {
		e.fc = entryFacets{her: slowFacets}
	}
}

// docNames is, for each segment of a server's bleve index (keyed by the
// segment), the name each of its documents is, by document number within
// the segment: counting facets then goes from bleve's matches to their
// entries without reading their ids (bleveents.go). A segment's documents
// never change (an upserted name is a new document; the old one is
// deleted and never matches again), so a segment's table is made once, on
// the first facet count that meets it, and dropped when the segment is
// merged away.
type docNames struct {
	mu   sync.Mutex
	segs map[any][]nameOf
}
