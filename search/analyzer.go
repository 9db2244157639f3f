package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// tokensAnalyzer is the name of the analyzer every text field uses: the
// tokens are computed by tokenize, space-joined, and this analyzer only
// splits them again. It is registered with bleve so an index opened from
// disk finds it by name.
const tokensAnalyzer = "wumen_tokens"

type spaceAnalyzer struct{}

// Analyze splits on ASCII spaces; tokens never contain one.
func (spaceAnalyzer) Analyze(b []byte) analysis.TokenStream {
	ts := make(analysis.TokenStream, 0, 8)
	pos := 1
	start := 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == ' ' {
			if i > start {
				ts = append(ts, &analysis.Token{Term: b[start:i], Start: start, End: i, Position: pos, Type: analysis.Ideographic})
				pos++
			}
			start = i + 1
		}
	}
	return ts
}

func init() {
	registry.RegisterAnalyzer(tokensAnalyzer, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return spaceAnalyzer{}, nil
	})
}
