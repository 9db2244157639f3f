package search

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
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
	Point    *orb.Point       `json:"point,omitempty"`
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
	boostFuzzy    = 0.5
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

func prefix(field, v string, boost float64) query.Query {
	p := query.NewPrefixQuery(v)
	p.SetField(field)
	p.SetBoost(boost)
	return p
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

// textOptions shape textQuery: prefixOnly for autocomplete; fuzzy adds the
// one-typo pinyin clause; hot takes over single-term clauses it can answer
// from a hot list; common tells how many names share a hot key.
type textOptions struct {
	prefixOnly, fuzzy bool
	hot               func(field, v string) bool
	common            func(key string) int // names sharing a hot key, 0 if not hot
}

// textQuery builds the bleve query for the analysed text. hot, when not
// nil, is asked about each single-term clause and takes over those it
// answers from a hot list (hot.go); the clause is then left out.
func textQuery(qt qtext, opt textOptions) query.Query {
	prefixOnly, hot := opt.prefixOnly, opt.hot
	var qs []query.Query
	term := func(field, v string, boost float64) query.Query {
		if hot != nil && hot(field, v) {
			return nil
		}
		return termQuery(field, v, boost)
	}
	// bigramConj is the conjunction of the bigram terms; bigrams shared by
	// thousands of names are left out while a rarer one remains, since a
	// leapfrogging conjunction still walks them (classify checks the
	// candidates, so this only widens the set it is given).
	bigramConj := func(lead string, bs []string, boost float64) query.Query {
		type ft struct{ field, v string }
		var keep, common []ft
		if lead != "" {
			keep = append(keep, ft{fPrefix, lead})
		}
		rarest := -1
		for _, bg := range bs {
			n := 0
			if opt.common != nil {
				n = opt.common(hotKeyOf(fSub, bg))
			}
			if n == 0 {
				keep = append(keep, ft{fSub, bg})
				continue
			}
			if rarest < 0 || n < rarest {
				rarest = n
				common = append([]ft{{fSub, bg}}, common...)
			}
		}
		if len(keep) == 0 && len(common) > 0 {
			keep = common[:1] // all common: the rarest stands for them
		}
		switch len(keep) {
		case 0:
			return nil
		case 1: // a single term may be answered by a hot list
			return term(keep[0].field, keep[0].v, boost)
		}
		cs := make([]query.Query, len(keep))
		for i, t := range keep {
			cs[i] = termQuery(t.field, t.v, 1)
		}
		c := query.NewConjunctionQuery(cs)
		c.SetBoost(boost)
		return c
	}
	add := func(cs ...query.Query) {
		for _, c := range cs {
			if c != nil {
				qs = append(qs, c)
			}
		}
	}
	if qt.charMode() {
		add(term(fExact, qt.norm, boostExact))
		if len(qt.runes) <= maxHanPrefix {
			add(term(fPrefix, qt.norm, boostPrefix))
		} else if bs := bigrams(qt.runes[1:]); len(bs) > 0 {
			// a longer prefix: its first two characters begin the name and
			// the rest follows (classify checks the order)
			add(bigramConj(string(qt.runes[:2]), bs, boostPrefix))
		}
		if len(qt.runes) == 1 {
			add(term(fSub, qt.norm+genericMark, boostGeneric))
		}
		if !prefixOnly {
			if len(qt.runes) == 1 {
				add(term(fSub, qt.norm, boostSub))
			} else if bs := bigrams(qt.runes); len(bs) == 1 {
				add(term(fSub, bs[0], boostSub)) // may be answered by a hot list
			} else if len(bs) > 1 {
				add(bigramConj("", bs, boostSub))
			}
		}
		return disjunction(qs)
	}
	if !qt.han {
		add(term(fExact, qt.norm, boostExact)) // Latin-script names
	}
	for _, lat := range qt.combos {
		add(term(fPinyin, lat, boostExact), term(fInitials, lat, boostInitials))
		if len(lat) >= 2 && len(lat) <= maxPinyinPrefix {
			add(term(fPrefix, lat, boostPrefix))
		}
		if len(lat) > maxPinyinPrefix {
			add(prefix(fPinyin, lat, boostPrefix))
		}
		if len(lat) > maxInitialsPrefix && len(lat) <= 12 {
			add(prefix(fInitials, lat, boostInitials/2))
		}
		if !prefixOnly {
			add(term(fPySub, lat, boostPySub))
			if opt.fuzzy && len(lat) >= 5 {
				f := query.NewFuzzyQuery(lat)
				f.SetField(fPinyin)
				f.Fuzziness = 1
				f.SetBoost(boostFuzzy)
				add(f)
			}
		}
	}
	return disjunction(qs)
}

// disjunction is nil when no clause is left.
func disjunction(qs []query.Query) query.Query {
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}

// filterQueries builds the filter clauses of q.
func filterQueries(q Query) []query.Query {
	var fs []query.Query
	if q.Category != "" {
		fs = append(fs, termQuery(fCategory, q.Category, 0))
	}
	if q.Admin != "" {
		fs = append(fs, termQuery(fAdmin, significantCode(q.Admin), 0))
	}
	if h := q.Heritage; h != "" {
		if h == "true" || h == "yes" || h == "1" {
			h = "any"
		}
		fs = append(fs, query.NewDisjunctionQuery([]query.Query{
			termQuery(fHeritage, strings.ReplaceAll(h, " ", "_"), 0), termQuery(fHerLevel, h, 0)}))
	}
	if q.Status != "" {
		fs = append(fs, termQuery(fStatus, string(q.Status), 0))
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
			termQuery(fUndated, "1", 0), query.NewConjunctionQuery([]query.Query{from, to})}))
	}
	for _, f := range fs {
		if b, ok := f.(query.BoostableQuery); ok {
			b.SetBoost(0) // filters do not score
		}
	}
	return fs
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

