// Package relevance is the search's relevance suite: the queries of
// relevance.tsv (about 260, by kind: exact, partial, pinyin, initials,
// typos, historical names, filters, English …), what each must find, and
// the floors the share of good answers may not fall below. The server's
// index (search's TestRelevance), the compact index (TestCompactRelevance)
// and the static site's search in Chromium (site's
// TestBrowserStaticSearchRelevance) are held to the same floors by Judge.
package relevance

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
)

//go:embed relevance.tsv
var tsv []byte

// Floor is the quality a kind of query is held to: the share of queries
// whose first hit is right (P@1) and the share of expected places found in
// the top 5 (R@5).
type Floor struct{ P1, R5 float64 }

// Floors are the floors by kind of query; below either the suite fails.
var Floors = map[string]Floor{
	"exact":       {0.95, 0.95},
	"partial":     {0.85, 0.9},
	"single":      {0.9, 0.9},
	"traditional": {0.9, 0.9},
	"pinyin":      {0.85, 0.9},
	"spaced":      {0.85, 0.9},
	"initials":    {0.7, 0.85},
	"typo":        {0.7, 0.8},
	"historical":  {0.85, 0.9},
	"alias":       {0.85, 0.9},
	"mixed":       {0.85, 0.9},
	"prefix":      {0.85, 0.9},
	"filter":      {0.85, 0.9},
	"admin":       {0.9, 0.9},
	// English names (search/english.go): as written or by their words;
	// with a typo; pinyin with the English word for its 通名 (Shantang street)
	"english":       {0.9, 0.95},
	"english-typo":  {0.8, 0.85},
	"english-mixed": {0.85, 0.9},
}

// Case is one query of the suite.
type Case struct {
	Kind, Text string
	// Want is the standard names of the right places, or one "@subclass"
	// (any place of that 子类), or "-" (no result at all).
	Want []string
	// Params are filters as a URL query string, read by search.ParseQuery.
	Params string
	Line   int // in relevance.tsv
}

// Cases reads the suite.
func Cases() ([]Case, error) {
	var cs []Case
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("relevance.tsv:%d: want kind, query, expected[, params]", n)
		}
		c := Case{Kind: f[0], Text: f[1], Want: strings.Split(f[2], "|"), Line: n}
		if len(f) > 3 {
			c.Params = f[3]
		}
		cs = append(cs, c)
	}
	return cs, sc.Err()
}

// Hit is what the suite looks at in a hit: the place's standard name and
// its 子类.
type Hit struct{ Name, Subclass string }

// Tally counts the answers of one kind of query.
type Tally struct {
	N, P1 int
	R5    float64
}

// Judge scores the answers (the top 5 hits of each case, in order) and
// returns a line per kind (n, P@1, R@5), the misses at rank 1, and an
// error naming every kind below its floor. names are the standard names of
// the dataset: an expected name outside it is an error in the suite.
func Judge(cases []Case, answers [][]Hit, names map[string]bool) (report string, misses []string, err error) {
	byKind := map[string]*Tally{}
	for i, c := range cases {
		hits := answers[i]
		if len(hits) > 5 {
			hits = hits[:5]
		}
		tl := byKind[c.Kind]
		if tl == nil {
			tl = &Tally{}
			byKind[c.Kind] = tl
		}
		tl.N++
		var got []string
		for _, h := range hits {
			got = append(got, h.Name)
		}
		ok1, r5 := false, 0.0
		switch {
		case c.Want[0] == "-":
			ok1 = len(hits) == 0
			if ok1 {
				r5 = 1
			}
		case strings.HasPrefix(c.Want[0], "@"):
			good := 0
			for _, h := range hits {
				if slices.Contains(c.Want, "@"+h.Subclass) {
					good++
				}
			}
			ok1 = len(hits) > 0 && slices.Contains(c.Want, "@"+hits[0].Subclass)
			if len(hits) > 0 {
				r5 = float64(good) / float64(len(hits))
			}
		default:
			for _, w := range c.Want {
				if !names[w] {
					return "", nil, fmt.Errorf("relevance.tsv:%d: %s is not a standard name in the dataset", c.Line, w)
				}
			}
			ok1 = len(hits) > 0 && slices.Contains(c.Want, hits[0].Name)
			// recall: every expected place in the top 5; for alternatives
			// that share a name (苏州 / 苏州市) finding one counts.
			found := 0
			for _, w := range c.Want {
				if slices.Contains(got, w) {
					found++
				}
			}
			r5 = float64(found) / float64(min(len(c.Want), 5))
			if len(c.Want) > 1 && found > 0 && isAlternatives(c.Want) {
				r5 = 1
			}
		}
		if ok1 {
			tl.P1++
		} else {
			misses = append(misses, fmt.Sprintf("miss@1 %-11s %-16q want %v got %v", c.Kind, c.Text+" "+c.Params, c.Want, got))
		}
		tl.R5 += r5
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	var below []string
	fmt.Fprintf(&b, "%-13s %5s %6s %6s\n", "kind", "n", "P@1", "R@5")
	for _, k := range kinds {
		tl := byKind[k]
		p1, r5 := float64(tl.P1)/float64(tl.N), tl.R5/float64(tl.N)
		fmt.Fprintf(&b, "%-13s %5d %6.3f %6.3f\n", k, tl.N, p1, r5)
		floor, ok := Floors[k]
		if !ok {
			below = append(below, "kind "+k+" has no floor")
			continue
		}
		if p1 < floor.P1 || r5 < floor.R5 {
			below = append(below, fmt.Sprintf("%s: P@1 %.3f (floor %.2f), R@5 %.3f (floor %.2f)", k, p1, floor.P1, r5, floor.R5))
		}
	}
	if len(below) > 0 {
		err = fmt.Errorf("below the floors: %s", strings.Join(below, "; "))
	}
	return b.String(), misses, err
}

// isAlternatives reports whether the expected names are alternatives for
// one place (a shared specific: 苏州 / 苏州市, 昆山 / 昆山市) rather than a set.
func isAlternatives(want []string) bool {
	for _, w := range want[1:] {
		if !strings.HasPrefix(w, want[0]) && !strings.HasPrefix(want[0], w) {
			return false
		}
	}
	return true
}
