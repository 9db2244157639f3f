package search

import (
	"github.com/blevesearch/bleve/v2/search/query"
)

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
