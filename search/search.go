package search

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
)

// Result is one page of search results.
type Result struct {
	Hits []Hit `json:"hits"`
	// Total is the number of matching names (a place matching by two names
	// counts twice, so it is an upper bound on places). TotalApprox is set
	// when a large spatial filter was applied to the best candidates only.
	Total       uint64        `json:"total"`
	TotalApprox bool          `json:"total_approx,omitempty"`
	Facets      *Facets       `json:"facets,omitempty"`
	Took        time.Duration `json:"took"`
}

// Hit is one place found.
type Hit struct {
	ID    int64   `json:"id"`
	Score float64 `json:"score"`
	// Name is the standard name; Matched says which name matched and how.
	Name     string           `json:"name"`
	Matched  Matched          `json:"matched"`
	Class    string           `json:"class,omitempty"`
	Subclass string           `json:"subclass,omitempty"`
	Status   gazetteer.Status `json:"status,omitempty"`
	Admin    []string         `json:"admin,omitempty"`
	Heritage []string         `json:"heritage,omitempty"`
	Pinyin   string           `json:"pinyin,omitempty"`
	// English is the place's English name (official first), when it has one.
	English string     `json:"english,omitempty"`
	Point   *orb.Point `json:"point,omitempty"`
	// DistanceM is the great-circle distance in metres from Query.Near (or
	// Focus), when one was given.
	DistanceM *float64 `json:"distance_m,omitempty"`
}

// Matched is the name that matched: "matched 平江府, historical".
type Matched struct {
	Text  string `json:"text"`
	Kind  string `json:"kind"`
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// How is exact, prefix, initials, contains, initials_prefix, characters
	// or fuzzy.
	How  string `json:"how"`
	Span Span   `json:"span"`
}

// Span is the matched part of Matched.Text, as byte and rune offsets [start, end).
type Span struct {
	Start     int `json:"start"`
	End       int `json:"end"`
	RuneStart int `json:"rune_start"`
	RuneEnd   int `json:"rune_end"`
}

// Facets count matching names by category (class and subclass), district
// (county-level admin code) and heritage list.
type Facets struct {
	Category []FacetCount `json:"category"`
	District []FacetCount `json:"district"`
	Heritage []FacetCount `json:"heritage"`
}

// FacetCount is one facet value and how many names have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Query boosts in bleve. They put candidates in roughly the final order so
// the re-ranking window holds the right ones; the final order is decided by
// classify (exact, prefix, …) and the tie-breakers.
const (
	boostExact    = 10
	boostPrefix   = 5
	boostGeneric  = 6
	boostInitials = 4
	boostSub      = 2
	boostPySub    = 2
)

// maxRegionPlaces bounds the places a spatial filter hands to bleve as
// document IDs; above it the filter is applied to the best candidates.
const maxRegionPlaces = 20000

// Search finds places by any of their names, with filters and facets.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(false); err != nil {
		return nil, err
	}
	return ix.search(ctx, q, false)
}

// search runs q and, unless its first hit is an exact name, also q read as
// "admin unit + name" (常熟虞山 → 虞山 within 常熟市); that reading wins when
// it finds an exact name, or when q found nothing better than a partial.
func (ix *Index) search(ctx context.Context, q Query, prefixOnly bool) (*Result, error) {
	r, err := ix.run(ctx, q, prefixOnly, false)
	if err == nil && len(r.Hits) == 0 && !prefixOnly && analyse(q.Text).latin {
		// Only pinyin that matches nothing is read as having a typo: the
		// fuzzy clause is the costliest, and a real reading would bury the
		// typo's target under its own matches anyway.
		r, err = ix.run(ctx, q, prefixOnly, true)
	}
	if err != nil || q.From > 0 || len(r.Hits) > 0 && r.Hits[0].Matched.How == howExact {
		return r, err
	}
	r2, err := ix.withAdminPrefix(ctx, q, prefixOnly)
	if err != nil || r2 == nil || len(r2.Hits) == 0 {
		return r, err
	}
	if len(r.Hits) == 0 || r2.Hits[0].Matched.How == howExact ||
		howScore[r.Hits[0].Matched.How] < howScore[howPrefix] && r2.Hits[0].Score > r.Hits[0].Score {
		return r2, nil
	}
	return r, nil
}

