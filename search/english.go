package search

import (
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
)

// English names (Name.Lang "en": Tiger Hill, Humble Administrator's Garden)
// are names like any other in the name table, so "tiger hill" is an exact
// match and "humble administrator" a prefix (normalize drops the spaces).
// They also get a field of English words, analysed by bleve's English
// analyzer (en: Unicode words, possessives dropped, lower case, English
// stop words, Snowball stemming), so words in any order and form find them:
// "administrator garden", "gardens of cultivation"; and, when nothing
// matches, each word within one edit ("lingring garden"). Only English names
// have the field: Chinese names and pinyin cost nothing more to index, and
// a query adds one small term clause.
//
// A query ending in the English word for a 通名 (GB/T 30240, the table of
// gazetteer/english) is also read as pinyin plus that generic: "Shantang
// street" as shantangjie, which finds 山塘街 exactly; and, when the pinyin
// already ends in that generic, as the pinyin alone ("Qimen gate" → 齐门).

// fEnglish holds the English words of English names.
const fEnglish = "e"

// englishWords are the analysed words of text, each once.
func englishWords(text string) []string {
	var out []string
	for _, t := range analyseEnglish(text) {
		out = add(out, t)
	}
	return out
}

// isEnglish reports whether a name is an English name.
func (n nameRec) isEnglish() bool { return n.Lang == english.Lang }

// english is the entry's English name, an official one first.
func (e *entry) english() string {
	out := ""
	for _, n := range e.Names {
		if n.isEnglish() {
			if n.Kind == gazetteer.KindOfficial {
				return n.Text
			}
			if out == "" {
				out = n.Text
			}
		}
	}
	return out
}

// englishQuery matches English names holding every word of the query, each
// within one edit when fuzzy (words of four letters or more).
func englishQuery(words []string, fuzzy bool) *qnode {
	if len(words) == 0 {
		return nil
	}
	cs := make([]*qnode, len(words))
	for i, w := range words {
		if fuzzy && len(w) >= 4 {
			cs[i] = &qnode{op: qFuzzy, field: fEnglish, term: w, fuzz: 1, boost: 1}
			continue
		}
		cs[i] = termQuery(fEnglish, w, 1)
	}
	if len(cs) == 1 {
		cs[0].boost = boostSub
		return cs[0]
	}
	c := andQuery(cs)
	c.boost = boostSub // ignored by bleve, as on every compound query
	return c
}

// classifyWords is how an English name matched the query's English words:
// all of them among the name's words (howWords), or each within one edit of
// one of them (howFuzzy).
func classifyWords(text string, q qtext) (match, bool) {
	if len(q.words) == 0 {
		return match{}, false
	}
	have := englishWords(text)
	end := len([]rune(normalize(text)))
	fuzzy := false
	for _, w := range q.words {
		if contains(have, w) {
			continue
		}
		found := false
		for _, h := range have {
			if len(w) >= 4 && levenshtein1(h, w) {
				found = true
				break
			}
		}
		if !found {
			return match{}, false
		}
		fuzzy = true
	}
	if fuzzy {
		return match{how: howFuzzy, end: end}, true
	}
	return match{how: howWords, end: end}, true
}

// genericReadings reads a query whose last word (or two) is the English
// word for a 通名 as the rest in pinyin plus that generic's reading:
// "Shantang street" → shantangjie, shantangdajie. Nil when it is not one.
func genericReadings(text string) []string {
	ws := strings.Fields(strings.ToLower(text))
	if len(ws) < 2 {
		return nil
	}
	terms := english.Default()
	var out []string
	for n := min(2, len(ws)-1); n >= 1; n-- {
		norm := normalize(strings.Join(ws[:len(ws)-n], ""))
		if norm == "" {
			continue
		}
		rest := strings.Join(readingCombos(readingUnits(norm))[0], "") // 山塘 street: shantang
		for _, g := range terms.Generics(strings.Join(ws[len(ws)-n:], " ")) {
			for _, c := range readingCombos(readingUnits(normalize(g))) {
				gen := strings.Join(c, "")
				out = add(out, rest+gen)
				// the pinyin already ends in the generic, as the GB/T 30240
				// description writes it: Qimen (gate), "qimen gate" → qimen
				if len(rest) > len(gen) && strings.HasSuffix(rest, gen) {
					out = add(out, rest)
				}
				break // the preferred reading of the generic
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}
