package search

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"wumen/search/relevance"
)

type relCase = relevance.Case

func readRelevance(t *testing.T) []relCase {
	cs, err := relevance.Cases()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// caseQuery is the query of a relevance case: its text with its filters.
func caseQuery(t *testing.T, c relCase) Query {
	t.Helper()
	v, err := url.ParseQuery(c.Params)
	if err != nil {
		t.Fatalf("relevance.tsv:%d: %v", c.Line, err)
	}
	v.Set("text", c.Text)
	q, err := ParseQuery(v)
	if err != nil {
		t.Fatalf("relevance.tsv:%d: %v", c.Line, err)
	}
	return q
}

func TestRelevance(t *testing.T) {
	runRelevance(t, testIndex(t))
}

// TestRelevanceHotLists runs the suite on an index where every key shared
// by 30 names has a hot list, so the lists answer most short queries: they
// must rank as well as scoring the postings does.
func TestRelevanceHotLists(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the relevance suite again on an index of hot lists")
	}
	ix, err := Options{HotMin: 30}.Build(filepath.Join(t.TempDir(), "ix"), eachOf(loadPlaces(t)))
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
	answers := make([][]relevance.Hit, len(cases))
	for i, c := range cases {
		q := caseQuery(t, c)
		q.Size = 5
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("relevance.tsv:%d: %v", c.Line, err)
		}
		for _, h := range r.Hits {
			answers[i] = append(answers[i], relevance.Hit{Name: h.Name, Subclass: h.Subclass})
		}
	}
	report, misses, err := relevance.Judge(cases, answers, names)
	for _, m := range misses {
		t.Log(m)
	}
	fmt.Print(report)
	if err != nil {
		t.Error(err)
	}
}
