// Package english is what an English-speaking visitor reads for a place:
// its established English name where one is published (an official name,
// such as the name of a UNESCO inscription, or a conventional translation,
// each a gazetteer.Name with Lang "en" and a citation), and otherwise a
// description that keeps the name in pinyin and translates only the 通名
// (generic): 山塘街 is "Shantang Jie (street)".
//
// The rule comes from two standards. Place names are romanized in pinyin
// (GB/T 16159-2012 and the 1984 place-name romanization rules), so a
// translation made here is never a name. Public signs and visitor texts
// translate the generic (GB/T 30240 公共服务领域英文译写规范: 路 Road,
// 街 Street, 桥 Bridge, 寺 Temple, 园 Garden …); the words are the data file
// terms.tsv.
package english

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"wumen/gazetteer"
	"wumen/gazetteer/romanize"
)

// Lang is the language tag of English names.
const Lang = "en"

//go:embed terms.tsv
var termsTSV string

// Terms holds the English words for generics, heritage lists and
// subclasses (terms.tsv).
type Terms struct {
	generic  map[string]string
	heritage [][2]string // list substring, word; in file order
	subclass map[string]string
	byWord   map[string][]string // English word → the generics it translates
	longest  int                 // longest generic, in runes
}

// ParseTerms reads a terms table (see terms.tsv for the columns).
func ParseTerms(text string) (*Terms, error) {
	t := &Terms{generic: map[string]string{}, subclass: map[string]string{}, byWord: map[string][]string{}}
	header := false
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if !header {
			header = true
			continue
		}
		if len(f) < 3 || f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("english terms line %d: want of, chinese, english, note (tab-separated)", i+1)
		}
		of, zh, en := f[0], f[1], f[2]
		switch of {
		case "generic":
			if _, dup := t.generic[zh]; dup {
				return nil, fmt.Errorf("english terms line %d: generic %s listed twice", i+1, zh)
			}
			t.generic[zh] = en
			t.byWord[en] = append(t.byWord[en], zh)
			t.longest = max(t.longest, utf8.RuneCountInString(zh))
		case "heritage":
			t.heritage = append(t.heritage, [2]string{zh, en})
		case "subclass":
			t.subclass[zh] = en
		default:
			return nil, fmt.Errorf("english terms line %d: %q is not generic, heritage or subclass", i+1, of)
		}
	}
	return t, nil
}

var (
	defaultOnce  sync.Once
	defaultTerms *Terms
)

// Default returns the embedded table (terms.tsv); a bad table is a build
// error caught by the package's tests.
func Default() *Terms {
	defaultOnce.Do(func() {
		t, err := ParseTerms(termsTSV)
		if err != nil {
			panic(err)
		}
		defaultTerms = t
	})
	return defaultTerms
}

// Generic returns the English word for a 通名 (街 → street).
func (t *Terms) Generic(generic string) (string, bool) {
	w, ok := t.generic[generic]
	return w, ok
}

// Generics returns the 通名 an English word translates (street → 街, 大街),
// for reading a query such as "Shantang street"; the word is matched in
// lower case.
func (t *Terms) Generics(word string) []string {
	return t.byWord[strings.ToLower(word)]
}

// Word is the English word that describes what p is: the translation of
// its generic; for a name written as one word (joined) on a heritage list,
// that list's word (古镇 historic town); for a name without a split, the
// longest ending of the name the table knows (千人石 → rock); else its
// subclass's word. Empty when nothing applies.
func (t *Terms) Word(p *gazetteer.Place) string {
	if w, ok := t.generic[p.Generic]; ok && p.Generic != "" {
		return w
	}
	for _, h := range t.heritage {
		for _, l := range p.Heritage {
			if strings.Contains(l.List, h[0]) {
				return h[1]
			}
		}
	}
	if !p.Joined && p.Generic == "" {
		rs := []rune(p.Name)
		for n := min(t.longest, len(rs)-1); n >= 1; n-- {
			if w, ok := t.generic[string(rs[len(rs)-n:])]; ok {
				return w
			}
		}
	}
	return t.subclass[p.Category.Subclass]
}

// Describe is the English description of p by GB/T 30240: the name in
// toneless pinyin, its generic translated in brackets ("Shantang Jie
// (street)"). Without a known word it is the pinyin alone.
func (t *Terms) Describe(p *gazetteer.Place) string {
	py := Toneless(p)
	if w := t.Word(p); w != "" && py != "" {
		return py + " (" + w + ")"
	}
	return py
}

// Toneless is p's standard pinyin without tone marks, capitalized as
// written (Shāntáng Jiē → Shantang Jie): the sign form of GB 17733 in
// the case of the standard form.
func Toneless(p *gazetteer.Place) string {
	sign := p.Sign
	if sign == "" {
		spec, gen := p.Specific, p.Generic
		if spec == "" && gen == "" {
			spec, gen = romanize.Split(p.Name)
		}
		sign = romanize.Sign(spec, gen, p.Joined)
	}
	var b strings.Builder
	start := true
	for _, r := range sign {
		if start {
			b.WriteRune(r)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '-'
	}
	return b.String()
}

// Name returns p's English name: an official one first, then a
// conventional one, in the order the record lists them.
func Name(p *gazetteer.Place) (gazetteer.Name, bool) {
	var conv *gazetteer.Name
	for i, n := range p.Names {
		if n.Lang != Lang {
			continue
		}
		if n.Kind == gazetteer.KindOfficial {
			return n, true
		}
		if conv == nil {
			conv = &p.Names[i]
		}
	}
	if conv != nil {
		return *conv, true
	}
	return gazetteer.Name{}, false
}

// Names returns every English name of p, official ones first.
func Names(p *gazetteer.Place) []gazetteer.Name {
	var off, rest []gazetteer.Name
	for _, n := range p.Names {
		switch {
		case n.Lang != Lang:
		case n.Kind == gazetteer.KindOfficial:
			off = append(off, n)
		default:
			rest = append(rest, n)
		}
	}
	return append(off, rest...)
}
