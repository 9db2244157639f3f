package search

import (
	"wumen/gazetteer/romanize"
)

// The readings and the script folding are the gazetteer's (one place decides
// how 浒墅关 is read); search only uses them, at index and at query time alike.
var syllables = romanize.Syllables
