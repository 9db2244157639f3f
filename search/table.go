package search

import (
	"sort"
	"unicode/utf8"
)

type scored struct {
	e     *entry
	k     int // index of the matched name
	m     match
	ok    bool
	score float64
	bleve float64
	dist  float64
}

// cand is a candidate name before ranking.
type cand struct {
	e     *entry
	k     int
	score float64 // bleve's, or the name table's estimate
}

func (c cand) better(o cand) bool {
	return c.score > o.score || c.score == o.score && c.e.ID < o.e.ID
}

// topCands keeps the best n candidates by score (ties: lower place id).
type topCands struct {
	n    int
	list []cand
}

func (t *topCands) add(c cand) {
	if len(t.list) == t.n && !c.better(t.list[t.n-1]) {
		return
	}
	i := sort.Search(len(t.list), func(i int) bool { return c.better(t.list[i]) })
	if len(t.list) < t.n {
		t.list = append(t.list, cand{})
	}
	copy(t.list[i+1:], t.list[i:])
	t.list[i] = c
}

// prefixMark begins the hot key of a name prefix: one character (^新) or up
// to prefixHotLetters letters of pinyin (^s, ^sh, ^xin); longer prefixes
// are narrow enough to scan. Three letters were scanned too, but xin… is
// 94,000 names at 1M (about 2 ms); an index built with two-letter lists
// still answers, scanning.
const (
	prefixMark       = "^"
	prefixHotLetters = 3
)

// tableKeys are the keys a query looks up in the name table.
func tableKeys(qt qtext) []string {
	if qt.charMode() {
		return []string{qt.norm}
	}
	return qt.combos
}

// tableScan calls f with every item of the name table that is key or begins
// with it, for the query's kind of key, and passes the filters.
func (ix *Index) tableScan(qt qtext, key string, mf *memFilter, f func(it nameItem, exact bool) bool) {
	ix.names.scan(key, func(it nameItem, exact bool) bool {
		if qt.charMode() && it.kind != keyText || !mf.none && !mf.ok(it.e, it.e.Names[it.k]) {
			return true
		}
		return f(it, exact)
	})
}

// tableMatches finds, in the name table, the names that are or begin with
// the query (characters, pinyin or initials) and pass the filters: the best
// limit of them by the ranking's estimate, and how many there are. A prefix
// shared by very many names is answered from its hot list when useHot
// (no filters, first page), and its count is then approximate.
func (ix *Index) tableMatches(qt qtext, mf *memFilter, limit int, useHot bool) (cands []cand, count int, approx bool) {
	top := topCands{n: limit}
	for _, key := range tableKeys(qt) {
		if key == "" {
			continue
		}
		short := len(key) <= prefixHotLetters
		if qt.charMode() {
			short = utf8.RuneCountInString(key) == 1
		}
		if l := ix.hot[prefixMark+key]; useHot && short && l != nil {
			for _, it := range l.top {
				top.add(cand{it.e, int(it.k), float64(it.score)})
			}
			count += l.count
			approx = true
			// whole-key matches are not in a prefix list: look them up
			ix.names.ascend(pivot(key), func(it nameItem) bool {
				if it.key != key {
					return false
				}
				if !qt.charMode() || it.kind == keyText {
					top.add(cand{it.e, int(it.k), estimate(it, true)})
				}
				return true
			})
			continue
		}
		ix.tableScan(qt, key, mf, func(it nameItem, exact bool) bool {
			count++
			if c := (cand{it.e, int(it.k), estimate(it, exact)}); len(top.list) < top.n || c.score >= top.list[top.n-1].score {
				top.add(c)
			}
			return true
		})
	}
	if !qt.charMode() && count > 0 {
		approx = true // a name may match by its pinyin and by its initials
	}
	return top.list, count, approx
}

// minTypoLetters is the shortest pinyin read as having a typo.
const minTypoLetters = 5

// typoMatches finds the names whose whole pinyin is one edit from the
// query's (a letter dropped, added, changed, or two swapped), as a
// Levenshtein automaton would, by looking each variant up in the name table:
// about 30 lookups per letter, a fraction of a millisecond.
func (ix *Index) typoMatches(qt qtext, mf *memFilter, limit int) (cands []cand, count int) {
	top := topCands{n: limit}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	seen := map[string]bool{}
	look := func(v string) {
		if seen[v] {
			return
		}
		seen[v] = true
		ix.names.ascend(pivot(v), func(it nameItem) bool {
			if it.key != v {
				return false
			}
			// pinyin, or a Latin name's text (tigerhil: Tiger Hill); a
			// variant of Latin letters never equals a key of characters
			if it.kind != keyInitials && (mf.none || mf.ok(it.e, it.e.Names[it.k])) {
				count++
				top.add(cand{it.e, int(it.k), howScore[howFuzzy] + float64(it.tie)})
			}
			return true
		})
	}
	for _, lat := range qt.combos {
		if len(lat) < minTypoLetters {
			continue
		}
		seen[lat] = true // the query itself is no typo
		for i := 0; i <= len(lat); i++ {
			for _, c := range letters {
				look(lat[:i] + string(c) + lat[i:]) // a letter added
			}
			if i == len(lat) {
				break
			}
			look(lat[:i] + lat[i+1:]) // dropped
			for _, c := range letters {
				look(lat[:i] + string(c) + lat[i+1:]) // changed
			}
			if i+1 < len(lat) {
				look(lat[:i] + lat[i+1:i+2] + lat[i:i+1] + lat[i+2:]) // swapped
			}
		}
	}
	return top.list, count
}

// The scores estimate gives, read from howScore once: a lookup in that map
// for each of the 94,000 names a three-letter prefix (xin) scans was half
// the scan.
var (
	estInitials   = howScore[howInitials]
	estInitPrefix = howScore[howInitPrefix]
	estExact      = howScore[howExact]
	estPrefix     = howScore[howPrefix]
)

// estimate is the rank a name table item will get (rankScore), known
// without classifying it: the tier from the kind of key and whether it is
// the whole key, plus the tie-breakers.
func estimate(it nameItem, exact bool) float64 {
	var s float64
	switch {
	case it.kind == keyInitials && exact:
		s = estInitials
	case it.kind == keyInitials:
		s = estInitPrefix
	case exact:
		s = estExact
	default:
		s = estPrefix
	}
	if it.variant {
		s -= variantPenalty
	}
	return s + float64(it.tie)
}
