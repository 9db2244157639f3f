package search

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
)

// A compact index is the search index of a static site: what a server's
// index keeps beside bleve (the places, the tokens of every name, the hot
// lists) in one JSON document, written by WriteCompact at build time and
// opened by OpenCompact in the browser (the search compiled to
// WebAssembly, search/wasm). Opening it rebuilds the name table, the
// syllable index and, in place of bleve, postings of the same terms
// (memtext.go), which score as bleve does: one ranking, the same code, in
// both places.

// compactFormat names the layout of a compact index; OpenCompact refuses
// another.
const compactFormat = "wumen-compact 1"

type compactFile struct {
	Format string `json:"format"`
	// Places and, for each, the tokens of each of its names.
	Places []*entry          `json:"places"`
	Tokens [][]compactTokens `json:"tokens"`
	Hot    []hotLine         `json:"hot,omitempty"`
	Stop   []string          `json:"stop,omitempty"` // English stop words (english.go)
	// Paths are the site paths of the places\' pages, by place id.
	Paths map[int64]string `json:"paths,omitempty"`
}

// compactTokens are the tokens of one name (nameTokens without the
// syllable runs, which only hot lists use, and those are shipped built).
type compactTokens struct {
	Norm     string   `json:"n"`
	Text     []string `json:"t,omitempty"`
	Pinyin   []string `json:"p,omitempty"`
	Initials []string `json:"i,omitempty"`
	English  []string `json:"e,omitempty"`
}

// WriteCompact writes the compact index of ix to w (see OpenCompact).
// paths, when given, are the site paths of place pages, which the index
// then tells (PagePath).
func (ix *Index) WriteCompact(w io.Writer, paths map[int64]string) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	cf := compactFile{Format: compactFormat, Stop: englishStopWords(), Paths: paths}
	ids := make([]int64, 0, len(ix.places))
	for id := range ix.places {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		e := *ix.places[id]
		e.Area, e.area, e.Bound = nil, nil, nil // reverse lookup is the server's
		nts := e.tokens()
		ts := make([]compactTokens, len(nts))
		for k, nt := range nts {
			ts[k] = compactTokens{Norm: nt.norm, Text: nt.text, Pinyin: nt.pinyin, Initials: nt.initials, English: nt.english}
		}
		cf.Places = append(cf.Places, &e)
		cf.Tokens = append(cf.Tokens, ts)
	}
	keys := make([]string, 0, len(ix.hot))
	for k := range ix.hot {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cf.Hot = append(cf.Hot, ix.hot[k].line(k))
	}
	return json.NewEncoder(w).Encode(cf)
}

// OpenCompact opens a compact index written by WriteCompact. The index
// answers Search and Autocomplete as the server's does; it cannot be
// changed (Upsert and Delete are a server's).
func OpenCompact(r io.Reader) (*Index, error) {
	var cf compactFile
	if err := json.NewDecoder(r).Decode(&cf); err != nil {
		return nil, fmt.Errorf("search: reading the compact index: %w", err)
	}
	if cf.Format != compactFormat {
		return nil, fmt.Errorf("search: the compact index is of format %q, want %q: rebuild the site", cf.Format, compactFormat)
	}
	if len(cf.Tokens) != len(cf.Places) {
		return nil, fmt.Errorf("search: the compact index has tokens for %d places of %d", len(cf.Tokens), len(cf.Places))
	}
	setEnglishStopWords(cf.Stop)
	ix := &Index{places: make(map[int64]*entry, len(cf.Places)), codes: map[string]string{}, adminOf: map[string]adminRef{},
		names: newNameTable(), syl: newSyllableIndex()}
	mt := newMemText()
	var items []nameItem
	for i, e := range cf.Places {
		if len(cf.Tokens[i]) != len(e.Names) {
			return nil, fmt.Errorf("search: the compact index has tokens for %d names of place %d, which has %d", len(cf.Tokens[i]), e.ID, len(e.Names))
		}
		ix.places[e.ID] = e
		filt := append(e.facetTerms(), e.filterTerms()...)
		for k, ct := range cf.Tokens[i] {
			nt := nameTokens{norm: ct.Norm, text: ct.Text, pinyin: ct.Pinyin, initials: ct.Initials, english: ct.English}
			items = nameItems(items, e, k, nt)
			for _, t := range nt.text {
				ix.syl.addTerm(t)
			}
			mt.add(e, k, nt, filt)
		}
	}
	slices.SortFunc(items, cmpItem)
	ix.names.load([][]nameItem{items})
	ix.hot = make(map[string]*hotList, len(cf.Hot))
	for _, hl := range cf.Hot {
		ix.hot[hl.Key] = hl.list(ix.places)
	}
	ix.text = mt
	ix.paths = cf.Paths
	ix.index()
	return ix, nil
}

// PagePath is the site path of a place's page, as the static build that
// wrote a compact index gave it ("" when it gave none).
func (ix *Index) PagePath(id int64) string { return ix.paths[id] }
