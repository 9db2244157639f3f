package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"wumen/gazetteer/script"
)

// Index fields. Bleve holds only what needs an inverted index: the character
// n-grams (any substring, a single character, and pinyin translated to
// characters, see syllables.go) and the filters. Whole names, pinyin and
// initials, every prefix of them and pinyin with a typo are answered from
// the in-memory name table (names.go) instead: prefixes as edge n-grams and
// whole-name terms made most of the terms and most of the build time.
const (
	fText = "t" // Han unigrams and bigrams, the 通名 mark (桥$), Latin/digit runs
	// fFilter holds, as prefixed terms, what filters and facets use: category
	// class and subclass (c:), district (d:) and heritage lists (h:), which
	// are the facets, then admin codes (a:), heritage levels (l:), status
	// (s:) and undated (u:1). One field, with doc values for the facets,
	// costs the build less than one field per kind.
	fFilter   = "f"
	fFacet    = fFilter
	fYearFrom = "y0" // earliest year a name may have been in use
	fYearTo   = "y1" // latest year a name may have been in use
)

// Prefixes of the terms of the filter and facet fields.
const (
	fpCategory = "c:"
	fpDistrict = "d:"
	fpHeritage = "h:"
	fpAdmin    = "a:"
	fpLevel    = "l:"
	fpStatus   = "s:"
	fpUndated  = "u:1"
)

// genericMark follows the last character of a name in the text field, so a
// one-character query can prefer names that end in it: 桥 is the 通名
// (generic) of 宝带桥, a modifier in 桥头村.
const genericMark = "$"

const (
	maxRunSyllables = 2 // syllable runs with their own hot lists (tang, shantang)
	maxReadings     = 2 // heteronym combinations indexed per name
)

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// normalize folds text for matching; the folding is the gazetteer's
// (script.Fold), shared with imports that match names.
func normalize(s string) string { return script.Fold(s) }

// units splits a normalized string into reading units: one per Han
// character, one per run of ASCII letters/digits. Each unit carries its
// candidate toneless readings (place-name overrides first).
type unit struct {
	text     string
	han      bool
	readings []string
}

func readingUnits(norm string) []unit {
	us := make([]unit, 0, utf8.RuneCountInString(norm))
	i := 0
	for i < len(norm) {
		r, n := utf8.DecodeRuneInString(norm[i:])
		j := i + n
		if !isHan(r) && r < utf8.RuneSelf {
			for j < len(norm) && norm[j] < utf8.RuneSelf {
				j++
			}
		}
		us = append(us, unit{text: norm[i:j], han: isHan(r)})
		i = j
	}
	// Readings depend on context (浒 is xu in 浒墅关): read the whole string
	// once, and fall back to unit by unit if the shapes disagree.
	syl := syllables(norm)
	if len(syl) != len(us) {
		syl = syl[:0]
		for _, u := range us {
			s := syllables(u.text)
			if len(s) == 1 {
				syl = append(syl, s[0])
			} else {
				syl = append(syl, nil)
			}
		}
	}
	for k := range us {
		// romanize's lists are lower case and without repeats; they are
		// shared, so readings are never modified.
		if us[k].readings = syl[k]; len(us[k].readings) == 0 {
			us[k].readings = []string{us[k].text}
		}
	}
	return us
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// readingCombos returns up to maxReadings readings of the whole unit list:
// the first (preferred) reading of every unit, then variants that swap in the
// second reading of one heteronym at a time.
func readingCombos(us []unit) [][]string {
	first := make([]string, len(us))
	for i, u := range us {
		first[i] = u.readings[0]
	}
	combos := [][]string{first}
	for i, u := range us {
		if len(combos) >= maxReadings {
			break
		}
		if len(u.readings) > 1 {
			c := append([]string(nil), first...)
			c[i] = u.readings[1]
			combos = append(combos, c)
		}
	}
	return combos
}

func initials(combo []string) string {
	var b strings.Builder
	for _, s := range combo {
		if s != "" {
			b.WriteByte(s[0])
		}
	}
	return b.String()
}

// nameTokens are what one name contributes to the index.
type nameTokens struct {
	norm     string   // the normalized name
	text     []string // terms of the text field
	pinyin   []string // whole-name readings, joined; the preferred one first
	initials []string // initials per reading (names of two or more units)
	runs     []string // runs of one or two whole syllables (hot keys only)
	english  []string // English words of an English name (english.go)
}

// add appends s to set unless it is already there (sets are a few items).
func add(set []string, s string) []string {
	if s == "" || contains(set, s) {
		return set
	}
	return append(set, s)
}

// tokenize computes the index tokens of one name.
func tokenize(name string) nameTokens {
	norm := normalize(name)
	nt := nameTokens{norm: norm}
	if norm == "" {
		return nt
	}
	// Unigrams and bigrams are substrings of norm (no allocation each).
	var at [33]int // byte offsets of the runes (names are short)
	offs := at[:0]
	for i := range norm {
		offs = append(offs, i)
	}
	offs = append(offs, len(norm))
	n := len(offs) - 1
	han := func(i int) bool {
		r, _ := utf8.DecodeRuneInString(norm[offs[i]:])
		return isHan(r)
	}
	nt.text = make([]string, 0, 2*n+1)
	if n > 1 && han(n-1) {
		nt.text = append(nt.text, norm[offs[n-1]:]+genericMark) // 通名 position: 桥 finds bridges first
	}
	for i := 0; i < n; i++ {
		if !han(i) {
			continue
		}
		nt.text = add(nt.text, norm[offs[i]:offs[i+1]])
		if i+1 < n && han(i+1) {
			nt.text = add(nt.text, norm[offs[i]:offs[i+2]])
		}
	}
	us := readingUnits(norm)
	for _, u := range us {
		if !u.han {
			nt.text = add(nt.text, u.text) // Latin letters and digits, as written
		}
	}
	nt.pinyin = make([]string, 0, maxReadings)
	nt.initials = make([]string, 0, maxReadings)
	nt.runs = make([]string, 0, 2*len(us))
	var starts [33]int // where each syllable starts in the joined reading
	for _, c := range readingCombos(us) {
		joined := strings.Join(c, "")
		nt.pinyin = add(nt.pinyin, joined)
		if len(c) > 1 {
			nt.initials = add(nt.initials, initials(c))
		}
		offs := starts[:0]
		for i, n := 0, 0; i <= len(c); i++ {
			offs = append(offs, n)
			if i < len(c) {
				n += len(c[i])
			}
		}
		for i := range c {
			for j := i + 1; j <= len(c) && j-i <= maxRunSyllables; j++ {
				nt.runs = add(nt.runs, joined[offs[i]:offs[j]]) // a substring: no allocation
			}
		}
	}
	return nt
}
