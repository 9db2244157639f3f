package romanize

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// readingsTXT is github.com/mozillazg/go-pinyin's dictionary of character
// readings as data (written by internal/genreadings; its doc gives the
// format), so that the search compiled to WebAssembly does not link the
// library's Go map literal. TestReadingsSameAsGoPinyin holds it to the
// library.
//
//go:embed readings.txt
var readingsTXT string

// readingTable is readings.txt read: the code points in order and, at the
// same index, their readings as one comma-separated substring of
// readingsTXT.
type readingTable struct {
	chars []rune
	reads []string
}

// readingData parses readingsTXT once, on first use.
var readingData = sync.OnceValue(func() readingTable {
	t, err := parseReadings(readingsTXT)
	if err != nil {
		// Embedded and checked by the tests: a build defect.
		panic("romanize: " + err.Error())
	}
	return t
})

// parseReadings reads the format of readings.txt (internal/genreadings).
func parseReadings(text string) (readingTable, error) {
	n := strings.Count(text, "\n")
	t := readingTable{make([]rune, 0, n), make([]string, 0, n)}
	var r rune
	for line, rest := 1, text; rest != ""; line++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		d, v, ok := strings.Cut(l, "\t")
		step := 1
		if d != "" {
			var err error
			if step, err = strconv.Atoi(d); err != nil || step < 1 {
				ok = false
			}
		}
		if !ok || v == "" {
			return t, fmt.Errorf("readings.txt:%d: want the distance from the previous code point (a positive number, or nothing for 1), a tab and the readings", line)
		}
		r += rune(step)
		t.chars, t.reads = append(t.chars, r), append(t.reads, v)
	}
	return t, nil
}

// readings returns every reading go-pinyin knows for r, with tone marks,
// preferred first; nil when it knows none.
func readings(r rune) []string {
	t := readingData()
	i := sort.Search(len(t.chars), func(i int) bool { return t.chars[i] >= r })
	if i == len(t.chars) || t.chars[i] != r {
		return nil
	}
	return strings.Split(t.reads[i], ",")
}