func (ix *Index) run(ctx context.Context, q Query, prefixOnly, fuzzy bool) (*Result, error) {
	start := time.Now()
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	qt := analyse(q.Text)
	filters := filterQueries(q)

	ix.mu.RLock()
	defer ix.mu.RUnlock()

	// Without filters, and for a first page, clauses on very common keys are
	// answered from the hot lists instead of scoring their postings.
	var lists []*hotList
	var hook func(field, v string) bool
	if len(filters) == 0 && !q.Facets && q.BBox == nil && q.Near == nil && q.From+q.Size <= hotK {
		hook = func(field, v string) bool {
			if l := ix.hot[hotKeyOf(field, v)]; l != nil {
				lists = append(lists, l)
				return true
			}
			return false
		}
	}
	var must []query.Query
	if qt.norm != "" {
		opt := textOptions{prefixOnly: prefixOnly, fuzzy: fuzzy, hot: hook,
			common: func(key string) int {
				if l := ix.hot[key]; l != nil {
					return l.count
				}
				return 0
			}}
		if tq := textQuery(qt, opt); tq != nil {
			must = append(must, tq)
		}
	}
	must = append(must, filters...)

	window := q.From + q.Size
	if prefixOnly {
		window = max(3*window, 30)
	} else {
		window = max(2*window, 100)
	}
	var region map[int64]*entry
	approx := false
	if q.BBox != nil || q.Near != nil {
		region = ix.spatial.inRegion(q.BBox, q.Near, q.RadiusM)
		if len(region) <= maxRegionPlaces {
			ids := make([]string, 0, len(region)*2)
			for _, e := range region {
				for k := range e.Names {
					ids = append(ids, docID(e.ID, k))
				}
			}
			must = append(must, query.NewDocIDQuery(ids))
			region = nil
		} else {
			window = max(window, 1000)
			approx = true
		}
	}
	var bq query.Query
	switch len(must) {
	case 0:
		bq = query.NewMatchAllQuery()
	case 1:
		bq = must[0]
	default:
		bq = query.NewConjunctionQuery(must)
	}
	res := &bleve.SearchResult{}
	if len(must) > 0 || len(lists) == 0 {
		req := bleve.NewSearchRequestOptions(bq, window, 0, false)
		if q.Facets {
			req.AddFacet("category", bleve.NewFacetRequest(fCategory, 30))
			req.AddFacet("district", bleve.NewFacetRequest(fDistrict, 30))
			req.AddFacet("heritage", bleve.NewFacetRequest(fHeritage, 30))
		}
		var err error
		if res, err = ix.bi.SearchInContext(ctx, req); err != nil {
			return nil, err
		}
	}
	type cand struct {
		id    int64
		k     int
		score float64
	}
	cands := make([]cand, 0, len(res.Hits)+hotK*len(lists))
	for _, h := range res.Hits {
		id, k, err := parseDocID(h.ID)
		if err != nil {
			return nil, err
		}
		cands = append(cands, cand{id, k, h.Score})
	}
	for _, l := range lists {
		res.Total += uint64(l.count) // names in several lists count twice
		approx = true
		for _, it := range l.top {
			cands = append(cands, cand{it.e.ID, int(it.k), 0})
		}
	}
	ref := q.Near
	if ref == nil {
		ref = q.Focus
	}
	best := map[int64]*scored{}
	for _, c := range cands {
		id, k := c.id, c.k
		e := ix.places[id]
		if e == nil || k >= len(e.Names) {
			continue // deleted since the search began
		}
		if region != nil && region[id] == nil {
			continue
		}
		s := &scored{e: e, k: k, bleve: c.score, dist: -1}
		n := e.Names[k]
		s.m, s.ok = classify(normalize(n.Text), qt)
		s.score = rankScore(e, n, s.m, s.ok, qt)
		if ref != nil && e.Point != nil {
			s.dist = geo.DistanceHaversine(*ref, *e.Point)
			if q.Focus != nil {
				s.score += focusBonus(s.dist)
			}
		}
		if b := best[id]; b == nil || s.score > b.score || s.score == b.score && s.k < b.k {
			best[id] = s
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
	out := &Result{Total: res.Total, TotalApprox: approx}
	if region != nil {
		out.Total = uint64(len(list))
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
	if q.Facets {
		out.Facets = &Facets{
			Category: facetCounts(res.Facets["category"]),
			District: facetCounts(res.Facets["district"]),
			Heritage: facetCounts(res.Facets["heritage"]),
		}
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
	if n.Kind != gazetteer.KindStandard {
		s -= nonStandardPenalty
	}
	if len(e.Heritage) > 0 {
		s += 1.5
	}
	s += math.Max(0, math.Min(1, e.Rank))
	// The shorter of two names sharing a prefix is usually the one the
	// longer is named after (金鸡湖 before 金鸡湖街道).
	if l := utf8.RuneCountInString(n.Text); l < 8 {
		s += float64(8-max(l, 2)) / 4 // ≤ 1.5
	}
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

func facetCounts(f *bsearch.FacetResult) []FacetCount {
	if f == nil || f.Terms == nil {
		return nil
	}
	var out []FacetCount
	for _, t := range f.Terms.Terms() {
		out = append(out, FacetCount{Value: strings.ReplaceAll(t.Term, "_", " "), Count: t.Count})
	}
	return out
}