// withAdminPrefix retries a query that found nothing as "admin unit + name"
// (苏州阊门 → 阊门 within 苏州市), the way addresses are written.
func (ix *Index) withAdminPrefix(ctx context.Context, q Query, prefixOnly bool) (*Result, error) {
	qt := analyse(q.Text)
	if !qt.charMode() || q.Admin != "" {
		return nil, nil
	}
	ix.mu.RLock()
	code, rest := ix.adminPrefix(qt.norm)
	ix.mu.RUnlock()
	if code == "" || rest == "" {
		return nil, nil
	}
	q.Text, q.Admin = rest, code
	return ix.run(ctx, q, prefixOnly, false)
}

// Autocomplete is Search for as-you-type input: it matches whole names and
// name prefixes only (characters, pinyin, initials), ignores facets, and
// boosts places near Focus.
func (ix *Index) Autocomplete(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(true); err != nil {
		return nil, err
	}
	q.Facets = false
	return ix.search(ctx, q, true)
}

func termQuery(field, v string, boost float64) query.Query {
	t := query.NewTermQuery(v)
	t.SetField(field)
	t.SetBoost(boost)
	return t
}

// anyTerm matches any of the terms of one field.
func anyTerm(field string, terms []string) query.Query {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return termQuery(field, terms[0], 1)
	}
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = termQuery(field, t, 1)
	}
	return query.NewDisjunctionQuery(qs)
}

// bigrams lists the distinct Han bigrams of rs.
func bigrams(rs []rune) []string {
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		bg := string(rs[i : i+2])
		if isHan(rs[i]) && isHan(rs[i+1]) && !contains(out, bg) {
			out = append(out, bg)
		}
	}
	return out
}

// textOptions shape textQuery: prefixOnly for autocomplete; hot takes over a clause it can answer from the hot
// list of this key; common tells how many names share a hot key.
type textOptions struct {
	prefixOnly bool
	fuzzy      bool // English words within one edit (english.go)
	hot        func(key string) bool
	common     func(key string) int // names sharing a hot key, 0 if not hot
}

// textQuery builds the bleve query for the analysed text: what the name
// table cannot answer, that is a name containing the query (characters, or
// pinyin through the characters read so), the 通名 of a one-character query,
// It is nil when nothing is left for bleve.
func (ix *Index) textQuery(qt qtext, opt textOptions) query.Query {
	var qs []query.Query
	add := func(c query.Query) {
		if c != nil {
			qs = append(qs, c)
		}
	}
	term := func(v string, boost float64) query.Query {
		if opt.hot != nil && opt.hot(hotKeyOf(v)) {
			return nil
		}
		return termQuery(fText, v, boost)
	}
	if qt.charMode() {
		if len(qt.runes) == 1 && isHan(qt.runes[0]) {
			add(term(qt.norm+genericMark, boostGeneric))
		}
		if opt.prefixOnly {
			return disjunction(qs)
		}
		if len(qt.runes) == 1 && isHan(qt.runes[0]) {
			add(term(qt.norm, boostSub))
		} else if bs := bigrams(qt.runes); len(bs) == 1 {
			add(term(bs[0], boostSub))
		} else if len(bs) > 1 {
			add(bigramConj(bs, opt.common, term))
		}
		return disjunction(qs)
	}
	if opt.prefixOnly {
		return nil
	}
	for _, lat := range qt.combos {
		if opt.hot != nil && opt.hot(hotKeyOf(lat)) {
			continue // a common syllable or pair of syllables
		}
		add(termQuery(fText, lat, boostSub)) // a Latin run of a name (SIP)
		if c := ix.pinyinContains(lat); c != nil {
			c.SetBoost(boostPySub)
			add(c)
		}
	}
	add(englishQuery(qt.words, opt.fuzzy)) // words of English names
	return disjunction(qs)
}

