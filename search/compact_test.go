package search

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// compactIndex is the compact index of the test dataset, as a static build
// ships it, opened again.
func compactIndex(t testing.TB) *Index {
	var b bytes.Buffer
	if err := testIndex(t).WriteCompact(&b, nil); err != nil {
		t.Fatal(err)
	}
	cx, err := OpenCompact(&b)
	if err != nil {
		t.Fatal(err)
	}
	return cx
}

// sameQueries are the queries the two indexes are compared on: every case
// of the relevance suite as a search, and every prefix of its text as
// autocomplete.
func sameQueries(t *testing.T) (search []Query, complete []Query) {
	for _, c := range readRelevance(t) {
		q := caseQuery(t, c)
		search = append(search, q)
		rs := []rune(c.Text)
		for n := 1; n <= len(rs); n++ {
			p := q
			p.Text, p.Facets = string(rs[:n]), false
			if p.Validate(true) == nil {
				complete = append(complete, p)
			}
		}
	}
	return search, complete
}

// describe is what must be equal of a result: every hit (id, name, how it
// matched, score), the totals and the facets. Hits tied with the last of
// the page are given by score only: where the re-ranking window cuts
// through names of equal score, bleve keeps those it met first (by the
// segment a build worker put them in), the compact index those of lower
// place id.
func describe(r *Result, text string) string {
	var b strings.Builder
	for _, h := range r.Hits {
		if text == "" {
			// Without text every score is bleve's NaN (filters do not
			// score), so the server's order is undefined: only the
			// totals are compared.
			break
		}
		if last := r.Hits[len(r.Hits)-1].Score; h.Score == last && len(r.Hits) > 1 {
			fmt.Fprintf(&b, "tied %.3f; ", h.Score)
		} else {
			fmt.Fprintf(&b, "%d %s(%s %s) %.3f; ", h.ID, h.Name, h.Matched.Text, h.Matched.How, h.Score)
		}
	}
	if r.Facets != nil {
		fmt.Fprintf(&b, "facets %v", *r.Facets)
	}
	return fmt.Sprintf("total %d approx %v: %s", r.Total, r.TotalApprox, b.String())
}

// windowCut reports whether a differs from b only because the server's
// re-ranking window (search.run) cut through names bleve scores alike:
// more names match than the window holds, and b's hits score at least as
// well as a's, place by place. Which of the tied names bleve keeps depends
// on the segment each landed in, so such a server result is not
// reproducible from one build to the next; the compact index keeps the
// lower document ids, and the ranking then puts its best first.
func windowCut(kind string, q Query, a, b *Result) bool {
	window := max(2*(q.From+q.Size), 100)
	if kind == "autocomplete" {
		window = max(3*(q.From+q.Size), 30)
	}
	if a.Total <= uint64(window) || len(b.Hits) < len(a.Hits) || a.Total != b.Total {
		return false
	}
	for i := range a.Hits {
		if b.Hits[i].Score < a.Hits[i].Score {
			return false
		}
	}
	return true
}

// TestCompactSameResults holds the compact index (the browser's) to the
// server's: the same hits, in the same order, with the same scores and the
// same totals, for every relevance query and every prefix of it as typed.
func TestCompactSameResults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every relevance query and each prefix on both indexes")
	}
	ix, cx := testIndex(t), compactIndex(t)
	ctx := context.Background()
	search, complete := sameQueries(t)
	differ := 0
	compare := func(kind string, q Query, run func(*Index, context.Context, Query) (*Result, error)) {
		for _, size := range []int{5, 10} {
			q.Size = size
			a, err := run(ix, ctx, q)
			if err != nil {
				t.Fatalf("%s %q: server: %v", kind, q.Text, err)
			}
			b, err := run(cx, ctx, q)
			if err != nil {
				t.Fatalf("%s %q: compact: %v", kind, q.Text, err)
			}
			if da, db := describe(a, q.Text), describe(b, q.Text); da != db {
				if windowCut(kind, q, a, b) {
					t.Logf("%s %q size %d: the server's window cut through tied names (its segment order), the compact index ranks better:\nserver  %s\ncompact %s", kind, q.Text, size, da, db)
					continue
				}
				differ++
				t.Errorf("%s %q %+v size %d:\nserver  %s\ncompact %s", kind, q.Text, q, size, da, db)
			}
		}
	}
	for _, q := range search {
		compare("search", q, (*Index).Search)
		q.Facets = true
		compare("search with facets", q, (*Index).Search)
	}
	// and the filters alone, and with a year
	for _, f := range []string{"category=bridge", "heritage=any", "admin=320508", "category=street&year=1900", "text=桥&year=1500", "text=sz&year=1950"} {
		v, _ := url.ParseQuery(f)
		q, err := ParseQuery(v)
		if err != nil {
			t.Fatal(err)
		}
		compare("filter", q, (*Index).Search)
	}
	for _, q := range complete {
		compare("autocomplete", q, (*Index).Autocomplete)
	}
	t.Logf("%d searches and %d autocompletes compared, %d differ", len(search), len(complete), differ)
}

// TestCompactRelevance runs the relevance suite, with its floors, on the
// compact index.
func TestCompactRelevance(t *testing.T) {
	runRelevance(t, compactIndex(t))
}

// TestEnglishTermsAsBleve holds the browser's English analyzer to bleve's,
// on every English name of the dataset and every query of the relevance
// suite.
func TestEnglishTermsAsBleve(t *testing.T) {
	stop := map[string]bool{}
	for _, w := range englishStopWords() {
		stop[w] = true
	}
	if !stop["the"] || !stop["of"] {
		t.Fatalf("the stop list lacks the and of: %d words", len(stop))
	}
	texts := []string{"Humble Administrator's Garden", "Garden of the Master of Nets", "Suzhou’s TIGER hills", "Lingering Gardens"}
	for _, e := range testIndex(t).places {
		for _, n := range e.Names {
			if n.isEnglish() {
				texts = append(texts, n.Text)
			}
		}
	}
	for _, c := range readRelevance(t) {
		texts = append(texts, c.Text)
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts", len(texts))
	}
	for _, s := range texts {
		if a, b := fmt.Sprint(analyseEnglish(s)), fmt.Sprint(englishTerms(s, stop)); a != b {
			t.Errorf("%q: bleve %s, englishTerms %s", s, a, b)
		}
	}
}
