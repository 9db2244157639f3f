// Package script converts Suzhou place names between simplified (简体) and
// traditional (繁体) Chinese characters and detects mixed scripts (混用繁简,
// one of the "怪" names of the 2018–19 clean-up, docs/domain.md §5).
//
// The conversion tables are OpenCC's (Apache-2.0), taken from the opencc-js
// 1.4.2 package and converted by gen.go into the files under dict/; see
// SOURCES.md. Conversion is OpenCC's: at each position the longest phrase or
// character in the table wins (forward maximum matching), so 乾隆 stays 乾隆
// while 乾 alone becomes 干. Only the matching loop is written here; the
// tables are loaded once, on first use.
package script

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen.go -src ${OPENCC_JS_DICT}

// The two directions are embedded apart and loaded apart, so a program that
// only folds to simplified (the search compiled to WebAssembly) links only
// the traditional→simplified tables (38 KB), not the simplified→traditional
// ones (1 MB, nearly all of it STPhrases).

//go:embed dict/TS*.txt
var tsFS embed.FS

//go:embed dict/ST*.txt
var stFS embed.FS

// table is one conversion direction: phrases and characters merged, phrases
// winning on equal keys as in OpenCC's dictionary groups.
type table struct {
	m      map[string]string
	maxLen map[rune]int // longest key, in bytes, starting with a rune
	chars  map[rune]rune
}

func (t *table) add(k, v string) {
	t.m[k] = v
	r, _ := utf8.DecodeRuneInString(k)
	if len(k) > t.maxLen[r] {
		t.maxLen[r] = len(k)
	}
}