// bigramConj is the conjunction of the bigram terms of a query of three or
// more characters; bigrams shared by thousands of names are left out while
// a rarer one remains, since a leapfrogging conjunction still walks them
// (classify checks the candidates, so this only widens the set it is
// given). A single remaining term may be answered by a hot list.
func bigramConj(bs []string, common func(string) int, term func(string, float64) query.Query) query.Query {
	var keep, rare []string
	rarest := -1
	for _, bg := range bs {
		n := 0
		if common != nil {
			n = common(hotKeyOf(bg))
		}
		if n == 0 {
			keep = append(keep, bg)
			continue
		}
		if rarest < 0 || n < rarest {
			rarest = n
			rare = append([]string{bg}, rare...)
		}
	}
	if len(keep) == 0 && len(rare) > 0 {
		keep = rare[:1] // all common: the rarest stands for them
	}
	switch len(keep) {
	case 0:
		return nil
	case 1:
		return term(keep[0], boostSub)
	}
	cs := make([]query.Query, len(keep))
	for i, t := range keep {
		cs[i] = termQuery(fText, t, 1)
	}
	c := query.NewConjunctionQuery(cs)
	c.SetBoost(boostSub)
	return c
}

// pinyinContains finds names containing lat as whole syllables, through
// the characters and bigrams read so (syllables.go): one syllable is any of
// its characters; two or more are a chain of bigrams, each any of those
// read as that pair. Every way of splitting lat into syllables is tried
// (xian: xian, xi an).
func (ix *Index) pinyinContains(lat string) *query.DisjunctionQuery {
	var alts []query.Query
	for _, seg := range ix.syl.segment(lat) {
		if len(seg) == 1 {
			if c := anyTerm(fText, ix.syl.chars[seg[0]]); c != nil {
				alts = append(alts, c)
			}
			continue
		}
		var chain []query.Query
		for i := 0; i+1 < len(seg); i++ {
			c := anyTerm(fText, ix.syl.pairs[seg[i]+" "+seg[i+1]])
			if c == nil {
				chain = nil
				break
			}
			chain = append(chain, c)
		}
		switch len(chain) {
		case 0:
		case 1:
			alts = append(alts, chain[0])
		default:
			alts = append(alts, query.NewConjunctionQuery(chain))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(alts)
}

// disjunction is nil when no clause is left.
func disjunction(qs []query.Query) query.Query {
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}

// heritageValue is the heritage filter as matched: "true", "yes" and "1"
// mean any list.
func heritageValue(h string) string {
	if h == "true" || h == "yes" || h == "1" {
		return "any"
	}
	return h
}

// filterQueries builds the filter clauses of q; memFilter is the same test
// on an entry, for the name table.
func filterQueries(q Query) []query.Query {
	var fs []query.Query
	if q.Category != "" {
		fs = append(fs, termQuery(fFacet, fpCategory+q.Category, 0))
	}
	if q.Admin != "" {
		fs = append(fs, termQuery(fFilter, fpAdmin+significantCode(q.Admin), 0))
	}
	if h := heritageValue(q.Heritage); h != "" {
		fs = append(fs, query.NewDisjunctionQuery([]query.Query{
			termQuery(fFacet, fpHeritage+h, 0), termQuery(fFilter, fpLevel+h, 0)}))
	}
	if q.Status != "" {
		fs = append(fs, termQuery(fFilter, fpStatus+string(q.Status), 0))
	}
	if q.Year != 0 {
		y := float64(q.Year)
		lo, hi := float64(minYear), float64(maxYear)
		t := true
		from := query.NewNumericRangeInclusiveQuery(&lo, &y, &t, &t)
		from.SetField(fYearFrom)
		to := query.NewNumericRangeInclusiveQuery(&y, &hi, &t, &t)
		to.SetField(fYearTo)
		fs = append(fs, query.NewDisjunctionQuery([]query.Query{
			termQuery(fFilter, fpUndated, 0), query.NewConjunctionQuery([]query.Query{from, to})}))
	}
	for _, f := range fs {
		if b, ok := f.(query.BoostableQuery); ok {
			b.SetBoost(0) // filters do not score
		}
	}
	return fs
}

// memFilter applies a query's filters to an entry and one of its names, as
// filterQueries does in bleve, plus the spatial ones.
type memFilter struct {
	q     Query
	admin string
	her   string
	none  bool
}

func newMemFilter(q Query) *memFilter {
	f := &memFilter{q: q, her: heritageValue(q.Heritage)}
	if q.Admin != "" {
		f.admin = significantCode(q.Admin)
	}
	f.none = q.Category == "" && q.Admin == "" && f.her == "" && q.Status == "" && q.Year == 0 && q.BBox == nil && q.Near == nil
	return f
}

func (f *memFilter) ok(e *entry, n nameRec) bool {
	if f.none {
		return true
	}
	q := f.q
	if q.Category != "" && e.Class != q.Category && e.Subclass != q.Category {
		return false
	}
	if q.Status != "" && e.Status != q.Status {
		return false
	}
	if f.admin != "" {
		found := false
		eachAdminToken(e.Admin, func(a string) { found = found || a == f.admin })
		if !found {
			return false
		}
	}
	if f.her != "" {
		found := false
		for _, h := range e.Heritage {
			found = found || f.her == "any" || h.List == f.her || h.Level == f.her
		}
		if !found {
			return false
		}
	}
	if q.Year != 0 {
		if from, to, dated := nameYears(n.Start, n.End); dated && (q.Year < from || q.Year > to) {
			return false
		}
	}
	if q.BBox != nil || q.Near != nil {
		if e.Point == nil || q.BBox != nil && !q.BBox.Contains(*e.Point) ||
			q.Near != nil && geo.DistanceHaversine(*q.Near, *e.Point) > q.RadiusM {
			return false
		}
	}
	return true
}

type scored struct {
	e     *entry
	k     int // index of the matched name
	m     match
	ok    bool
	score float64
	bleve float64
	dist  float64
}

// cand is a candidate name before ranking.
type cand struct {
	e     *entry
	k     int
	score float64 // bleve's, or the name table's estimate
}

func (c cand) better(o cand) bool {
	return c.score > o.score || c.score == o.score && c.e.ID < o.e.ID
}

// topCands keeps the best n candidates by score (ties: lower place id).
type topCands struct {
	n    int
	list []cand
}

func (t *topCands) add(c cand) {
	if len(t.list) == t.n && !c.better(t.list[t.n-1]) {
		return
	}
	i := sort.Search(len(t.list), func(i int) bool { return c.better(t.list[i]) })
	if len(t.list) < t.n {
		t.list = append(t.list, cand{})
	}
	copy(t.list[i+1:], t.list[i:])
	t.list[i] = c
}

// prefixMark begins the hot key of a name prefix: one character (^新) or up
// to prefixHotLetters letters of pinyin (^s, ^sh); longer prefixes are
// narrow enough to scan (sha…: about 3% of the keys).
const (
	prefixMark       = "^"
	prefixHotLetters = 2
)

// tableKeys are the keys a query looks up in the name table.
func tableKeys(qt qtext) []string {
	if qt.charMode() {
		return []string{qt.norm}
	}
	return qt.combos
}

// tableScan calls f with every item of the name table that is key or begins
// with it, for the query's kind of key, and passes the filters.
func (ix *Index) tableScan(qt qtext, key string, mf *memFilter, f func(it nameItem, exact bool) bool) {
	ix.names.scan(key, func(it nameItem, exact bool) bool {
		if qt.charMode() && it.kind != keyText || !mf.none && !mf.ok(it.e, it.e.Names[it.k]) {
			return true
		}
		return f(it, exact)
	})
}

// tableMatches finds, in the name table, the names that are or begin with
// the query (characters, pinyin or initials) and pass the filters: the best
// limit of them by the ranking's estimate, and how many there are. A prefix
// shared by very many names is answered from its hot list when useHot
// (no filters, first page), and its count is then approximate.
func (ix *Index) tableMatches(qt qtext, mf *memFilter, limit int, useHot bool) (cands []cand, count int, approx bool) {
	top := topCands{n: limit}
	for _, key := range tableKeys(qt) {
		if key == "" {
			continue
		}
		short := len(key) <= prefixHotLetters
		if qt.charMode() {
			short = utf8.RuneCountInString(key) == 1
		}
		if l := ix.hot[prefixMark+key]; useHot && short && l != nil {
			for _, it := range l.top {
				top.add(cand{it.e, int(it.k), float64(it.score)})
			}
			count += l.count
			approx = true
			// whole-key matches are not in a prefix list: look them up
			ix.names.t.Ascend(pivot(key), func(it nameItem) bool {
				if it.key != key {
					return false
				}
				if !qt.charMode() || it.kind == keyText {
					top.add(cand{it.e, int(it.k), estimate(it, true)})
				}
				return true
			})
			continue
		}
		ix.tableScan(qt, key, mf, func(it nameItem, exact bool) bool {
			count++
			if c := (cand{it.e, int(it.k), estimate(it, exact)}); len(top.list) < top.n || c.score >= top.list[top.n-1].score {
				top.add(c)
			}
			return true
		})
	}
	if !qt.charMode() && count > 0 {
		approx = true // a name may match by its pinyin and by its initials
	}
	return top.list, count, approx
}

// minTypoLetters is the shortest pinyin read as having a typo.
const minTypoLetters = 5

// typoMatches finds the names whose whole pinyin is one edit from the
// query's (a letter dropped, added, changed, or two swapped), as a
// Levenshtein automaton would, by looking each variant up in the name table:
// about 30 lookups per letter, a fraction of a millisecond.
func (ix *Index) typoMatches(qt qtext, mf *memFilter, limit int) (cands []cand, count int) {
	top := topCands{n: limit}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	seen := map[string]bool{}
	look := func(v string) {
		if seen[v] {
			return
		}
		seen[v] = true
		ix.names.t.Ascend(pivot(v), func(it nameItem) bool {
			if it.key != v {
				return false
			}
			// pinyin, or a Latin name's text (tigerhil: Tiger Hill); a
			// variant of Latin letters never equals a key of characters
			if it.kind != keyInitials && (mf.none || mf.ok(it.e, it.e.Names[it.k])) {
				count++
				top.add(cand{it.e, int(it.k), howScore[howFuzzy] + float64(it.tie)})
			}
			return true
		})
	}
	for _, lat := range qt.combos {
		if len(lat) < minTypoLetters {
			continue
		}
		seen[lat] = true // the query itself is no typo
		for i := 0; i <= len(lat); i++ {
			for _, c := range letters {
				look(lat[:i] + string(c) + lat[i:]) // a letter added
			}
			if i == len(lat) {
				break
			}
			look(lat[:i] + lat[i+1:]) // dropped
			for _, c := range letters {
				look(lat[:i] + string(c) + lat[i+1:]) // changed
			}
			if i+1 < len(lat) {
				look(lat[:i] + lat[i+1:i+2] + lat[i:i+1] + lat[i+2:]) // swapped
			}
		}
	}
	return top.list, count
}

// estimate is the rank a name table item will get (rankScore), known
// without classifying it: the tier from the kind of key and whether it is
// the whole key, plus the tie-breakers.
func estimate(it nameItem, exact bool) float64 {
	var s float64
	switch {
	case it.kind == keyInitials && exact:
		s = howScore[howInitials]
	case it.kind == keyInitials:
		s = howScore[howInitPrefix]
	case exact:
		s = howScore[howExact]
	default:
		s = howScore[howPrefix]
	}
	if it.variant {
		s -= variantPenalty
	}
	return s + float64(it.tie)
}

func (ix *Index) run(ctx context.Context, q Query, prefixOnly, fuzzy bool) (*Result, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	qt := analyse(q.Text)
	filters := filterQueries(q)
	mf := newMemFilter(q)

	ix.mu.RLock()
	defer ix.mu.RUnlock()

	window := q.From + q.Size
	if prefixOnly {
		window = max(3*window, 30)
	} else {
		window = max(2*window, 100)
	}
	// Without filters, and for a first page, very common keys are answered
	// from the hot lists instead of scoring their postings.
	useHot := len(filters) == 0 && q.BBox == nil && q.Near == nil && q.From+q.Size <= hotK
	var lists []*hotList
	var hook func(key string) bool
	if useHot {
		hook = func(key string) bool {
			if l := ix.hot[key]; l != nil {
				lists = append(lists, l)
				return true
			}
			return false
		}
	}
	// Whole names and prefixes: the name table.
	var tab []cand
	var tabCount int
	approx := false
	if qt.norm != "" {
		tab, tabCount, approx = ix.tableMatches(qt, mf, window, useHot)
		if fuzzy {
			typos, n := ix.typoMatches(qt, mf, window)
			tab, tabCount = append(tab, typos...), tabCount+n
		}
	}
	// A spatial filter: by document id when the region is small enough,
	// otherwise applied to the best candidates.
	var region map[int64]*entry
	var inRegion query.Query
	if q.BBox != nil || q.Near != nil {
		region = ix.spatial.inRegion(q.BBox, q.Near, q.RadiusM)
		if len(region) <= maxRegionPlaces {
			ids := make([]string, 0, len(region)*2)
			for _, e := range region {
				for k := range e.Names {
					ids = append(ids, docID(e.ID, k))
				}
			}
			inRegion = query.NewDocIDQuery(ids)
			region = nil
		} else {
			window = max(window, 1000)
			approx = true
		}
	}
	// Names containing the query, and browsing by filters: bleve.
	var text query.Query
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly, fuzzy: fuzzy, hot: hook,
			common: func(key string) int {
				if l := ix.hot[key]; l != nil {
					return l.count
				}
				return 0
			}})
	}
	res := &bleve.SearchResult{}
	if text != nil || qt.norm == "" {
		req := bleve.NewSearchRequestOptions(conjunction(text, filters, inRegion), window, 0, false)
		var err error
		if res, err = ix.bi.SearchInContext(ctx, req); err != nil {
			return nil, err
		}
	}
	cands := tab
	for _, h := range res.Hits {
		id, k, err := parseDocID(h.ID)
		if err != nil {
			return nil, err
		}
		if e := ix.places[id]; e != nil && k < len(e.Names) {
			cands = append(cands, cand{e, k, h.Score})
		} // else deleted since the search began
	}
	total := res.Total
	// A character query's substring clause covers the name table's matches.
	covers := qt.charMode() && !prefixOnly && text != nil
	switch {
	case covers:
	case total == 0:
		total = uint64(tabCount)
	case tabCount > 0:
		total += uint64(tabCount) // names matching both ways count twice
		approx = true
	}
	for _, l := range lists {
		total += uint64(l.count) // names in several lists count twice
		approx = true
		for _, it := range l.top {
			cands = append(cands, cand{it.e, int(it.k), 0})
		}
	}
	ref := q.Near
	if ref == nil {
		ref = q.Focus
	}
	best := map[int64]*scored{}
	for _, c := range cands {
		e, k := c.e, c.k
		if region != nil && region[e.ID] == nil {
			continue
		}
		s := &scored{e: e, k: k, bleve: c.score, dist: -1}
		n := e.Names[k]
		s.m, s.ok = classify(normalize(n.Text), qt)
		if n.isEnglish() && len(qt.words) > 0 && (!s.ok || s.m.score() < howScore[howWords]) {
			if m, ok := classifyWords(n.Text, qt); ok && (!s.ok || m.score() > s.m.score()) {
				s.m, s.ok = m, true // administrator garden: its words, in any order
			}
		}
		s.score = rankScore(e, n, s.m, s.ok, qt)
		if ref != nil && e.Point != nil {
			s.dist = geo.DistanceHaversine(*ref, *e.Point)
			if q.Focus != nil {
				s.score += focusBonus(s.dist)
			}
		}
		if b := best[e.ID]; b == nil || s.score > b.score || s.score == b.score && s.k < b.k {
			best[e.ID] = s
		}
	}
	list := make([]*scored, 0, len(best))
	for _, s := range best {
		list = append(list, s)
	}
	byDistance := qt.norm == "" && ref != nil
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if byDistance && a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.score != b.score {
			return a.score > b.score
		}
		if a.bleve != b.bleve {
			return a.bleve > b.bleve
		}
		return a.e.ID < b.e.ID
	})
	out := &Result{Total: total, TotalApprox: approx}
	if region != nil {
		out.Total = uint64(len(list))
	}
	if q.Facets {
		var err error
		if out.Facets, out.Total, err = ix.facets(ctx, qt, prefixOnly, mf, filters, inRegion); err != nil {
			return nil, err
		}
		out.TotalApprox = region != nil
	}
	if q.From < len(list) {
		list = list[q.From:min(len(list), q.From+q.Size)]
	} else {
		list = nil
	}
	out.Hits = make([]Hit, 0, len(list))
	for _, s := range list {
		out.Hits = append(out.Hits, s.hit(qt))
	}
	out.Took = time.Since(start)
	return out, nil
}

