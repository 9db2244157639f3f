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
	howGeneric    = "generic" // a one-character query that is the name's last character (通名)
	howInitials   = "initials"
	howContains   = "contains"
	howInitPrefix = "initials_prefix"
	howScattered  = "characters" // every character pair present, not contiguous
	howFuzzy      = "fuzzy"
	howWords      = "words" // every English word of the query in an English name (english.go)
)

var howScore = map[string]float64{
	howExact: 100, howGeneric: 91, howPrefix: 90, howInitials: 80, howContains: 70, howInitPrefix: 60, howWords: 75, howScattered: 50, howFuzzy: 40,
}

// nonStandardPenalty puts a non-standard name half a tier below the same
// kind of match on a standard name: an exact alias or historical name ranks
// under an exact standard name but above a standard name's prefix (甫里 finds
// 甪直 before 甫里社区), and an alias prefix under a standard prefix.
const nonStandardPenalty = 5

// variantPenalty is taken off a pinyin or initials match made through a
// heteronym's second reading (昆 hun) rather than the preferred one.
const variantPenalty = 3

// qtext is an analysed query text.
type qtext struct {
	norm   string   // normalized (simplified, lower case, no spaces/punctuation)
	han    bool     // contains Han characters
	latin  bool     // contains ASCII letters
	combos []string // toneless pinyin of the whole query, per reading combination
	words  []string // English words (bleve's en analyzer) of a Latin query (english.go)
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
		q.words = englishWords(text)
		for _, c := range genericReadings(text) {
			q.combos = add(q.combos, c) // Shantang street: shantangjie
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
	variant    bool // matched through a non-preferred heteronym reading
}

// classify decides how a name (already normalized) matched the query.
func classify(norm string, q qtext) (m match, ok bool) {
	if q.norm == "" {
		return m, false
	}
	if q.charMode() {
		return classifyChars(norm, q)
	}
	return classifyLatin(norm, q)
}

// classifyChars matches a query of characters (or digits) against a name:
// exact, the 通名 of a one-character query, prefix, contains, or every
// query bigram somewhere in the name.
func classifyChars(norm string, q qtext) (m match, ok bool) {
	nr := []rune(norm)
	switch {
	case norm == q.norm:
		return match{how: howExact, start: 0, end: len(nr)}, true
	case len(q.runes) == 1 && len(nr) > 1 && nr[len(nr)-1] == q.runes[0]:
		return match{how: howGeneric, start: len(nr) - 1, end: len(nr)}, true
	case strings.HasPrefix(norm, q.norm):
		return match{how: howPrefix, start: 0, end: len(q.runes)}, true
	}
	if i := strings.Index(norm, q.norm); i >= 0 {
		s := utf8.RuneCountInString(norm[:i])
		return match{how: howContains, start: s, end: s + len(q.runes)}, true
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
		return match{how: howScattered, start: first, end: last}, true
	}
	return m, false
}

// latinName is a name read as units, for matching a Latin query (pinyin,
// initials, Latin text) against it; the best match so far is kept apart
// (a pointer into it would move off to the heap).
type latinName struct {
	norm string
	us   []unit
	off  []int // unit offsets → rune offsets: a unit may be a whole ASCII run
}

// setBest keeps c (in rune offsets) if it is better than best.
func setBest(best *match, c match) {
	if best.how == "" || c.score() > best.score() {
		*best = c
	}
}

// try is setBest for c in unit offsets.
func (ln *latinName) try(best *match, c match) {
	c.start, c.end = ln.off[c.start], ln.off[c.end]
	setBest(best, c)
}

// classifyLatin matches a Latin query against a name, per reading
// combination of the query: whole-syllable pinyin at each unit, initials,
// a one-letter typo of the whole pinyin, and Latin text as text.
func classifyLatin(norm string, q qtext) (m match, ok bool) {
	us := readingUnits(norm)
	off := make([]int, len(us)+1)
	for i, u := range us {
		off[i+1] = off[i] + utf8.RuneCountInString(u.text)
	}
	ln := latinName{norm: norm, us: us, off: off}
	var best match
	for _, lat := range q.combos {
		ln.pinyin(lat, &best)
		if best.how == howExact {
			break
		}
		ln.initials(lat, &best)
		if !q.han {
			ln.text(lat, &best) // Latin-script names (and digits) compare as text
		}
	}
	if best.how == "" {
		return best, false
	}
	return best, true
}

// pinyin matches lat as whole syllables, from the first unit it starts at.
func (ln *latinName) pinyin(lat string, best *match) {
	for i := range ln.us {
		if end, partial, variant, ok := pinyinAt(ln.us, i, lat); ok {
			switch {
			case i == 0 && end == len(ln.us) && !partial:
				ln.try(best, match{how: howExact, end: end, variant: variant})
			case i == 0:
				ln.try(best, match{how: howPrefix, end: end, variant: variant})
			default:
				ln.try(best, match{how: howContains, start: i, end: end, variant: variant})
			}
			return
		}
	}
}

// initials matches lat as the initials of a reading of the name, or their
// prefix, or (five letters or more, nothing better found) the whole
// reading with one typo.
func (ln *latinName) initials(lat string, best *match) {
	for ci, c := range readingCombos(ln.us) {
		in := initials(c)
		v := ci > 0
		switch {
		case in == lat && len(ln.us) > 1:
			ln.try(best, match{howInitials, 0, len(ln.us), v})
		case len(lat) >= 2 && strings.HasPrefix(in, lat):
			ln.try(best, match{howInitPrefix, 0, min(len(lat), len(ln.us)), v})
		}
		if len(lat) >= 5 && best.how == "" && levenshtein1(strings.Join(c, ""), lat) {
			ln.try(best, match{howFuzzy, 0, len(ln.us), v})
		}
	}
}

// text matches lat as text in the name: exact, prefix or contains.
func (ln *latinName) text(lat string, best *match) {
	norm := ln.norm
	i := strings.Index(norm, lat)
	if i < 0 {
		return
	}
	s := utf8.RuneCountInString(norm[:i])
	e := s + utf8.RuneCountInString(lat)
	switch {
	case norm == lat:
		setBest(best, match{how: howExact, start: 0, end: e})
	case i == 0:
		setBest(best, match{how: howPrefix, start: 0, end: e})
	default:
		setBest(best, match{how: howContains, start: s, end: e})
	}
}

// score orders matches of one name.
func (m match) score() float64 {
	s := howScore[m.how]
	if m.variant {
		s -= variantPenalty
	}
	return s
}

// pinyinAt matches q against the readings of us from unit i on. The last
// syllable may be incomplete (partial), as while typing "shantangj". variant
// says a non-preferred heteronym reading was needed.
func pinyinAt(us []unit, i int, q string) (end int, partial, variant, ok bool) {
	if q == "" {
		return i, false, false, true
	}
	if i >= len(us) {
		return 0, false, false, false
	}
	for ri, r := range us[i].readings {
		if strings.HasPrefix(q, r) {
			if e, p, v, ok := pinyinAt(us, i+1, q[len(r):]); ok {
				return e, p, v || ri > 0, true
			}
		} else if strings.HasPrefix(r, q) {
			return i + 1, true, ri > 0, true
		}
	}
	return 0, false, false, false
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
