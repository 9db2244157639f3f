package search

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
)

// Hot keys. A short prefix that begins a large share of all names (新, 社,
// zh, shan) makes bleve score tens of thousands of postings to find ten.
// For those keys the index keeps, in memory, the best names by the same
// tie-breakers the ranking uses (kind, heritage, Place.Rank, shortness):
// that is exactly the order of prefix matches, so the top of the list is the
// answer, as a completion suggester's weighted lists are. Keys are the short
// edge n-grams of the prefix field plus the 通名 key (桥$); lists are built
// with the index, saved beside it and kept up to date by Upsert and Delete.
// hotMin is how many names must share a key before it gets a list (a
// variable so tests can exercise the lists on the small shipped dataset).
var hotMin = 2000

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
}

// hotKeys lists the keys of a name's tokens: prefixes as they are, the
// 通名 key (桥$), and substrings and syllable runs marked with containsMark.
func hotKeys(nt nameTokens, each func(string)) {
	forEachToken(nt.prefix, each)
	forEachToken(nt.sub, func(t string) {
		if t[len(t)-1] == genericMark[0] {
			each(t)
		} else {
			each(containsMark + t)
		}
	})
	forEachToken(nt.pysub, func(t string) { each(containsMark + t) })
}

// containsMark begins the hot key of a substring or syllable run.
const containsMark = "*"

// hotKeyOf is the hot key of a term clause of the text query.
func hotKeyOf(field, v string) string {
	switch {
	case field == fPrefix:
		return v
	case field == fSub && len(v) > 1 && v[len(v)-1] == genericMark[0]:
		return v
	case field == fSub || field == fPySub:
		return containsMark + v
	}
	return ""
}

func forEachToken(s string, f func(string)) {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if i > start {
				f(s[start:i])
			}
			start = i + 1
		}
	}
}

// staticScore is the within-tier part of rankScore for a prefix match.
func staticScore(e *entry, k int) float32 {
	return float32(rankScore(e, e.Names[k], match{how: howPrefix}, true, qtext{}))
}

func (l *hotList) insert(it hotItem) {
	if len(l.top) == hotK && it.score <= l.top[hotK-1].score {
		return
	}
	i := sort.Search(len(l.top), func(i int) bool { return l.top[i].score < it.score })
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
// index is built, then keeps the hot ones. It holds millions of keys at 1M
// names, so it is kept cheap for the garbage collector and the map: keys
// are copied once (not substrings that would pin whole token strings), a
// key maps to an index into lists, and list items refer to entries by
// index into ents rather than by pointer.
type hotBuilder struct {
	keys  map[string]int32
	lists []buildList
	ents  []*entry
	key   []byte // scratch for containsMark + token
}

type buildList struct {
	count int32
	top   []buildItem // best first, at most hotK
}

type buildItem struct {
	e     int32 // index into hotBuilder.ents
	k     int32
	score float32
}

func newHotBuilder() *hotBuilder { return &hotBuilder{keys: map[string]int32{}} }

func (h *hotBuilder) add(e *entry, k int, nt nameTokens) {
	if k == 0 || len(h.ents) == 0 || h.ents[len(h.ents)-1] != e {
		h.ents = append(h.ents, e)
	}
	it := buildItem{int32(len(h.ents) - 1), int32(k), staticScore(e, k)}
	addKey := func(key []byte) {
		i, ok := h.keys[string(key)] // no allocation for the lookup
		if !ok {
			i = int32(len(h.lists))
			h.keys[string(key)] = i
			h.lists = append(h.lists, buildList{})
		}
		l := &h.lists[i]
		l.count++
		l.insert(it)
	}
	forEachToken(nt.prefix, func(t string) { addKey(append(h.key[:0], t...)) })
	forEachToken(nt.sub, func(t string) {
		if t[len(t)-1] == genericMark[0] {
			addKey(append(h.key[:0], t...))
		} else {
			addKey(append(append(h.key[:0], containsMark...), t...))
		}
	})
	forEachToken(nt.pysub, func(t string) { addKey(append(append(h.key[:0], containsMark...), t...)) })
}

func (l *buildList) insert(it buildItem) {
	if len(l.top) == hotK && it.score <= l.top[hotK-1].score {
		return
	}
	i := sort.Search(len(l.top), func(i int) bool { return l.top[i].score < it.score })
	if len(l.top) < hotK {
		l.top = append(l.top, buildItem{})
	}
	copy(l.top[i+1:], l.top[i:])
	l.top[i] = it
}

func (h *hotBuilder) hot() map[string]*hotList {
	out := map[string]*hotList{}
	for key, i := range h.keys {
		bl := &h.lists[i]
		if int(bl.count) < hotMin {
			continue
		}
		l := &hotList{count: int(bl.count), top: make([]hotItem, len(bl.top))}
		for j, it := range bl.top {
			l.top[j] = hotItem{h.ents[it.e], it.k, it.score}
		}
		out[key] = l
	}
	return out
}

type hotLine struct {
	Key   string     `json:"key"`
	Count int        `json:"n"`
	Items [][2]int64 `json:"items"` // place id, name index
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
		hl := hotLine{Key: key, Count: l.count}
		for _, it := range l.top {
			hl.Items = append(hl.Items, [2]int64{it.e.ID, int64(it.k)})
		}
		if err := enc.Encode(hl); err != nil {
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
		l := &hotList{count: hl.Count}
		for _, it := range hl.Items {
			if e := places[it[0]]; e != nil && int(it[1]) < len(e.Names) {
				l.top = append(l.top, hotItem{e, int32(it[1]), staticScore(e, int(it[1]))})
			}
		}
		hot[hl.Key] = l
	}
	return hot, sc.Err()
}

// hotAdd and hotRemove keep the lists current as places change.
func (ix *Index) hotAdd(e *entry) {
	for k, n := range e.Names {
		sc := staticScore(e, k)
		hotKeys(tokenize(n.Text), func(key string) {
			if l := ix.hot[key]; l != nil {
				l.count++
				l.insert(hotItem{e, int32(k), sc})
			}
		})
	}
}

func (ix *Index) hotRemove(e *entry) {
	for _, n := range e.Names {
		hotKeys(tokenize(n.Text), func(key string) {
			if l := ix.hot[key]; l != nil {
				l.count--
				l.remove(e.ID)
			}
		})
	}
}