// rankScore orders hits: the kind of match (exact, prefix, …), half a tier
// lower for a non-standard name, then heritage, importance (Place.Rank),
// shortness and, for a one-character generic, the category it names, as
// tie-breakers (together at most 5, half a tier).
func rankScore(e *entry, n nameRec, m match, ok bool, qt qtext) float64 {
	s := 0.0
	if ok {
		s = m.score()
	} else if qt.norm != "" {
		s = 30 // found by bleve (e.g. a reading combination) but not placed
	}
	s += tieScore(e, n)
	// A one-character 通名 query prefers what that generic names.
	if len(qt.runes) == 1 && m.how == howGeneric {
		for _, sc := range genericSubclasses[qt.norm] {
			if sc == e.Subclass {
				s += 2.5
				break
			}
		}
	}
	return s
}

// tieScore is the part of rankScore that depends on the name only: half a
// tier off a non-standard name, heritage, importance and shortness.
func tieScore(e *entry, n nameRec) float64 {
	s := 0.0
	if n.Kind != gazetteer.KindStandard {
		s -= nonStandardPenalty
	}
	if len(e.Heritage) > 0 {
		s += 1.5
	}
	s += math.Max(0, math.Min(1, e.Rank))
	// The shorter of two names sharing a prefix is usually the one the
	// longer is named after (金鸡湖 before 金鸡湖街道, Tiger Hill before
	// Tiger Hill Pagoda).
	if l := nameLength(n.Text); l < 8 {
		s += float64(8-max(l, 2)) / 4 // ≤ 1.5
	}
	return s
}

