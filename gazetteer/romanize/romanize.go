package romanize

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one piece of a written word: a pinyin syllable (toned) or a piece
// kept as written (Latin letters, digits, an ordinal like "Dì-9").
type token struct {
	Text     string
	Syllable bool
}

// Standard returns the standard place-name romanization (标准地名罗马字母拼写),
// with tone marks.
//
//   - 专名 and 通名 are written apart, each capitalized (1984 rules rules 1, 10):
//     Standard("山塘", "街", false) == "Shāntáng Jiē", Standard("太", "湖", false) == "Tài Hú".
//   - A one-syllable modifier at the end of a specific of two or more
//     syllables joins the generic (rule 2): Standard("景山后", "街", false) == "Jǐngshān Hòujiē".
//   - joined writes everything as one word, for natural villages and towns
//     (docs/domain.md §4): Standard("陆巷", "", true) == "Lùxiàng".
//   - An apostrophe separates a non-initial a/o/e syllable (rule 11):
//     Standard("西安", "", true) == "Xī'ān".
//   - Numbers are read as pinyin (rule 6: 五指山 Wǔzhǐ Shān), except an
//     ordinal 第N before a street generic, written Dì-N (rule 7: 第九弄 Dì-9 Lòng).
//   - Latin letters and digits are kept as written (rule 7: 1203高地 1203 Gāodì).
//   - A long specific is written word by word (words.tsv, names.tsv; see the
//     package doc): Standard("苏州丝绸", "博物馆", false) == "Sūzhōu Sīchóu Bówùguǎn",
//     Standard("京杭", "大运河", false) == "Jīng-Háng Dàyùnhé",
//     Standard("顾炎武", "故居", false) == "Gù Yánwǔ Gùjū".
//   - No neutral tone except the listed ones: Standard("七子", "山", false) == "Qīzǐ Shān",
//     Standard("狮子", "山", false) == "Shīzi Shān".
func Standard(specific, generic string, joined bool) string {
	return render(words(specific, generic, joined), func(s string) string { return s })
}

// Sign returns the sign form of GB 17733-2008 地名标志: the words of Standard
// in capitals without tone marks, the 专名/通名 split kept:
// Sign("浒墅关", "大道", false) == "XUSHUGUAN DADAO".
//
// Two choices are made here. The apostrophe of the 1984 rules rule 11 is kept
// (XI'AN), because without tone marks it is the only thing that keeps the
// syllables apart. The diaeresis of ü is kept (LÜ, NÜ): it is part of the
// letter in 汉语拼音方案, not a tone mark, and dropping it would merge 吕 with 鲁.
func Sign(specific, generic string, joined bool) string {
	return render(words(specific, generic, joined), signForm)
}

// Forms returns Standard and Sign of the same name, analysing it once (an
// import derives both for every record).
func Forms(specific, generic string, joined bool) (standard, sign string) {
	ws := words(specific, generic, joined)
	return render(ws, func(s string) string { return s }), render(ws, signForm)
}

func signForm(s string) string { return strings.ToUpper(stripTones(s, false)) }

// words builds the written words of a name as token lists.
func words(specific, generic string, joined bool) [][]token {
	parts := analyse(specific, generic)
	spec, gen := parts[0], parts[1]
	t := data()

	var lead []token
	if n, ok := ordinal(spec); ok && t.byGeneric[generic].Kind == "street" {
		// 1984 rules rule 7: ordinals in street names are Arabic digits (第九弄 Dì-9 Lòng).
		lead = []token{{Text: spec[0].Toned[0] + "-" + strconv.Itoa(n)}}
		spec = nil
	}
	genToks := tokens(gen)

	// 1984 rules rule 2: a one-syllable modifier joins its head; the rest of
	// the specific must keep at least two syllables, or the "modifier" is part
	// of a short name (观前街 Guānqián Jiē, 河北路 Héběi Lù).
	if !joined && len(genToks) > 0 && len(spec) >= 3 {
		last := spec[len(spec)-1]
		if last.Han && t.modifiers[last.Rune] && hanCount(spec[:len(spec)-1]) >= 2 {
			genToks = append(tokens(spec[len(spec)-1:]), genToks...)
			spec = spec[:len(spec)-1]
		}
	}

	if joined {
		// Natural villages and towns: one word (docs/domain.md §4), never segmented.
		return [][]token{append(append(lead, tokens(spec)...), genToks...)}
	}
	ws := [][]token{lead}
	// A long specific is written word by word (words.tsv, names.tsv).
	ws = append(ws, t.segment(spec, !namedAfter[t.byGeneric[generic].Kind])...)
	return append(ws, genToks)
}

func tokens(us []unit) []token {
	out := make([]token, 0, len(us))
	for _, u := range us {
		if u.Han {
			out = append(out, token{Text: u.Toned[0], Syllable: true})
		} else {
			out = append(out, token{Text: u.Text})
		}
	}
	return out
}

func hanCount(us []unit) int {
	n := 0
	for _, u := range us {
		if u.Han {
			n++
		}
	}
	return n
}

// render writes words separated by spaces, with apostrophes (rule 11) and an
// initial capital on each word (rule 10); form maps each token's text.
func render(ws [][]token, form func(string) string) string {
	var out []string
	for _, w := range ws {
		if len(w) == 0 {
			continue
		}
		var b strings.Builder
		for i, tk := range w {
			s := form(tk.Text)
			if i > 0 && tk.Syllable && w[i-1].Syllable && startsAOE(tk.Text) {
				b.WriteByte('\'')
			}
			if i > 0 && w[i-1].Text == "-" {
				s = capitalize(s) // 京-杭 Jīng-Háng (GB/T 16159-2012)
			}
			b.WriteString(s)
		}
		out = append(out, capitalize(b.String()))
	}
	return strings.Join(out, " ")
}

// startsAOE reports whether a toned syllable begins with a, o or e (any tone).
func startsAOE(syl string) bool {
	s := stripTones(syl, true)
	return s != "" && strings.ContainsRune("aoe", rune(s[0]))
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// chineseDigits are the values of the Chinese numeral characters.
var chineseDigits = map[rune]int{
	'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var chineseUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// ordinal reports whether us is exactly 第 followed by a Chinese number, and
// its value.
func ordinal(us []unit) (int, bool) {
	if len(us) < 2 || !us[0].Han || us[0].Rune != '第' {
		return 0, false
	}
	rs := make([]rune, 0, len(us)-1)
	for _, u := range us[1:] {
		if !u.Han {
			return 0, false
		}
		rs = append(rs, u.Rune)
	}
	return chineseNumber(rs)
}

// chineseNumber parses a Chinese numeral below 10000: 九 9, 十二 12, 二十 20,
// 一百零五 105, and digit strings like 一〇五 105.
func chineseNumber(rs []rune) (int, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	hasUnit := false
	for _, r := range rs {
		if _, ok := chineseUnits[r]; ok {
			hasUnit = true
		} else if _, ok := chineseDigits[r]; !ok {
			return 0, false
		}
	}
	if !hasUnit { // digit by digit: 一〇五
		n := 0
		for _, r := range rs {
			n = n*10 + chineseDigits[r]
		}
		return n, true
	}
	total, digit, lastUnit := 0, -1, 10000
	for _, r := range rs {
		if d, ok := chineseDigits[r]; ok {
			digit = d
			continue
		}
		u := chineseUnits[r]
		if u >= lastUnit {
			return 0, false
		}
		lastUnit = u
		if digit < 0 {
			digit = 1 // 十二: the leading 一 is omitted
		}
		total += digit * u
		digit = -1
	}
	if digit > 0 {
		total += digit
	}
	return total, true
}
