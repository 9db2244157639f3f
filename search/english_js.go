//go:build js

package search

// englishStop is the English analyzer's stop list, from the compact index.
var englishStop map[string]bool

// analyseEnglish is the terms of bleve's English analyzer for text
// (englishTerms).
func analyseEnglish(text string) []string { return englishTerms(text, englishStop) }

// setEnglishStopWords takes the stop list of a compact index.
func setEnglishStopWords(ws []string) {
	englishStop = make(map[string]bool, len(ws))
	for _, w := range ws {
		englishStop[w] = true
	}
}

// englishStopWords is the stop list taken from a compact index.
func englishStopWords() []string {
	ws := make([]string, 0, len(englishStop))
	for w := range englishStop {
		ws = append(ws, w)
	}
	return ws
}
