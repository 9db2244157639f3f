package romanize

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// unit is one reading unit of a name: a Han character with its candidate
// readings, or a run of Latin letters and digits kept as written.
type unit struct {
	Text  string   // the source character or run
	Han   bool     // a Han character (汉字)
	Rune  rune     // the character, for Han units
	Toned []string // candidate readings with tone marks, preferred first (Han only)
	Break bool     // a word break (bracket, space, comma) precedes the unit in its part
	// Overridden says an override put a reading first, so Toned is not
	// the character's own list (and its toneless cache does not apply).
	Overridden bool
}

// perRune caches, per character, the toned readings (neutral tone last) and
// their toneless forms: computing them split and rewrote strings for every
// character of every name. Cached slices are shared: never modified. The
// CJK Unified Ideographs block is an array of atomic pointers (no lock, no
// hashing); other characters go through a sync.Map.
var (
	perRune    sync.Map // rune → *runeReadings
	perRuneCJK [0xA000 - 0x4E00]atomic.Pointer[runeReadings]
)

type runeReadings struct {
	toned, toneless []string
}

func cachedReadings(r rune) *runeReadings {
	var slot *atomic.Pointer[runeReadings]
	if r >= 0x4E00 && r < 0xA000 {
		slot = &perRuneCJK[r-0x4E00]
		if rr := slot.Load(); rr != nil {
			return rr
		}
	} else if v, ok := perRune.Load(r); ok {
		return v.(*runeReadings)
	}
	rr := &runeReadings{toned: neutralLast(readings(r))}
	for _, t := range rr.toned {
		if s := stripTones(t, true); !slices.Contains(rr.toneless, s) {
			rr.toneless = append(rr.toneless, s)
		}
	}
	if slot != nil {
		slot.CompareAndSwap(nil, rr)
		return slot.Load()
	}
	v, _ := perRune.LoadOrStore(r, rr)
	return v.(*runeReadings)
}

// breaks are the punctuation marks that end a written word; other
// punctuation (the middle dot of 山·塘) is dropped without a break.
const breaks = " \t\u3000()（）[]【】〔〕<>《》,，、;；:：/"

// toneMarked reports whether a pinyin reading carries a tone mark.
func toneMarked(s string) bool {
	for _, r := range s {
		if p, ok := plainVowel[r]; ok && r != p {
			return true
		}
	}
	return false
}

// neutralLast moves toneless (neutral-tone, 轻声) readings behind the toned
// ones: standard place-name pinyin writes a full tone on every syllable, so
// go-pinyin's preferred 子 zi gives way to zǐ (七子山 Qīzǐ Shān). The neutral
// tone is kept only where overrides.tsv lists it (狮子 Shīzi, 衙门 Yámen).
func neutralLast(ys []string) []string {
	if len(ys) < 2 || toneMarked(ys[0]) {
		return ys
	}
	var toned, neutral []string
	for _, y := range ys {
		if toneMarked(y) {
			toned = append(toned, y)
		} else {
			neutral = append(neutral, y)
		}
	}
	return append(toned, neutral...)
}

// analyse splits each part into units and applies the place-name overrides
// across all parts together (so 浒墅关 + 大道 still sees 浒墅关), while keeping
// units from crossing part boundaries. ASCII/Latin letters and digits form one
// unit per run; punctuation and spaces are dropped.
func analyse(parts ...string) [][]unit {
	n := 0
	for _, s := range parts {
		n += utf8.RuneCountInString(s)
	}
	all := make([]rune, 0, n)
	var at []*unit // at[i] is the unit of all[i], nil when dropped
	out := make([][]unit, len(parts))
	type pos struct{ part, idx int }
	where := make([]pos, 0, n)
	for p, s := range parts {
		us := make([]unit, 0, utf8.RuneCountInString(s))
		var run strings.Builder
		brk := false // a break is pending for the next unit
		push := func(u unit) {
			u.Break, brk = brk, false
			us = append(us, u)
		}
		flush := func() {
			if run.Len() > 0 {
				push(unit{Text: run.String()})
				run.Reset()
			}
		}
		for _, r := range s {
			all = append(all, r)
			switch {
			case unicode.Is(unicode.Han, r):
				flush()
				if rr := cachedReadings(r); len(rr.toned) > 0 {
					push(unit{Text: string(r), Han: true, Rune: r, Toned: rr.toned})
					where = append(where, pos{p, len(us) - 1})
					continue
				}
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				run.WriteRune(r)
			default:
				flush()
				if strings.ContainsRune(breaks, r) {
					brk = len(us) > 0
				}
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
	// Overrides, shortest context first so a longer context wins (docs/domain.md §4,
	// 1984 rules rule 8: place-name heteronyms take their local 普通话 reading).
	// Matches are applied in table order at each position's rows, then
	// positions left to right; a longer context always comes later in the
	// table, so among overlapping matches for one character the longest wins.
	t := data()
	type hit struct {
		row int
		u   *unit
	}
	var hits []hit
	for i, r := range all {
		for _, k := range t.byFirst[r] {
			o := t.overrides[k]
			if i+len(o.Context) <= len(all) && slices.Equal(all[i:i+len(o.Context)], o.Context) {
				if u := at[i+o.Offset]; u != nil {
					hits = append(hits, hit{k, u})
				}
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.row - b.row })
	for _, h := range hits {
		h.u.Toned = preferFirst(h.u.Toned, t.overrides[h.row].Reading)
		h.u.Overridden = true
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

// plainVowel maps each tone-marked pinyin letter to its plain letter; the
// ü forms map to ü and are then written v or kept by the caller.
var plainVowel = map[rune]rune{
	'ā': 'a', 'á': 'a', 'ǎ': 'a', 'à': 'a',
	'ē': 'e', 'é': 'e', 'ě': 'e', 'è': 'e', 'ê': 'e',
	'ī': 'i', 'í': 'i', 'ǐ': 'i', 'ì': 'i',
	'ō': 'o', 'ó': 'o', 'ǒ': 'o', 'ò': 'o',
	'ū': 'u', 'ú': 'u', 'ǔ': 'u', 'ù': 'u',
	'ǖ': 'ü', 'ǘ': 'ü', 'ǚ': 'ü', 'ǜ': 'ü', 'ü': 'ü',
	'ḿ': 'm', 'ń': 'n', 'ň': 'n', 'ǹ': 'n',
}

// stripTones removes tone marks. With v set, ü is written v (the keyboard
// convention, used for search keys); otherwise ü keeps its diaeresis, which
// is part of the letter in 汉语拼音方案, not a tone (lü and lu differ).
func stripTones(s string, v bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if p, ok := plainVowel[r]; ok {
			r = p
		}
		if r == 'ü' && v {
			r = 'v'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// candidates returns the toneless candidate readings of a unit, preferred
// first, without duplicates.
func (u unit) candidates() []string {
	if !u.Han {
		return []string{strings.ToLower(u.Text)}
	}
	if !u.Overridden {
		return cachedReadings(u.Rune).toneless
	}
	var out []string
	for _, t := range u.Toned {
		s := stripTones(t, true)
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Syllables returns (in slices the caller must not modify), for each Han
// character of text, its candidate toneless
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