// convert applies forward maximum matching.
func (t *table) convert(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		max := t.maxLen[r]
		matched := false
		for j := min(len(s), i+max); j > i; j-- {
			if j < len(s) && !utf8.RuneStart(s[j]) {
				continue
			}
			if v, ok := t.m[s[i:j]]; ok {
				b.WriteString(v)
				i = j
				matched = true
				break
			}
		}
		if !matched {
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

// buildTable reads one direction's character and phrase tables, calling
// seen for every key and value.
func buildTable(fsys embed.FS, chars, phrases string, seen func(k, v string)) *table {
	t := &table{m: map[string]string{}, maxLen: map[rune]int{}, chars: map[rune]rune{}}
	for _, name := range []string{chars, phrases} { // phrases last: they win
		each(fsys, name, func(k, v string) {
			t.add(k, v)
			if seen != nil {
				seen(k, v)
			}
			if kr, n := utf8.DecodeRuneInString(k); n == len(k) {
				vr, _ := utf8.DecodeRuneInString(v)
				t.chars[kr] = vr
			}
		})
	}
	return t
}

// The directions are loaded on first use, each by a function of its own
// (not a sync.OnceValue in a package variable, which package
// initialisation would reference and so link).
var (
	t2sOnce, s2tOnce sync.Once
	t2sTable         *table
	s2tTables        *s2tDict
)

// t2s is the traditional→simplified direction.
func t2s() *table {
	t2sOnce.Do(func() { t2sTable = buildTable(tsFS, "TSCharacters", "TSPhrases", nil) })
	return t2sTable
}

// s2tDict is the simplified→traditional direction with the rune classes
// derived from both.
type s2tDict struct {
	*table
	// tradOnly and simpOnly are the characters that change under
	// conversion and are never written unchanged in the other script
	// anywhere in the OpenCC tables.
	tradOnly, simpOnly map[rune]bool
}

// s2t is the simplified→traditional direction and the rune classes.
func s2t() *s2tDict {
	s2tOnce.Do(func() { s2tTables = loadS2T() })
	return s2tTables
}

func loadS2T() *s2tDict {
	d := &s2tDict{tradOnly: map[rune]bool{}, simpOnly: map[rune]bool{}}
	inSimp, inTrad := map[rune]bool{}, map[rune]bool{}
	mark := func(set map[rune]bool, s string) {
		for _, r := range s {
			set[r] = true
		}
	}
	// Attestation uses the simplified→traditional tables, whose keys are
	// simplified text and whose values are traditional text. The
	// traditional→simplified phrase table is not used for it: a few of its
	// values keep a traditional character (不可貲計 → 不可赀計).
	d.table = buildTable(stFS, "STCharacters", "STPhrases", func(k, v string) { mark(inSimp, k); mark(inTrad, v) })
	ts := t2s()
	for r, v := range ts.chars {
		inTrad[r] = true
		inSimp[v] = true
	}
	for r, v := range ts.chars {
		if v != r && !inSimp[r] {
			d.tradOnly[r] = true
		}
	}
	for r, v := range d.chars {
		if v != r && !inTrad[r] {
			d.simpOnly[r] = true
		}
	}
	return d
}

// each calls fn for every key/value line of an embedded dictionary.
func each(fsys embed.FS, name string, fn func(k, v string)) {
	f, err := fsys.Open("dict/" + name + ".txt")
	if err != nil {
		panic("script: " + err.Error()) // embedded; cannot happen in a built binary
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			panic("script: bad line in " + name + ": " + line)
		}
		fn(k, v)
	}
	if err := sc.Err(); err != nil {
		panic("script: " + err.Error())
	}
}

// ToSimplified folds traditional (and variant) characters to simplified,
// phrase-aware where the OpenCC tables have phrases:
// ToSimplified("蘇州閶門") == "苏州阊门", ToSimplified("乾隆") == "乾隆".
func ToSimplified(s string) string { return t2s().convert(s) }

// ToTraditional converts simplified characters to traditional, for showing
// 繁体 names: ToTraditional("苏州") == "蘇州", ToTraditional("干将路") == "干將路".
// Where a simplified character stands for several traditional ones and no
// phrase decides, OpenCC's first choice is taken.
func ToTraditional(s string) string { return s2t().convert(s) }

// IsTraditional reports whether r is a traditional-only form: it changes
// under ToSimplified (蘇 → 苏) and is never written unchanged in simplified
// text in the OpenCC tables. So 乾, which simplified text keeps in 乾隆, is not
// traditional-only, although ToSimplified("乾") == "干".
func IsTraditional(r rune) bool { return s2t().tradOnly[r] }

// IsSimplified reports whether r is a simplified-only form: it changes under
// ToTraditional (苏 → 蘇) and is never written unchanged in traditional text in
// the OpenCC tables. So 干, which traditional text keeps in 干涉, is not
// simplified-only.
func IsSimplified(r rune) bool { return s2t().simpOnly[r] }

// Mixed reports whether s mixes scripts (怪: 混用繁简, docs/domain.md §5): it holds
// at least one traditional-only character and at least one simplified-only
// character. Characters common to both scripts count for neither:
// Mixed("蘇州街") == false, Mixed("蘇州门") == true.
func Mixed(s string) bool {
	d := s2t()
	var trad, simp bool
	for _, r := range s {
		trad = trad || d.tradOnly[r]
		simp = simp || d.simpOnly[r]
		if trad && simp {
			return true
		}
	}
	return false
}

// Fold folds text for matching names, as search does at index and at query
// time and as an import does to find the place a record names: traditional
// to simplified (OpenCC t2s), full-width to half-width, tone marks dropped
// (Shāntáng → shantang, lǜ → lv), lower case, and everything that is not a
// letter or digit dropped (spaces, punctuation, middle dots, brackets):
// Fold("蘇州·閶門") == "苏州阊门".
func Fold(s string) string {
	s = ToSimplified(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if f, ok := toneFold[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// toneFold maps pinyin vowels with tone marks to the toneless letters the
// romanizer writes (ü as v).
var toneFold = func() map[rune]rune {
	m := map[rune]rune{}
	for plain, marked := range map[rune]string{
		'a': "āáǎàĀÁǍÀ", 'e': "ēéěèĒÉĚÈê", 'i': "īíǐìĪÍǏÌ", 'o': "ōóǒòŌÓǑÒ", 'u': "ūúǔùŪÚǓÙ", 'v': "üǖǘǚǜÜǕǗǙǛ",
	} {
		for _, r := range marked {
			m[r] = plain
		}
	}
	return m
}()
