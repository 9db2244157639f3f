package romanize

import (
	"fmt"
	"strings"
	"unicode"
)

// Kinds of dict entries.
const (
	entryWord    = "word"    // words.tsv
	entryGeneric = "generic" // a generic of two or more characters (generics.tsv)
	entryPerson  = "person"  // names.tsv
)

// entry is one segmentation word: its characters and, after each character
// but the last, the separator written there: 0 (none), ' ' (a word break) or
// '-' (the hyphen of an abbreviated pair, 京-杭 Jīng-Háng).
type entry struct {
	Runes []rune
	Sep   []rune
	Kind  string
}

// parseDict builds the segmentation dictionary from words.tsv, names.tsv and
// the multi-character generics already parsed into t.
func (t *tables) parseDict(wordsText, namesText string) error {
	add := func(file string, row int, e entry) error {
		key := string(e.Runes)
		if len(e.Runes) < 2 {
			return fmt.Errorf("%s row %d: %q: a word has at least two characters", file, row, key)
		}
		for _, r := range e.Runes {
			if !unicode.Is(unicode.Han, r) {
				return fmt.Errorf("%s row %d: %q: only Han characters, spaces and hyphens", file, row, key)
			}
		}
		if old, dup := t.dict[key]; dup && old.Kind != entryGeneric {
			return fmt.Errorf("%s row %d: duplicate %q", file, row, key)
		}
		t.dict[key] = e
		t.maxEntry = max(t.maxEntry, len(e.Runes))
		return nil
	}
	for _, g := range t.generics {
		if rs := []rune(g.Name); len(rs) >= 2 {
			t.dict[g.Name] = entry{Runes: rs, Sep: make([]rune, len(rs)-1), Kind: entryGeneric}
			t.maxEntry = max(t.maxEntry, len(rs))
		}
	}
	for i, f := range rows(wordsText) {
		if len(f) != 2 || f[0] == "" || f[1] == "" {
			return fmt.Errorf("words.tsv row %d: want word, source", i+1)
		}
		e := entry{Kind: entryWord}
		for _, r := range f[0] {
			if r == ' ' || r == '-' {
				if len(e.Runes) == 0 || len(e.Sep) == len(e.Runes) {
					return fmt.Errorf("words.tsv row %d: misplaced separator in %q", i+1, f[0])
				}
				e.Sep = append(e.Sep, r)
				continue
			}
			if len(e.Sep) < len(e.Runes) {
				e.Sep = append(e.Sep, 0)
			}
			e.Runes = append(e.Runes, r)
		}
		if len(e.Sep) != len(e.Runes)-1 {
			return fmt.Errorf("words.tsv row %d: misplaced separator in %q", i+1, f[0])
		}
		if err := add("words.tsv", i+1, e); err != nil {
			return err
		}
	}
	for i, f := range rows(namesText) {
		if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			return fmt.Errorf("names.tsv row %d: want name, surname, source", i+1)
		}
		if !strings.HasPrefix(f[0], f[1]) {
			return fmt.Errorf("names.tsv row %d: %q does not start with the surname %q", i+1, f[0], f[1])
		}
		rs := []rune(f[0])
		e := entry{Runes: rs, Sep: make([]rune, len(rs)-1), Kind: entryPerson}
		if n := len([]rune(f[1])); n < len(rs) {
			e.Sep[n-1] = ' ' // surname apart from given name (GB/T 16159-2012)
		}
		if err := add("names.tsv", i+1, e); err != nil {
			return err
		}
	}
	return nil
}

// namedAfter lists the generic kinds of places that can be named after a
// person: there the person's name is one word (1984 rules, explanatory rule
// 8: 张自忠路 Zhāngzìzhōng Lù). Before other generics (a residence, tomb,
// shrine or memorial of the person) the name is written as a person's name,
// surname apart (GB/T 16159-2012: 顾炎武故居 Gù Yánwǔ Gùjū).
var namedAfter = map[string]bool{
	"street": true, "admin": true, "settlement": true, "water": true,
	"landform": true, "bridge": true, "gate": true,
}

// match returns the longest dict entry that starts at us[i] and crosses no
// word break, and its length in units; 0 when none does.
func (t *tables) match(us []unit, i int) (entry, int) {
	var key []rune
	for j := i; j < len(us) && j-i < t.maxEntry; j++ {
		if !us[j].Han || (j > i && us[j].Break) {
			break
		}
		key = append(key, us[j].Rune)
	}
	for n := len(key); n >= 2; n-- {
		if e, ok := t.dict[string(key[:n])]; ok {
			return e, n
		}
	}
	return entry{}, 0
}

// segment cuts a specific that is not written joined into words (1984 rules
// rules 1, 10; GB/T 16159-2012): the longest dict entry at each position is
// one or more words (苏州 + 丝绸 → Sūzhōu Sīchóu); the units between entries
// are one word (无梁 → Wúliáng). A single character between entries is a
// one-syllable part that joins its neighbour (rule 2): the word before it
// when that is a one-word entry (吴中 + 区 → Wúzhōngqū), else the word after
// it (东 + 大街 → Dōngdàjiē, 吴 + 文化 → Wúwénhuà). A break in the source (a
// bracket, a space) always ends a word. personApart selects how names.tsv
// entries are written (see namedAfter).
func (t *tables) segment(us []unit, personApart bool) [][]token {
	var out [][]token
	var pending []unit
	joinable := false // the last word written is a one-word entry
	// flush writes the pending units; next is the entry about to be written
	// (nil at a break or the end). It returns the tokens to put in front of
	// that entry's first word.
	flush := func(next *entry) []token {
		single := len(pending) == 1 && pending[0].Han
		var carry []token
		switch {
		case len(pending) == 0:
		case single && joinable:
			out[len(out)-1] = append(out[len(out)-1], tokens(pending)...)
		case single && next != nil && next.Kind != entryPerson:
			carry = tokens(pending)
		default:
			out = append(out, tokens(pending))
		}
		pending = nil
		return carry
	}
	for i := 0; i < len(us); {
		if us[i].Break {
			flush(nil)
			joinable = false
		}
		e, n := t.match(us, i)
		if n == 0 {
			pending = append(pending, us[i])
			i++
			continue
		}
		word := append(flush(&e), tokens(us[i:i+1])...)
		words := 1
		for k := 1; k < n; k++ {
			switch sep := e.Sep[k-1]; {
			case sep == ' ' && (e.Kind != entryPerson || personApart):
				out = append(out, word)
				word, words = nil, words+1
			case sep == '-':
				word = append(word, token{Text: "-"})
			}
			word = append(word, tokens(us[i+k:i+k+1])...)
		}
		out = append(out, word)
		joinable = words == 1 && e.Kind != entryPerson
		i += n
	}
	flush(nil)
	return out
}
