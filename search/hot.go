package search

import (
	"bufio"
	"encoding/json"
	"hash/maphash"
	"os"
	"path/filepath"
	"sort"
	"unicode/utf8"
)

// Hot keys. A character or syllable that occurs in a large share of all
// names (村, 新, 山塘's 山, shan) makes bleve score tens of thousands of
// postings to find ten. For those keys the index keeps, in memory, the best
// names by the same tie-breakers the ranking uses (kind, heritage,
// Place.Rank, shortness), as a completion suggester's weighted lists do.
// Keys are the text field's terms marked with containsMark (*村, *山塘), the
// 通名 key (村$) and runs of one or two syllables (*shan, *shantang); lists
// are built with the index, saved beside it and kept up to date by Upsert
// and Delete. (Prefixes need no lists: the name table scans them.)
// Options.HotMin is how many names must share a key before it gets a list.

// hotK is how many names a list keeps: the first page of up to 24 results.
const hotK = 24

const hotFile = "hot.jsonl"

type hotItem struct {
	e     *entry
	k     int32
	score float32
}

type hotList struct {
	count int
	top   []hotItem // best first
	// facets counts the names with the key by facet term (c:…, d:…, h:…),
	// so a facet query on the key alone needs no pass over its postings.
	facets map[string]int
}

// facetsOf is the facet counts of a list, as a search result shows them.
func (l *hotList) facetsOf() *Facets {
	var terms []facetTerm
	for t, n := range l.facets {
		if n > 0 {
			terms = append(terms, facetTerm{t, n})
		}
	}
	return facetsFrom(terms)
}

// countFacets adds d to the counts of e's facet terms, for a list that
// keeps them.
func (l *hotList) countFacets(e *entry, d int) {
	if l.facets == nil {
		return
	}
	for _, t := range e.facetTerms() {
		l.facets[t] += d
	}
}

// hotKeys calls each with the keys of a name's tokens, each once: its text
// terms (*村, 村$), syllable runs (*shan) and short prefixes (^新, ^s, ^sh, ^xin). A key is built in buf and only valid during the call.
func hotKeys(nt nameTokens, buf []byte, each func(key []byte)) {
	key := func(mark, t string) {
		buf = append(append(buf[:0], mark...), t...)
		each(buf)
	}
	for _, t := range nt.text {
		switch {
		case t[len(t)-1] == genericMark[0]:
			key("", t)
		case t[0] < utf8.RuneSelf && contains(nt.runs, t):
			// a Latin run is also a syllable run
		default:
			key(containsMark, t)
		}
	}
	for _, r := range nt.runs {
		key(containsMark, r)
	}
	if r, n := utf8.DecodeRuneInString(nt.norm); isHan(r) {
		key(prefixMark, nt.norm[:n])
	}
	for i, p := range nt.pinyin {
	prefixes:
		for n := 1; n <= prefixHotLetters && n <= len(p); n++ {
			for _, q := range nt.pinyin[:i] {
				if len(q) >= n && q[:n] == p[:n] {
					continue prefixes // shared with a reading before
				}
			}
			key(prefixMark, p[:n])
		}
	}
}

// containsMark begins the hot key of a substring or syllable run.
const containsMark = "*"

// hotKeyOf is the hot key of a term of the text field, or of a pinyin run.
func hotKeyOf(v string) string {
	if len(v) > 1 && v[len(v)-1] == genericMark[0] {
		return v
	}
	return containsMark + v
}

// staticScore is the within-tier part of rankScore for a prefix match.
func staticScore(e *entry, k int) float32 {
	return float32(rankScore(e, e.Names[k], match{how: howPrefix}, true, qtext{}))
}

func (l *hotList) insert(it hotItem) {
	if len(l.top) == hotK && !before(it.score, it.e.ID, l.top[hotK-1].score, l.top[hotK-1].e.ID) {
		return
	}
	i := sort.Search(len(l.top), func(i int) bool { return before(it.score, it.e.ID, l.top[i].score, l.top[i].e.ID) })
	if len(l.top) < hotK {
		l.top = append(l.top, hotItem{})
	}
	copy(l.top[i+1:], l.top[i:])
	l.top[i] = it
}

func (l *hotList) remove(id int64) {
	out := l.top[:0]
	for _, it := range l.top {
		if it.e.ID != id {
			out = append(out, it)
		}
	}
	l.top = out
}

