package search

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Index is the search index of the gazetteer: a bleve index with one document
// per name (so a year filter applies to the name, not the place) for the
// character n-grams and the filters; the name table of whole names, pinyin
// and initials (names.go); hot lists of very common keys (hot.go); the
// syllable index that reads pinyin as characters (syllables.go); an
// in-memory copy of what results need per place (names, category, admin
// codes, heritage, label point) and a spatial index over the points. Geometry
// is deliberately kept out of bleve: a geopoint field made indexing ~10×
// slower and the index ~13× bigger here.
//
// A server's index lives in a directory (build.go, disk.go); a static site's
// search opens a compact index, written by WriteCompact, in the browser
// (compact.go): the same tables, with postings in place of bleve.
//
// An Index is safe for concurrent use.
type Index struct {
	disk           // the directory, bleve and the journal; zero in a compact index
	text textIndex // bleve (bleverun.go) or the compact index's postings
	opt  Options   // as built or opened; zero (the defaults) in a compact index

	mu      sync.RWMutex
	places  map[int64]*entry
	spatial *spatial
	codes   map[string]string   // admin code → name, from places that have a Code
	adminOf map[string]adminRef // normalized name of an admin unit → the unit
	hot     map[string]*hotList // completion lists of very common keys (hot.go)
	names   *nameTable          // whole names, pinyin and initials (names.go)
	syl     *syllableIndex      // pinyin → characters in the text field (syllables.go)
	paths   map[int64]string    // site paths of place pages, in a compact index (compact.go)
	fcodes  facetCodes          // facet values numbered, for counting facets (facetcodes.go)
	docs    docNames            // bleve's documents as names, for counting facets (facetcodes.go)
}

// adminRef is the admin unit a name refers to; on a clash (two units
// written 吴江) the lower id wins, so the choice does not depend on load order.
type adminRef struct {
	code string
	id   int64
}

// entry is the compact in-memory record of one place.
type entry struct {
	ID       int64                `json:"id"`
	Names    []nameRec            `json:"n"` // Names[0] is the standard name
	Class    string               `json:"c,omitempty"`
	Subclass string               `json:"sc,omitempty"`
	Status   gazetteer.Status     `json:"st,omitempty"`
	Code     string               `json:"code,omitempty"`
	Level    string               `json:"lv,omitempty"`
	Admin    []string             `json:"a,omitempty"`
	Heritage []gazetteer.Heritage `json:"h,omitempty"`
	Rank     float64              `json:"r,omitempty"`
	Pinyin   string               `json:"py,omitempty"`
	Point    *orb.Point           `json:"p,omitempty"`
	Bound    *orb.Bound           `json:"b,omitempty"`
	Area     []byte               `json:"g,omitempty"` // WKB of (multi)polygon geometry, for reverse lookup
	area     orb.Geometry
	fc       entryFacets // its facet values as codes, once the index has them (facetcodes.go)
}

// nameRec is one indexed name of a place.
type nameRec struct {
	Text  string `json:"t"`
	Kind  string `json:"k"`
	Start string `json:"s,omitempty"`
	End   string `json:"e,omitempty"`
	Lang  string `json:"l,omitempty"` // "en" for an English name (english.go)
}

// district is the county-level (6-digit) admin code of the entry.
func (e *entry) district() string {
	if len(e.Code) >= 6 && e.Level != "prefecture" && e.Level != "province" {
		return e.Code[:6]
	}
	for i := len(e.Admin) - 1; i >= 0; i-- {
		if len(e.Admin[i]) >= 6 {
			return e.Admin[i][:6]
		}
	}
	return ""
}

// significantCode drops the zero padding of a statistical code: 320500000000
// → 3205, 320508000000 → 320508, 320508001000 → 320508001, so a filter on
// any form of a code finds places under it.
func significantCode(c string) string {
	if len(c) == 12 && strings.HasSuffix(c, "000") {
		c = c[:9]
	}
	if len(c) == 9 && strings.HasSuffix(c, "000") {
		c = c[:6]
	}
	for len(c) > 2 && len(c)%2 == 0 && strings.HasSuffix(c, "00") {
		c = c[:len(c)-2]
	}
	return c
}

func docID(id int64, k int) string {
	return strconv.FormatInt(id, 10) + "/" + strconv.Itoa(k)
}