// nameLength is a name's length in characters, a Latin name's counted as
// the characters it would take in Chinese: about one per four letters of
// its normalized form (Tiger Hill 3, Tiger Hill Pagoda 4), so that Latin
// names of different lengths are told apart as Chinese ones are.
func nameLength(text string) int {
	letters := 0
	for _, r := range text {
		if isHan(r) {
			return utf8.RuneCountInString(text)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters++ // what normalize keeps of a Latin name, without building it
		}
	}
	return (letters + 3) / 4
}

// focusBonus favours places near the focus point: up to 8 points (most of a
// tier) at the point, half at 5 km.
func focusBonus(d float64) float64 { return 8 / (1 + d/5000) }

func (s *scored) hit(qt qtext) Hit {
	e, n := s.e, s.e.Names[s.k]
	h := Hit{
		ID: e.ID, Score: math.Round(s.score*1000) / 1000, Name: e.Names[0].Text,
		Matched: Matched{Text: n.Text, Kind: n.Kind, Start: n.Start, End: n.End, How: s.m.how},
		Class:   e.Class, Subclass: e.Subclass, Status: e.Status, Admin: e.Admin, Pinyin: e.Pinyin, Point: e.Point,
	}
	for _, x := range e.Heritage {
		h.Heritage = append(h.Heritage, x.List)
	}
	h.English = e.english()
	if s.dist >= 0 {
		d := math.Round(s.dist*10) / 10
		h.DistanceM = &d
	}
	if s.ok {
		norm, idx := normMap(n.Text)
		if m, ok := classify(norm, qt); ok && m.end > m.start && m.end <= len(idx) {
			rs, re := idx[m.start], idx[m.end-1]+1
			h.Matched.Span = Span{RuneStart: rs, RuneEnd: re, Start: byteOffset(n.Text, rs), End: byteOffset(n.Text, re)}
		}
	}
	return h
}