// hotBuilder collects counts and candidate lists for every key while the
// index is built; each build worker has its own and mergeHot keeps the hot
// keys. It sees a million keys at 1M names, so it is kept cheap for the map
// and the garbage collector: keys are looked up by a 64-bit hash (maphash;
// a collision among a few million keys is a one-in-a-million event that
// would at worst merge two lists), a key's text is kept only once it is
// common enough in this builder to be hot overall, and list items refer to
// entries by index into ents rather than by pointer.
type hotBuilder struct {
	keys     map[uint64]int32
	lists    []buildList
	ents     []*entry
	buf      []byte
	minLocal int32    // count at which a key's text is kept
	terms    []string // Han characters and bigrams seen (for the syllable index)

	// Facet counts of the hot keys: every key lists its names (as ents
	// indexes, no pointers) and mergeHot counts the facet values of the
	// hot ones' names; counting as names came in cost every key a map
	// increment per value. Values are interned per builder:
	// vals[fstart[i]:fstart[i+1]] are those of ents[i].
	intern map[string]int32
	names  []string // interned value → term
	vals   []int32
	fstart []int32
}

type buildList struct {
	members []int32 // ents indexes of the names with the key
	count   int32
	floor   float32     // when top is full: the score of its last item,
	floorID int64       // and that item's place id (so most inserts are refused without reading top)
	key     string      // set once count reaches minLocal
	top     []buildItem // best first, at most hotK
}

// hotSeed makes every builder of a process hash alike, so mergeHot can
// match their keys.
var hotSeed = maphash.MakeSeed()

type buildItem struct {
	id    int64
	e     int32 // index into hotBuilder.ents
	k     int32
	score float32
}

// before orders list items: higher score first, then lower place id (so a
// list does not depend on which build worker saw which place).
func before(s1 float32, id1 int64, s2 float32, id2 int64) bool {
	return s1 > s2 || s1 == s2 && id1 < id2
}

// newHotBuilder makes the builder of one of workers build workers, for
// lists of keys shared by at least hotMin names.
func newHotBuilder(workers, hotMin int) *hotBuilder {
	return &hotBuilder{keys: map[uint64]int32{}, buf: make([]byte, 0, 128),
		minLocal: int32((hotMin + workers - 1) / workers), intern: map[string]int32{}, fstart: []int32{0}}
}

// add adds name k of e, with tokens nt; facets are e's facet terms.
func (h *hotBuilder) add(e *entry, k int, nt nameTokens, facets []string) {
	if k == 0 || len(h.ents) == 0 || h.ents[len(h.ents)-1] != e {
		h.ents = append(h.ents, e)
		for _, t := range facets {
			v, ok := h.intern[t]
			if !ok {
				v = int32(len(h.names))
				h.intern[t] = v
				h.names = append(h.names, t)
			}
			h.vals = append(h.vals, v)
		}
		h.fstart = append(h.fstart, int32(len(h.vals)))
	}
	ei := int32(len(h.ents) - 1)
	it := buildItem{e.ID, ei, int32(k), staticScore(e, k)}
	hotKeys(nt, h.buf, func(key []byte) {
		hash := maphash.Bytes(hotSeed, key)
		i, ok := h.keys[hash]
		if !ok {
			i = int32(len(h.lists))
			h.keys[hash] = i
			h.lists = append(h.lists, buildList{})
			if len(key) > 1 && key[0] == containsMark[0] && key[1] >= utf8.RuneSelf {
				h.terms = append(h.terms, string(key[1:]))
			}
		}
		l := &h.lists[i]
		if l.count++; l.count == h.minLocal {
			l.key = string(key)
		}
		if han := len(key) > 1 && key[0] == containsMark[0] && key[1] >= utf8.RuneSelf; han {
			if len(l.members) == cap(l.members) { // double: append grows big slices by a quarter
				l.members = append(make([]int32, 0, 2*cap(l.members)+4), l.members...)
			}
			l.members = append(l.members, ei) // only *X and *XY answer facets
		}
		l.insert(it)
	})
}

