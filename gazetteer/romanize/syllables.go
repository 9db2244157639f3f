package romanize

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// unit is one reading unit of a name: a Han character with its candidate
// readings, or a run of Latin letters and digits kept as written.
type unit struct {
	Text  string   // the source character or run
	Han   bool     // a Han character (汉字)
	Rune  rune     // the character, for Han units
	Toned []string // candidate readings with tone marks, preferred first (Han only)
}

// toneArgs asks go-pinyin for every reading of a character, with tone marks.
// Characters go-pinyin does not know produce no unit.
var toneArgs = pinyin.Args{
	Style:     pinyin.Tone,
	Heteronym: true,
	Fallback:  func(rune, pinyin.Args) []string { return nil },
}

// analyse splits each part into units and applies the place-name overrides
// across all parts together (so 浒墅关 + 大道 still sees 浒墅关), while keeping
// units from crossing part boundaries. ASCII/Latin letters and digits form one
// unit per run; punctuation and spaces are dropped.
func analyse(parts ...string) [][]unit {
	var all []rune
	var at []*unit // at[i] is the unit of all[i], nil when dropped
	out := make([][]unit, len(parts))
	type pos struct{ part, idx int }
	var where []pos
	for p, s := range parts {
		var us []unit
		var run strings.Builder
		flush := func() {
			if run.Len() > 0 {
				us = append(us, unit{Text: run.String()})
				run.Reset()
			}
		}
		for _, r := range s {
			all = append(all, r)
			switch {
			case unicode.Is(unicode.Han, r):
				flush()
				if ys := pinyin.SinglePinyin(r, toneArgs); len(ys) > 0 {
					us = append(us, unit{Text: string(r), Han: true, Rune: r, Toned: ys})
					where = append(where, pos{p, len(us) - 1})
					continue
				}
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				run.WriteRune(r)
			default:
				flush()
			}
			where = append(where, pos{-1, -1})
		}
		flush()
		out[p] = us
	}
	at = make([]*unit, len(all))
	for i, w := range where {
		if w.part >= 0 {
			at[i] = &out[w.part][w.idx]
		}
	}
	// Overrides, shortest context first so a longer context wins (DOMAIN.md §4,
	// 1984 rules rule 8: place-name heteronyms take their local 普通话 reading).
	for _, o := range data().overrides {
		for i := 0; i+len(o.Context) <= len(all); i++ {
			if !slices.Equal(all[i:i+len(o.Context)], o.Context) {
				continue
			}
			if u := at[i+o.Offset]; u != nil {
				u.Toned = preferFirst(u.Toned, o.Reading)
			}
		}
	}
	return out
}

// preferFirst returns cands with reading moved (or added) to the front.
func preferFirst(cands []string, reading string) []string {
	out := []string{reading}
	for _, c := range cands {
		if c != reading {
			out = append(out, c)
		}
	}
	return out
}

// tonelessVowels strips tone marks and writes ü as v (the keyboard
// convention of 汉语拼音方案 input, used for search keys).
var tonelessVowels = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a",
	"ē", "e", "é", "e", "ě", "e", "è", "e", "ê", "e",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i",
	"ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u",
	"ǖ", "v", "ǘ", "v", "ǚ", "v", "ǜ", "v", "ü", "v",
	"ḿ", "m", "ń", "n", "ň", "n", "ǹ", "n",
)

// signVowels strips tone marks but keeps the diaeresis of ü, which is part
// of the letter, not a tone (汉语拼音方案: lü/nü stay distinct from lu/nu).
var signVowels = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a",
	"ē", "e", "é", "e", "ě", "e", "è", "e", "ê", "e",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i",
	"ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u",
	"ǖ", "ü", "ǘ", "ü", "ǚ", "ü", "ǜ", "ü",
	"ḿ", "m", "ń", "n", "ň", "n", "ǹ", "n",
)

// candidates returns the toneless candidate readings of a unit, preferred
// first, without duplicates.
func (u unit) candidates() []string {
	if !u.Han {
		return []string{strings.ToLower(u.Text)}
	}
	var out []string
	for _, t := range u.Toned {
		s := tonelessVowels.Replace(t)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Syllables returns, for each Han character of text, its candidate toneless
// readings (lowercase, ü written v): the place-name override first when the
// character sits in a context word of overrides.tsv (浒 in 浒墅关 → xu), then
// the other heteronym readings from go-pinyin. Each run of Latin letters or
// digits is one entry of one lowercased "syllable"; punctuation, spaces and
// characters without a known reading are dropped.
func Syllables(text string) [][]string {
	us := analyse(text)[0]
	out := make([][]string, len(us))
	for i, u := range us {
		out[i] = u.candidates()
	}
	return out
}

// Toneless returns the preferred toneless readings of text joined without
// separators: Toneless("山塘街") == "shantangjie".
func Toneless(text string) string {
	var b strings.Builder
	for _, u := range analyse(text)[0] {
		b.WriteString(u.candidates()[0])
	}
	return b.String()
}

// Initials returns the first letter of each preferred reading of text:
// Initials("山塘街") == "stj". A Latin/digit run contributes its first
// character.
func Initials(text string) string {
	var b strings.Builder
	for _, u := range analyse(text)[0] {
		c := u.candidates()[0]
		r := []rune(c)
		b.WriteRune(r[0])
	}
	return b.String()
}
