package search

import (
	"bytes"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"github.com/blevesearch/segment"
)

// englishTerms is bleve's English analyzer (analysis/lang/en) put together
// from the libraries it is made of, for the browser, where bleve's
// registry (and with it bleve) does not build: Unicode word segmentation
// (blevesearch/segment, the words only), the possessive 's dropped, lower
// case, the stop words (stop: bleve's list, shipped in the compact index)
// left out, Porter stemming (blevesearch/go-porterstemmer). A test holds it
// to bleve's analyzer on every English name and query of the test data.
func englishTerms(text string, stop map[string]bool) []string {
	var out []string
	seg := segment.NewWordSegmenterDirect([]byte(text))
	for seg.Segment() {
		if seg.Type() == segment.None {
			continue
		}
		t := seg.Bytes()
		if last, n := utf8.DecodeLastRune(t); last == 's' || last == 'S' {
			if prev, m := utf8.DecodeLastRune(t[:len(t)-n]); prev == '\u2019' || prev == '\'' || prev == '\uff07' {
				t = t[:len(t)-n-m]
			}
		}
		t = bytes.ToLower(t)
		if stop[string(t)] {
			continue
		}
		out = append(out, string(porterstemmer.StemWithoutLowerCasing(bytes.Runes(t))))
	}
	return out
}
