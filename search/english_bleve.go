//go:build !js

package search

import (
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

var (
	enOnce     sync.Once
	enAnalyzer analysis.Analyzer
)

// englishAnalyzer is bleve's English analyzer.
func englishAnalyzer() analysis.Analyzer {
	enOnce.Do(func() {
		a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
		if err != nil {
			panic("search: bleve's English analyzer: " + err.Error())
		}
		enAnalyzer = a
	})
	return enAnalyzer
}

// analyseEnglish is the terms of bleve's English analyzer for text.
func analyseEnglish(text string) []string {
	ts := englishAnalyzer().Analyze([]byte(text))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// englishStopWords is the English analyzer's stop list, for a compact
// index (the browser's analyzer, english_js.go, has no copy of its own).
func englishStopWords() []string {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		panic("search: bleve's English stop words: " + err.Error())
	}
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// setEnglishStopWords is for the browser's analyzer; a server has bleve's.
func setEnglishStopWords([]string) {}
