package site

import (
	"html/template"
	"strings"
	"unicode"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
)

// What the English pages show of a place (gazetteer/english): its
// established English name first where one is published, otherwise its
// GB/T 30240 description ("Shantang Jie (street)"); the characters and the
// pinyin with tones are always shown beside them.

// EnName is pl's English name on an English page ("" on a Chinese page or
// when it has none).
func (p *page) EnName(pl *gazetteer.Place) string {
	if !p.EN() || pl == nil {
		return ""
	}
	return englishName(pl)
}

// englishName is pl's English name, "" when it has none.
func englishName(pl *gazetteer.Place) string {
	n, _ := english.Name(pl)
	return n.Text
}

// Describe is pl's English description by GB/T 30240: pinyin with the
// generic translated.
func (p *page) Describe(pl *gazetteer.Place) string {
	if pl == nil {
		return ""
	}
	return english.Default().Describe(pl)
}

// NameLang is the HTML language of a name: its own (en), pinyin for a
// romanization, Chinese otherwise.
func (p *page) NameLang(n gazetteer.Name) string {
	switch {
	case n.Lang != "":
		return n.Lang
	case n.Script == gazetteer.ScriptPinyin:
		return "zh-Latn-pinyin"
	case n.Script == gazetteer.ScriptLatin:
		return "zh-Latn"
	case n.Script == gazetteer.ScriptHant:
		return "zh-Hant"
	}
	return "zh-Hans"
}

// Heritage is the name of a heritage list in the page's language
// (messages.json "heritage.<list>"; the list's own name otherwise).
func (p *page) Heritage(list string) string { return p.TOr("heritage."+list, list) }

// Date is an approximate date in the page's language: a named period
// (明 → Ming dynasty, messages.json "period.<name>") or the date as written.
func (p *page) Date(d string) string { return p.TOr("period."+d, d) }

// Mixed is a text that may hold Chinese within another language (a
// coordinate note "estimated from OSM … (平江路)", a cited title
// "国家统计局 2023年统计用区划代码", the mark "待核实 unverified"): on an
// English page each run of Chinese is marked lang="zh-Hans", so that it is
// read (and hyphenated, and spoken) as Chinese and the rest as English
// (WCAG 2.1 SC 3.1.2, language of parts). On a Chinese page it is the text
// as it is.
func (p *page) Mixed(s string) template.HTML {
	if !p.EN() {
		return template.HTML(template.HTMLEscapeString(s))
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch zh := isChinese(r); {
		case zh && !in:
			b.WriteString(`<span lang="zh-Hans">`)
			in = true
		case !zh && in:
			b.WriteString(`</span>`)
			in = false
		}
		b.WriteString(template.HTMLEscapeString(string(r)))
	}
	if in {
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String())
}

// isChinese reports a Han character or CJK punctuation (。，、（） and the
// other full-width forms).
func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// ChineseOnly reports, on an English page, a text written mostly in
// Chinese (more Han characters than Latin letters), which is shown with the
// mark "Chinese only"; a note in English that quotes names is not.
func (p *page) ChineseOnly(s string) bool {
	if !p.EN() {
		return false
	}
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin++
		}
	}
	return han > latin
}
