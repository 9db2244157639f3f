package search

import (
	"encoding/binary"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	readings map[rune][]string   // cache of each character's readings
}

func newSyllableIndex() *syllableIndex {
	return &syllableIndex{chars: map[string][]string{}, pairs: map[string][]string{}, readings: map[rune][]string{}}
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

// addTerm records a Han character or bigram of the text field. A term
// already recorded is in the list of its first reading (or pair of first
// readings), which is short: that list is its test, so an index opened from
// its file needs no set of the terms seen.
func (s *syllableIndex) addTerm(t string) {
	r1, n := utf8.DecodeRuneInString(t)
	if !isHan(r1) {
		return
	}
	switch rest := t[n:]; {
	case rest == "":
		rs := s.readingsOf(r1)
		if len(rs) == 0 || contains(s.chars[rs[0]], t) {
			return
		}
		for _, x := range rs {
			s.chars[x] = append(s.chars[x], t)
		}
	default:
		r2, m := utf8.DecodeRuneInString(rest)
		if !isHan(r2) || m != len(rest) {
			return
		}
		rs1, rs2 := s.readingsOf(r1), s.readingsOf(r2)
		if len(rs1) == 0 || len(rs2) == 0 || contains(s.pairs[rs1[0]+" "+rs2[0]], t) {
			return
		}
		for _, x := range rs1 {
			for _, y := range rs2 {
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

// syllablesFile holds the syllable index ready-made, so opening an index
// reads its lists instead of the readings of every character and bigram:
// syllablesMagic (whose last byte is the version), then the characters'
// lists and the bigrams' lists, each the number of keys as a uvarint and
// per key the key (a uvarint length and the bytes), the number of terms (a
// uvarint) and the terms, keys in order.
const syllablesFile = "syllables.bin"

const syllablesMagic = "wumen-syllables\x01"

func saveSyllables(dir string, s *syllableIndex) error {
	b := []byte(syllablesMagic)
	for _, m := range []map[string][]string{s.chars, s.pairs} {
		b = binary.AppendUvarint(b, uint64(len(m)))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			b = binary.AppendUvarint(appendStr(b, k), uint64(len(m[k])))
			for _, t := range m[k] {
				b = appendStr(b, t)
			}
		}
	}
	return writeSynced(filepath.Join(dir, syllablesFile), b)
}

// loadSyllables reads the syllable index saved by saveSyllables; every
// string is a substring of the file (mapped, m) and every list a part of one slab
// (capped, so a term added later copies its list).
func loadSyllables(dir string, m *mappings) (*syllableIndex, error) {
	data, err := m.read(filepath.Join(dir, syllablesFile))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(data, syllablesMagic) {
		return nil, fmt.Errorf("search: %s: not a syllable index of this version (want %q at the start)", syllablesFile, syllablesMagic)
	}
	r := snapReader{s: data, at: len(syllablesMagic)}
	s := &syllableIndex{readings: map[rune][]string{}}
	var slab []string
	for _, m := range []*map[string][]string{&s.chars, &s.pairs} {
		n := r.count("keys")
		*m = make(map[string][]string, n)
		for i := 0; i < n && r.err == nil; i++ {
			k := r.str("key")
			terms := take(&slab, r.count("terms"), 4096)
			for j := range terms {
				terms[j] = r.str("term")
			}
			(*m)[k] = terms
		}
	}
	if r.err == nil && r.at != len(data) {
		r.fail("end", fmt.Errorf("%d bytes after the lists", len(data)-r.at))
	}
	if r.err != nil {
		return nil, fmt.Errorf("search: %s: byte %d: %s: %w (the file is damaged: rebuild the index)", syllablesFile, r.at, r.field, r.err)
	}
	return s, nil
}

// writeSynced writes b to the file at path and syncs it.
func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
