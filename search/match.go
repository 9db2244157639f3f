package search

import (
	"strings"
	"unicode/utf8"
)

// How a name matched a query, best first. The ranking in the issue: exact
// standard name, then prefix, then alias or historical names, then partial.
const (
	howExact      = "exact"
	howPrefix     = "prefix"
	howInitials   = "initials"
	howContains   = "contains"
	howInitPrefix = "initials_prefix"
	howScattered  = "characters" // every character pair present, not contiguous
	howFuzzy      = "fuzzy"
)

var howScore = map[string]float64{
	howExact: 100, howPrefix: 90, howInitials: 80, howContains: 70, howInitPrefix: 60, howScattered: 50, howFuzzy: 40,
}

// nonStandardPenalty puts a non-standard name one tier below the same kind of
// match on a standard name: an exact alias ranks under a standard prefix.
const nonStandardPenalty = 15

// qtext is an analysed query text.
type qtext struct {
	norm   string   // normalized (simplified, lower case, no spaces/punctuation)
	han    bool     // contains Han characters
	latin  bool     // contains ASCII letters
	combos []string // toneless pinyin of the whole query, per reading combination
	runes  []rune
}

func analyse(text string) qtext {
	q := qtext{norm: normalize(text)}
	q.runes = []rune(q.norm)
	for _, r := range q.runes {
		if isHan(r) {
			q.han = true
		} else if r < utf8.RuneSelf && (r >= 'a' && r <= 'z') {
			q.latin = true
		}
	}
	if q.latin {
		for _, c := range readingCombos(readingUnits(q.norm)) {
			if j := strings.Join(c, ""); !contains(q.combos, j) {
				q.combos = append(q.combos, j)
			}
		}
	}
	return q
}

// charMode is true for queries answered through the character fields (pure
// Han or digits); otherwise the pinyin fields answer them.
func (q qtext) charMode() bool { return !q.latin }

// match is how one name matched: kind of match and span in the name's
// normalized runes [start, end).
type match struct {
	how        string
	start, end int
}

// classify decides how a name (already normalized) matched the query.
func classify(norm string, q qtext) (m match, ok bool) {
	if q.norm == "" {
		return m, false
	}
	if q.charMode() {
		nr := []rune(norm)
		switch {
		case norm == q.norm:
			return match{howExact, 0, len(nr)}, true
		case strings.HasPrefix(norm, q.norm):
			return match{howPrefix, 0, len(q.runes)}, true
		}
		if i := strings.Index(norm, q.norm); i >= 0 {
			s := utf8.RuneCountInString(norm[:i])
			return match{howContains, s, s + len(q.runes)}, true
		}
		// every query bigram present somewhere: span from first to last
		first, last := -1, -1
		for i := 0; i+1 < len(q.runes); i++ {
			j := strings.Index(norm, string(q.runes[i:i+2]))
			if j < 0 {
				return m, false
			}
			s := utf8.RuneCountInString(norm[:j])
			if first < 0 || s < first {
				first = s
			}
			if s+2 > last {
				last = s + 2
			}
		}
		if first >= 0 {
			return match{howScattered, first, last}, true
		}
		return m, false
	}
	us := readingUnits(norm)
	// A unit may be a whole ASCII run: unit offsets convert to rune offsets.
	off := make([]int, len(us)+1)
	for i, u := range us {
		off[i+1] = off[i] + utf8.RuneCountInString(u.text)
	}
	best := match{}
	set := func(c match) {
		if best.how == "" || howScore[c.how] > howScore[best.how] {
			best = c
		}
	}
	try := func(c match) { // c in unit offsets
		c.start, c.end = off[c.start], off[c.end]
		set(c)
	}
	for _, lat := range q.combos {
		// whole-syllable pinyin, starting at each unit
		for i := range us {
			if end, partial, ok := pinyinAt(us, i, lat); ok {
				switch {
				case i == 0 && end == len(us) && !partial:
					try(match{howExact, 0, end})
				case i == 0:
					try(match{howPrefix, 0, end})
				default:
					try(match{howContains, i, end})
				}
				break
			}
		}
		if best.how == howExact {
			break
		}
		// initials
		for _, c := range readingCombos(us) {
			in := initials(c)
			switch {
			case in == lat && len(us) > 1:
				try(match{howInitials, 0, len(us)})
			case len(lat) >= 2 && strings.HasPrefix(in, lat):
				try(match{howInitPrefix, 0, min(len(lat), len(us))})
			}
			if len(lat) >= 5 && best.how == "" && levenshtein1(strings.Join(c, ""), lat) {
				try(match{howFuzzy, 0, len(us)})
			}
		}
		// Latin-script names (and digits) compare as text
		if i := strings.Index(norm, lat); i >= 0 && !q.han {
			s := utf8.RuneCountInString(norm[:i])
			e := s + utf8.RuneCountInString(lat)
			switch {
			case norm == lat:
				set(match{howExact, 0, e})
			case i == 0:
				set(match{howPrefix, 0, e})
			default:
				set(match{howContains, s, e})
			}
		}
	}
	if best.how == "" {
		return best, false
	}
	return best, true
}

// pinyinAt matches q against the readings of us from unit i on. The last
// syllable may be incomplete (partial), as while typing "shantangj".
func pinyinAt(us []unit, i int, q string) (end int, partial, ok bool) {
	if q == "" {
		return i, false, true
	}
	if i >= len(us) {
		return 0, false, false
	}
	for _, r := range us[i].readings {
		if strings.HasPrefix(q, r) {
			if e, p, ok := pinyinAt(us, i+1, q[len(r):]); ok {
				return e, p, true
			}
		} else if strings.HasPrefix(r, q) {
			return i + 1, true, true
		}
	}
	return 0, false, false
}

// levenshtein1 reports whether a and b are at most one edit apart, counting
// a swap of adjacent letters as one edit (as bleve's fuzzy query does).
func levenshtein1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la == lb {
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] {
			return true
		}
	}
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		return a[i+1:] == b[i+1:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// normMap normalizes a name rune by rune and returns, for each normalized
// rune, the index of the original rune it came from; used to place a
// highlight span on the name as written.
func normMap(s string) (norm string, idx []int) {
	var b strings.Builder
	i := 0
	for _, r := range s {
		n := normalize(string(r))
		for range n {
			idx = append(idx, i)
		}
		b.WriteString(n)
		i++
	}
	return b.String(), idx
}