func byteOffset(s string, runeIdx int) int {
	i := 0
	for b := range s {
		if i == runeIdx {
			return b
		}
		i++
	}
	return len(s)
}

// conjunction is the bleve query of a text clause (nil: none), filters and
// a region clause (nil: none); everything when there is nothing.
func conjunction(text query.Query, filters []query.Query, region query.Query) query.Query {
	var must []query.Query
	if text != nil {
		must = append(must, text)
	}
	must = append(must, filters...)
	if region != nil {
		must = append(must, region)
	}
	switch len(must) {
	case 0:
		return query.NewMatchAllQuery()
	case 1:
		return must[0]
	}
	return query.NewConjunctionQuery(must)
}

// facets counts every match of the query by category, district and
// heritage list, and how many names match (exactly). Hits come from the
// ranked search; this second, unscored pass only counts, and it takes the
// whole text clause (no hot lists, no dropped bigrams) so the counts are
// those of every match. Where the text clause does not cover the name
// table's matches (pinyin, initials), those are added by document id.
func (ix *Index) facets(ctx context.Context, qt qtext, prefixOnly bool, mf *memFilter, filters []query.Query, region query.Query) (*Facets, uint64, error) {
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
	var text query.Query
	if qt.norm != "" {
		text = ix.textQuery(qt, textOptions{prefixOnly: prefixOnly})
		if !qt.charMode() || prefixOnly || text == nil {
			// The name table's matches count in memory when bleve's text
			// clause adds none (initials, pinyin of three or more
			// syllables): reading doc values costs far more per name.
			if text != nil {
				n, err := ix.count(ctx, conjunction(text, filters, region))
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
				text = query.NewDisjunctionQuery([]query.Query{text, query.NewDocIDQuery(ids)})
			}
		}
	}
	req := bleve.NewSearchRequestOptions(conjunction(text, filters, region), 0, 0, false)
	req.Score = "none"
	req.AddFacet(fFacet, bleve.NewFacetRequest(fFacet, maxFacetTerms))
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	var terms []facetTerm
	if f := res.Facets[fFacet]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			terms = append(terms, facetTerm{t.Term, t.Count})
		}
	}
	return facetsFrom(terms), res.Total, nil
}

// count is how many names match q, unscored.
func (ix *Index) count(ctx context.Context, q query.Query) (uint64, error) {
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = "none"
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return res.Total, nil
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
