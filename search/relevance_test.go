package search

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// relevanceFloor is the quality this suite holds the index to, per query
// kind: the share of queries whose first hit is right (P@1) and the share of
// expected places found in the top 5 (R@5). Below either the test fails.
var relevanceFloor = map[string]struct{ p1, r5 float64 }{
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
	// English names (english.go): as written or by their words; with a
	// typo; pinyin with the English word for its 通名 (Shantang street)
	"english":       {0.9, 0.95},
	"english-typo":  {0.8, 0.85},
	"english-mixed": {0.85, 0.9},
}

type relCase struct {
	kind, text string
	want       []string // standard names, or one "@subclass", or "-" for no result
	params     string
	line       int
}

func readRelevance(t *testing.T) []relCase {
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []relCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("relevance.tsv:%d: want kind, query, expected[, params]", n)
		}
		c := relCase{kind: f[0], text: f[1], want: strings.Split(f[2], "|"), line: n}
		if len(f) > 3 {
			c.params = f[3]
		}
		cs = append(cs, c)
	}
	return cs
}

func TestRelevance(t *testing.T) {
	runRelevance(t, testIndex(t))
}

// TestRelevanceHotLists runs the suite on an index where every key shared
// by 30 names has a hot list, so the lists answer most short queries: they
// must rank as well as scoring the postings does.
func TestRelevanceHotLists(t *testing.T) {
	defer func(n int) { hotMin = n }(hotMin)
	hotMin = 30
	ix, err := Build(filepath.Join(t.TempDir(), "ix"), eachOf(loadPlaces(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	if len(ix.hot) < 50 {
		t.Fatalf("only %d hot lists", len(ix.hot))
	}
	runRelevance(t, ix)
	// and they survive a reopen
	ix.Close()
	ix, err = Open(ix.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.hot) < 50 {
		t.Fatalf("only %d hot lists after reopen", len(ix.hot))
	}
	runRelevance(t, ix)
}

func runRelevance(t *testing.T, ix *Index) {
	cases := readRelevance(t)
	if len(cases) < 120 {
		t.Fatalf("only %d relevance cases", len(cases))
	}
	names := map[string]bool{}
	for _, e := range ix.places {
		names[e.Names[0].Text] = true
	}
	type tally struct {
		n, p1 int
		r5    float64
	}
	byKind := map[string]*tally{}
	for _, c := range cases {
		v, err := url.ParseQuery(c.params)
		if err != nil {
			t.Fatalf("relevance.tsv:%d: %v", c.line, err)
		}
		v.Set("text", c.text)
		q, err := ParseQuery(v)
		if err != nil {
			t.Fatalf("relevance.tsv:%d: %v", c.line, err)
		}
		q.Size = 5
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("relevance.tsv:%d: %v", c.line, err)
		}
		tl := byKind[c.kind]
		if tl == nil {
			tl = &tally{}
			byKind[c.kind] = tl
		}
		tl.n++
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.Name)
		}
		ok1, r5 := false, 0.0
		switch {
		case c.want[0] == "-":
			ok1 = len(r.Hits) == 0
			if ok1 {
				r5 = 1
			}
		case strings.HasPrefix(c.want[0], "@"):
			isSub := func(h Hit) bool { return contains(c.want, "@"+h.Subclass) }
			ok1 = len(r.Hits) > 0 && isSub(r.Hits[0])
			good := 0
			for _, h := range r.Hits {
				if isSub(h) {
					good++
				}
			}
			if len(r.Hits) > 0 {
				r5 = float64(good) / float64(len(r.Hits))
			}
		default:
			for _, w := range c.want {
				if !names[w] {
					t.Fatalf("relevance.tsv:%d: %s is not a standard name in the dataset", c.line, w)
				}
			}
			ok1 = len(r.Hits) > 0 && contains(c.want, r.Hits[0].Name)
			// recall: every expected place in the top 5; for alternatives
			// that share a name (苏州 / 苏州市) finding one counts.
			found := 0
			for _, w := range c.want {
				if contains(got, w) {
					found++
				}
			}
			r5 = float64(found) / float64(min(len(c.want), 5))
			if len(c.want) > 1 && found > 0 && isAlternatives(c.want) {
				r5 = 1
			}
		}
		if ok1 {
			tl.p1++
		} else {
			t.Logf("miss@1 %-11s %-16q want %v got %v", c.kind, c.text+" "+c.params, c.want, got)
		}
		tl.r5 += r5
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Printf("%-12s %5s %6s %6s\n", "kind", "n", "P@1", "R@5")
	for _, k := range kinds {
		tl := byKind[k]
		p1, r5 := float64(tl.p1)/float64(tl.n), tl.r5/float64(tl.n)
		fmt.Printf("%-12s %5d %6.3f %6.3f\n", k, tl.n, p1, r5)
		floor, ok := relevanceFloor[k]
		if !ok {
			t.Errorf("kind %s has no floor", k)
			continue
		}
		if p1 < floor.p1 || r5 < floor.r5 {
			t.Errorf("%s: P@1 %.3f (floor %.2f), R@5 %.3f (floor %.2f)", k, p1, floor.p1, r5, floor.r5)
		}
	}
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
