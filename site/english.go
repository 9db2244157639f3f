package site

import (
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
