package site

import (
	"context"
	"sort"
	"strings"
	"sync"

	"wumen/gazetteer"
)

// entry is a place as lists, the map legend and the home page need it.
type entry struct {
	ID       int64
	Name     string
	Pinyin   string
	English  string // the English name, official first (gazetteer/english)
	Path     string
	Class    string
	Subclass string
	Code     string
	Admin    []string
	Heritage []string
	Letter   string // first letter of the pinyin, A–Z
	Status   gazetteer.Status
	slug     string // Slug(Pinyin), the sort key
}

// count is a named group with the number of places in it.
type count struct {
	Key, Name string
	Pinyin    string // a district's, shown beside its name on English pages
	N         int
}

// catalog is the whole gazetteer summarised for the browse pages, made
// again after any write (catalogCache).
type catalog struct {
	Total      int
	Entries    []*entry // by pinyin
	Classes    []count
	Districts  []count // county-level units (6-digit codes) and the city
	Heritage   []count
	Letters    []count
	Subclasses []count
	byID       map[int64]*entry
}

// Has reports whether any place is of class: the map's legend links only
// the classes that have a list page.
func (c *catalog) Has(class string) bool {
	for _, k := range c.Classes {
		if k.Key == class && k.N > 0 {
			return true
		}
	}
	return false
}

// catalogCache keeps the catalog's entries, one per place, and the catalog
// summarised from them. The change feed replaces the entries of the places
// a write changed (storeChanged → changed) and drops the summary, which the
// next use makes again from the entries without reading the store: after
// the first use the store is read once, not after every write.
type catalogCache struct {
	mu      sync.Mutex
	entries map[int64]*entry  // nil until the first use
	pinyin  map[string]string // statistical code → the unit's pinyin
	cat     *catalog          // nil when a change came since it was made
}

// newEntry is a place as the catalog keeps it.
func newEntry(p *gazetteer.Place) *entry {
	e := &entry{ID: p.ID, Name: p.Name, Pinyin: p.Pinyin, English: englishName(p), Path: placePath(p), Class: p.Category.Class,
		Subclass: p.Category.Subclass, Code: p.Code, Admin: p.Admin, Status: p.Status, slug: Slug(p.Pinyin)}
	for _, h := range p.Heritage {
		e.Heritage = append(e.Heritage, h.List)
	}
	if sl := e.slug; sl != "place" && sl[0] >= 'a' && sl[0] <= 'z' {
		e.Letter = strings.ToUpper(sl[:1])
	}
	return e
}

// changed replaces the entries of the places a write changed and drops the
// summary.
func (c *catalogCache) changed(places []*gazetteer.Place) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cat = nil
	if c.entries == nil {
		return // the first use reads the store as it is then
	}
	for _, p := range places {
		c.entries[p.ID] = newEntry(p)
		if p.Code != "" {
			c.pinyin[p.Code] = p.Pinyin
		}
	}
}

// catalog returns the catalog, made again after a change.
func (s *Server) catalog(ctx context.Context) (*catalog, error) {
	c := &s.catCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cat != nil {
		return c.cat, nil
	}
	if c.entries == nil {
		entries, pinyin := map[int64]*entry{}, map[string]string{}
		err := s.store.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
			if p.Code != "" {
				pinyin[p.Code] = p.Pinyin
			}
			entries[p.ID] = newEntry(p)
			return nil
		})
		if err != nil {
			return nil, err
		}
		c.entries, c.pinyin = entries, pinyin
	}
	c.cat = s.summarise(c.entries, c.pinyin)
	return c.cat, nil
}

// summarise makes the catalog of the entries: sorted by pinyin, counted by
// class, subclass, district, heritage list and first letter.
func (s *Server) summarise(entries map[int64]*entry, pinyin map[string]string) *catalog {
	cat := &catalog{Entries: make([]*entry, 0, len(entries)), byID: make(map[int64]*entry, len(entries))}
	classes, subs, districts, heritage, letters := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for id, e := range entries {
		cat.byID[id] = e
		cat.Entries = append(cat.Entries, e)
		for _, h := range e.Heritage {
			heritage[h]++
		}
		if e.Letter != "" {
			letters[e.Letter]++
		}
		if e.Class != "" {
			classes[e.Class]++
		}
		if e.Subclass != "" {
			subs[e.Subclass]++
		}
		for _, a := range e.Admin {
			if len(a) == 6 && a != e.Code {
				districts[a]++
			}
		}
	}
	cat.Total = len(cat.Entries)
	sort.Slice(cat.Entries, func(i, j int) bool {
		a, b := cat.Entries[i], cat.Entries[j]
		if a.slug != b.slug {
			return a.slug < b.slug
		}
		return a.ID < b.ID
	})
	sorted := func(m map[string]int, name func(string) string) []count {
		var out []count
		for k, n := range m {
			out = append(out, count{Key: k, Name: name(k), N: n})
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].N != out[j].N {
				return out[i].N > out[j].N
			}
			return out[i].Key < out[j].Key
		})
		return out
	}
	same := func(k string) string { return k }
	cat.Classes = sorted(classes, same)
	cat.Subclasses = sorted(subs, same)
	cat.Heritage = sorted(heritage, same)
	admin := s.adminNames()
	cat.Districts = sorted(districts, func(k string) string {
		if n, ok := admin[k]; ok {
			return n
		}
		return k
	})
	sort.Slice(cat.Districts, func(i, j int) bool { return cat.Districts[i].Key < cat.Districts[j].Key })
	for i := range cat.Districts {
		cat.Districts[i].Pinyin = pinyin[cat.Districts[i].Key]
	}
	for l := 'A'; l <= 'Z'; l++ {
		if n := letters[string(l)]; n > 0 {
			cat.Letters = append(cat.Letters, count{Key: string(l), Name: string(l), N: n})
		}
	}
	return cat
}

// palette colours the map's layers by census class (大类), the legend and the
// map script share it. Colours keep a 3:1 contrast against the map's pale
// background (WCAG 1.4.11, non-text contrast).
var palette = []struct{ Class, Color string }{
	{"纪念地旅游景点", "#b3261e"},
	{"建筑物", "#7b3f00"},
	{"交通运输设施", "#1f5fa8"},
	{"陆地水系", "#00639b"},
	{"水利电力通信设施", "#005f73"},
	{"居民点", "#5b4a9e"},
	{"行政区域", "#4a4a4a"},
	{"群众自治组织", "#6d5e00"},
	{"非行政区域", "#2e6b30"},
	{"单位", "#8a4f7d"},
	{"陆地地形", "#55701f"},
}

// classColor is a class's map colour ("#555555" for any other).
func classColor(class string) string {
	for _, c := range palette {
		if c.Class == class {
			return c.Color
		}
	}
	return "#555555"
}
