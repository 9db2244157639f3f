package search

import (
	"math"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
)

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

// rankCands scores every candidate (classify, rankScore, the focus bonus),
// keeps each place's best-scoring name, drops places outside region (when
// the spatial filter is applied here), and orders them: by distance when
// there is no text and a point, else by score, bleve's score and id.
func rankCands(cands []cand, qt qtext, q Query, region map[int64]*entry) []*scored {
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
	return list
}