func parseDocID(s string) (id int64, k int, err error) {
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return 0, 0, fmt.Errorf("search: bad document id %q", s)
	}
	id, err = strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, 0, err
	}
	k, err = strconv.Atoi(s[i+1:])
	return id, k, err
}

// eachAdminToken calls f with the admin filter terms of codes: each code,
// its significant form and that form's province, prefecture, county and
// township prefixes, so a filter on any level finds the place.
func eachAdminToken(codes []string, f func(string)) {
	for _, a := range codes {
		f(a)
		a = significantCode(a)
		f(a)
		for _, n := range []int{2, 4, 6, 9} {
			if len(a) > n {
				f(a[:n])
			}
		}
	}
}

// filterTerms lists the filter-field terms shared by every name of e.
func (e *entry) filterTerms() []string {
	var fs []string
	eachAdminToken(e.Admin, func(a string) { fs = add(fs, fpAdmin+a) })
	for _, h := range e.Heritage {
		fs = add(fs, fpLevel+h.Level)
		fs = add(fs, fpLevel+"any")
	}
	if e.Status != "" {
		fs = add(fs, fpStatus+string(e.Status))
	}
	return fs
}

// tokens tokenizes every name of e.
func (e *entry) tokens() []nameTokens {
	nts := make([]nameTokens, len(e.Names))
	for k, n := range e.Names {
		nts[k] = tokenize(n.Text)
		if n.isEnglish() {
			nts[k].english = englishWords(n.Text)
		}
	}
	return nts
}

// facetTerms lists the facet-field terms of e: category class and
// subclass, district, heritage lists.
func (e *entry) facetTerms() []string {
	var facets []string
	if e.Class != "" {
		facets = add(facets, fpCategory+e.Class)
	}
	if e.Subclass != "" {
		facets = add(facets, fpCategory+e.Subclass)
	}
	if d := e.district(); d != "" {
		facets = append(facets, fpDistrict+d)
	}
	for _, h := range e.Heritage {
		facets = add(facets, fpHeritage+h.List)
	}
	return facets
}

// index builds the in-memory side structures of the loaded places (a
// compact index's): the spatial index, from the places in id order, and the
// admin maps.
func (ix *Index) index() {
	ents := slices.SortedFunc(maps.Values(ix.places), func(a, b *entry) int { return cmp.Compare(a.ID, b.ID) })
	ix.spatial = newSpatial(ents)
	for _, e := range ents {
		ix.addAdmin(e)
	}
}

// addMeta adds e to the in-memory side structures (spatial index, code map).
func (ix *Index) addMeta(e *entry) {
	ix.spatial.add(e)
	ix.fcodes.add(e)
	ix.addAdmin(e)
}

// addAdmin adds e, if it is an admin unit, to the code map and the names
// of admin units.
func (ix *Index) addAdmin(e *entry) {
	if e.Code != "" && len(e.Names) > 0 && e.Status != gazetteer.StatusCancelled {
		ix.codes[e.Code] = e.Names[0].Text
		for _, n := range e.Names {
			if n.Kind == gazetteer.KindHistorical {
				continue
			}
			norm := normalize(n.Text)
			keys := []string{norm}
			// 苏州市 is also written 苏州: drop a county-level or higher generic.
			for _, g := range []string{"市", "区", "县"} {
				if t := strings.TrimSuffix(norm, g); t != norm && len([]rune(t)) >= 2 {
					keys = append(keys, t)
				}
			}
			for _, k := range keys {
				if r, taken := ix.adminOf[k]; !taken || e.ID < r.id {
					ix.adminOf[k] = adminRef{e.Code, e.ID}
				}
			}
		}
	}
}

// adminPrefix splits a query that starts with the name of an admin unit
// ("苏州阊门", "姑苏区平江路") into that unit's code and the rest.
func (ix *Index) adminPrefix(norm string) (code, rest string) {
	r := []rune(norm)
	for n := len(r) - 1; n >= 2; n-- {
		if a, ok := ix.adminOf[string(r[:n])]; ok {
			return a.code, string(r[n:])
		}
	}
	return "", ""
}

// Len is the number of places in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.places)
}

// AdminName is the name of the admin unit with this statistical code, when
// that unit is in the index ("" otherwise).
func (ix *Index) AdminName(code string) string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.codes[code]
}
