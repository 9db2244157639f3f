package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Index fields. Every text field holds tokens computed here (one code path for
// indexing and querying) and is analysed by the space-splitting "wumen_tokens"
// analyzer. Bleve's own cjk analyzer emits bigrams only, which cannot answer a
// single character (桥); computing unigrams and bigrams here does.
const (
	fExact    = "xe"  // the whole normalized name (simplified, lower case, no punctuation)
	fPrefix   = "e"   // short edge n-grams: 1–2 character, 2–4 letter pinyin and 2–3 letter initials prefixes
	fSub      = "s"   // Han unigrams and bigrams, for any substring
	fPinyin   = "xp"  // the whole name in toneless pinyin, joined (one per heteronym reading)
	fInitials = "xi"  // initials of the whole name (stj)
	fPySub    = "ps"  // every run of one or two whole syllables, joined (tang, shantang, tangjie)
	fCategory = "cat" // category class and subclass (filter, facet)
	fAdmin    = "adm" // admin codes and their county/township prefixes (filter)
	fDistrict = "dst" // county-level admin code (facet)
	fHeritage = "her" // heritage list names (filter, facet)
	fHerLevel = "hl"  // heritage levels plus "any" (filter)
	fStatus   = "st"  // place status (filter)
	fUndated  = "und" // "1" when a name has no dates at all (year filter)
	fYearFrom = "y0"  // earliest year a name may have been in use
	fYearTo   = "y1"  // latest year a name may have been in use
)

// genericMark follows the last character of a name in the substring field,
// so a one-character query can prefer names that end in it: 桥 is the 通名
// (generic) of 宝带桥, a modifier in 桥头村.
const genericMark = "$"

// Index size and build time grow with the tokens per name, so only short
// prefixes are edge n-grams (they would match too many terms as a prefix
// query); longer ones are bleve prefix queries on the whole-name fields,
// which then match few terms. See BENCHMARKS-search.md.
const (
	maxHanPrefix      = 2 // 苏, 苏州; 苏州博 is 苏州 + the bigram 州博
	maxPinyinPrefix   = 8 // sh … shantang; longer is a prefix query on xp
	maxInitialsPrefix = 3 // st; stj… is a prefix query on xi
	maxRunSyllables   = 2
	maxReadings       = 2 // heteronym combinations indexed per name
)

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// normalize folds text for matching: traditional to simplified (OpenCC t2s),
// full-width to half-width, lower case, and drops everything that is not a
// letter or digit (spaces, punctuation, middle dots, brackets).
func normalize(s string) string {
	s = toSimplified(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if f, ok := toneFold[r]; ok { // Shāntáng → shantang, lǜ → lv
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

// units splits a normalized string into reading units: one per Han
// character, one per run of ASCII letters/digits. Each unit carries its
// candidate toneless readings (place-name overrides first).
type unit struct {
	text     string
	han      bool
	readings []string
}

func readingUnits(norm string) []unit {
	var us []unit
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
		for _, x := range syl[k] {
			x = strings.ToLower(x)
			if x != "" && !contains(us[k].readings, x) {
				us[k].readings = append(us[k].readings, x)
			}
		}
		if len(us[k].readings) == 0 {
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

// tokenSet collects space-joined tokens for one field without duplicates.
type tokenSet struct {
	b    strings.Builder
	seen map[string]struct{}
}

func (t *tokenSet) add(s string) {
	if s == "" || strings.ContainsRune(s, ' ') {
		return
	}
	if t.seen == nil {
		t.seen = make(map[string]struct{}, 16)
	}
	if _, ok := t.seen[s]; ok {
		return
	}
	t.seen[s] = struct{}{}
	if t.b.Len() > 0 {
		t.b.WriteByte(' ')
	}
	t.b.WriteString(s)
}

func (t *tokenSet) String() string { return t.b.String() }

// nameTokens are the text-field values of one indexed name.
type nameTokens struct {
	exact, prefix, sub, pinyin, initials, pysub string
}

// tokenize computes the index tokens of one name.
func tokenize(name string) nameTokens {
	norm := normalize(name)
	var nt nameTokens
	if norm == "" {
		return nt
	}
	nt.exact = norm
	var prefix, sub, py, ini, pys tokenSet
	runes := []rune(norm)
	for n := 1; n <= len(runes) && n <= maxHanPrefix; n++ {
		if n == 1 && !isHan(runes[0]) {
			continue
		}
		prefix.add(string(runes[:n]))
	}
	if last := runes[len(runes)-1]; len(runes) > 1 && isHan(last) {
		sub.add(string(last) + genericMark) // 通名 position: 桥 finds bridges first
	}
	for i, r := range runes {
		if !isHan(r) {
			continue
		}
		sub.add(string(r))
		if i+1 < len(runes) && isHan(runes[i+1]) {
			sub.add(string(runes[i : i+2]))
		}
	}
	us := readingUnits(norm)
	for _, c := range readingCombos(us) {
		joined := strings.Join(c, "")
		py.add(joined)
		in := initials(c)
		if len(c) > 1 {
			ini.add(in)
			for n := 2; n < len(in) && n <= maxInitialsPrefix; n++ {
				prefix.add(in[:n])
			}
		}
		for n := 2; n <= len(joined) && n <= maxPinyinPrefix; n++ {
			prefix.add(joined[:n])
		}
		for i := range c {
			for j := i + 1; j <= len(c) && j-i <= maxRunSyllables; j++ {
				pys.add(strings.Join(c[i:j], ""))
			}
		}
	}
	nt.prefix, nt.sub, nt.pinyin, nt.initials, nt.pysub = prefix.String(), sub.String(), py.String(), ini.String(), pys.String()
	return nt
}