func (l *buildList) insert(it buildItem) {
	full := l.count > hotK // count includes it
	if full && !before(it.score, it.id, l.floor, l.floorID) {
		return
	}
	i := sort.Search(len(l.top), func(i int) bool { return before(it.score, it.id, l.top[i].score, l.top[i].id) })
	if len(l.top) < hotK {
		l.top = append(l.top, buildItem{})
	}
	copy(l.top[i+1:], l.top[i:])
	l.top[i] = it
	if len(l.top) == hotK {
		l.floor, l.floorID = l.top[hotK-1].score, l.top[hotK-1].id
	}
}

// mergeHot sums the builders' counts per key and keeps, for the keys shared
// by at least hotMin names, the best hotK items of all builders.
func mergeHot(bs []*hotBuilder, hotMin int) map[string]*hotList {
	out := map[string]*hotList{}
	counts := make([][]int32, len(bs)) // per builder, by interned value
	for i, b := range bs {
		counts[i] = make([]int32, len(b.names))
	}
	for _, b := range bs {
		for li := range b.lists {
			key := b.lists[li].key
			if key == "" || out[key] != nil {
				continue // rare here, or merged already
			}
			hash := maphash.String(hotSeed, key)
			n := 0
			for _, o := range bs {
				if j, ok := o.keys[hash]; ok {
					n += int(o.lists[j].count)
				}
			}
			if n < hotMin {
				continue
			}
			l := &hotList{count: n}
			for bi, o := range bs {
				if j, ok := o.keys[hash]; ok {
					bl := &o.lists[j]
					for _, it := range bl.top {
						l.insert(hotItem{o.ents[it.e], it.k, it.score})
					}
					if len(bl.members) > 0 && l.facets == nil {
						l.facets = map[string]int{}
					}
					c := counts[bi]
					for _, m := range bl.members {
						for _, v := range o.vals[o.fstart[m]:o.fstart[m+1]] {
							c[v]++
						}
					}
					for v, n := range c {
						if n > 0 {
							l.facets[o.names[v]] += int(n)
							c[v] = 0
						}
					}
				}
			}
			out[key] = l
		}
	}
	return out
}

type hotLine struct {
	Key    string         `json:"key"`
	Count  int            `json:"n"`
	Items  [][2]int64     `json:"items"` // place id, name index
	Facets map[string]int `json:"f,omitempty"`
}

func saveHot(dir string, hot map[string]*hotList) error {
	f, err := os.Create(filepath.Join(dir, hotFile))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for key, l := range hot {
		if err := enc.Encode(l.line(key)); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

func loadHot(dir string, places map[int64]*entry) (map[string]*hotList, error) {
	hot := map[string]*hotList{}
	f, err := os.Open(filepath.Join(dir, hotFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var hl hotLine
		if err := json.Unmarshal(sc.Bytes(), &hl); err != nil {
			return nil, err
		}
		hot[hl.Key] = hl.list(places)
	}
	return hot, sc.Err()
}

// line is the saved form of the list of key.
func (l *hotList) line(key string) hotLine {
	hl := hotLine{Key: key, Count: l.count, Facets: l.facets}
	for _, it := range l.top {
		hl.Items = append(hl.Items, [2]int64{it.e.ID, int64(it.k)})
	}
	return hl
}

// list is the list saved as hl; items of places not in places (or of names
// they no longer have) are left out.
func (hl hotLine) list(places map[int64]*entry) *hotList {
	l := &hotList{count: hl.Count, facets: hl.Facets}
	for _, it := range hl.Items {
		if e := places[it[0]]; e != nil && int(it[1]) < len(e.Names) {
			l.top = append(l.top, hotItem{e, int32(it[1]), staticScore(e, int(it[1]))})
		}
	}
	return l
}

// hotAdd and hotRemove keep the lists current as places change; nts are
// the tokens of e's names.
func (ix *Index) hotAdd(e *entry, nts []nameTokens) {
	for k, nt := range nts {
		sc := staticScore(e, k)
		hotKeys(nt, nil, func(key []byte) {
			if l := ix.hot[string(key)]; l != nil {
				l.count++
				l.insert(hotItem{e, int32(k), sc})
				l.countFacets(e, 1)
			}
		})
	}
}

func (ix *Index) hotRemove(e *entry, nts []nameTokens) {
	for _, nt := range nts {
		hotKeys(nt, nil, func(key []byte) {
			if l := ix.hot[string(key)]; l != nil {
				l.count--
				l.remove(e.ID)
				l.countFacets(e, -1)
			}
		})
	}
}
