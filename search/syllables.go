package search

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Pinyin inside a name (tang in 山塘街, shantang in 七里山塘) is searched
// through the character n-grams of the text field rather than through
// pinyin terms of its own: syllableIndex knows, for the names indexed, which
// characters are read as a syllable (tang → 塘 堂 唐) and which bigrams as a
// pair of syllables (shan tang → 山塘 善堂), from every reading of each
// character, heteronyms included. A query's pinyin becomes term queries on
// those characters and bigrams; classify then checks each candidate against
// its name's actual readings (浒 is xu in 浒墅关, hu elsewhere).
type syllableIndex struct {
	chars    map[string][]string // syllable → characters
	pairs    map[string][]string // "shan tang" → bigrams
	seen     map[string]struct{} // characters and bigrams already added
	readings map[rune][]string   // cache of each character's readings
}

func newSyllableIndex() *syllableIndex {
	return &syllableIndex{chars: map[string][]string{}, pairs: map[string][]string{},
		seen: map[string]struct{}{}, readings: map[rune][]string{}}
}

// maxSegmentations bounds the ways a query is split into syllables (xian:
// xian, xi an).
const maxSegmentations = 4

func (s *syllableIndex) readingsOf(r rune) []string {
	if rs, ok := s.readings[r]; ok {
		return rs
	}
	var rs []string
	if syl := syllables(string(r)); len(syl) == 1 {
		for _, x := range syl[0] {
			rs = add(rs, strings.ToLower(x))
		}
	}
	s.readings[r] = rs
	return rs
}

// addTerm records a Han character or bigram of the text field.
func (s *syllableIndex) addTerm(t string) {
	if _, ok := s.seen[t]; ok {
		return
	}
	r1, n := utf8.DecodeRuneInString(t)
	if !isHan(r1) {
		return
	}
	switch rest := t[n:]; {
	case rest == "":
		s.seen[t] = struct{}{}
		for _, x := range s.readingsOf(r1) {
			s.chars[x] = append(s.chars[x], t)
		}
	default:
		r2, m := utf8.DecodeRuneInString(rest)
		if !isHan(r2) || m != len(rest) {
			return
		}
		s.seen[t] = struct{}{}
		for _, x := range s.readingsOf(r1) {
			for _, y := range s.readingsOf(r2) {
				k := x + " " + y
				s.pairs[k] = append(s.pairs[k], t)
			}
		}
	}
}

// segment splits lat into one or two syllables (maxRunSyllables) that some
// indexed character is read as: fewest syllables first, at most
// maxSegmentations ways. Longer pinyin is matched as a whole name or prefix
// by the name table, not inside names: a chain of bigram alternatives costs
// more than it finds.
func (s *syllableIndex) segment(lat string) [][]string {
	var out [][]string
	var walk func(rest string, acc []string)
	walk = func(rest string, acc []string) {
		if len(out) >= 4*maxSegmentations {
			return
		}
		if rest == "" {
			out = append(out, append([]string(nil), acc...))
			return
		}
		if len(acc) == maxRunSyllables {
			return
		}
		for n := min(6, len(rest)); n >= 1; n-- { // the longest syllable is 6 letters (zhuang)
			if _, ok := s.chars[rest[:n]]; ok {
				walk(rest[n:], append(acc, rest[:n]))
			}
		}
	}
	walk(lat, nil)
	// fewest syllables first (stable: longer syllables first within a count)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) < len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > maxSegmentations {
		out = out[:maxSegmentations]
	}
	return out
}

// syllablesFile lists, one per line, the characters and bigrams of the
// indexed names, so opening an index rebuilds the syllable index without
// reading every name again.
const syllablesFile = "terms.txt"

func saveSyllables(dir string, s *syllableIndex) error {
	f, err := os.Create(filepath.Join(dir, syllablesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for t := range s.seen {
		w.WriteString(t)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

func loadSyllables(dir string) (*syllableIndex, error) {
	f, err := os.Open(filepath.Join(dir, syllablesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := newSyllableIndex()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s.addTerm(sc.Text())
	}
	return s, sc.Err()
}
