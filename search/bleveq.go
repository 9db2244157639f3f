package search

// anyTerm matches any of the terms of one field.
func anyTerm(field string, terms []string) *qnode {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return termQuery(field, terms[0], 1)
	}
	qs := make([]*qnode, len(terms))
	for i, t := range terms {
		qs[i] = termQuery(field, t, 1)
	}
	return orQuery(qs)
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
func (ix *Index) textQuery(qt qtext, opt textOptions) *qnode {
	var qs []*qnode
	add := func(c *qnode) {
		if c != nil {
			qs = append(qs, c)
		}
	}
	term := func(v string, boost float64) *qnode {
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
			c.boost = boostPySub // bleve ignores the boost of a compound query
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
func bigramConj(bs []string, common func(string) int, term func(string, float64) *qnode) *qnode {
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
	cs := make([]*qnode, len(keep))
	for i, t := range keep {
		cs[i] = termQuery(fText, t, 1)
	}
	c := andQuery(cs)
	c.boost = boostSub // ignored, as above
	return c
}

// pinyinContains finds names containing lat as whole syllables, through
// the characters and bigrams read so (syllables.go): one syllable is any of
// its characters; two or more are a chain of bigrams, each any of those
// read as that pair. Every way of splitting lat into syllables is tried
// (xian: xian, xi an).
func (ix *Index) pinyinContains(lat string) *qnode {
	var alts []*qnode
	for _, seg := range ix.syl.segment(lat) {
		if len(seg) == 1 {
			if c := anyTerm(fText, ix.syl.chars[seg[0]]); c != nil {
				alts = append(alts, c)
			}
			continue
		}
		var chain []*qnode
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
			alts = append(alts, andQuery(chain))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	return orQuery(alts)
}

// disjunction is nil when no clause is left.
func disjunction(qs []*qnode) *qnode {
	if len(qs) == 0 {
		return nil
	}
	return orQuery(qs)
}

// conjunction is the bleve query of a text clause (nil: none), filters and
// a region clause (nil: none); everything when there is nothing.
func conjunction(text *qnode, filters []*qnode, region *qnode) *qnode {
	var must []*qnode
	if text != nil {
		must = append(must, text)
	}
	must = append(must, filters...)
	if region != nil {
		must = append(must, region)
	}
	switch len(must) {
	case 0:
		return &qnode{op: qAll, boost: 1}
	case 1:
		return must[0]
	}
	return andQuery(must)
}
