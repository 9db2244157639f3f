package search

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"wumen/gazetteer"
)

//go:embed generics.tsv
var genericsTSV []byte

// genericSubclasses maps a 通名 character to the subclasses it names.
var genericSubclasses = loadGenerics(genericsTSV)

func loadGenerics(b []byte) map[string][]string {
	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			panic("search: bad generics.tsv line: " + line)
		}
		m[f[0]] = strings.Split(f[1], "|")
	}
	return m
}

// nameYears returns the range of years a name with these approximate dates
// may have been in use (gazetteer.ParsePeriod reads them); dated is false
// when neither date can be read.
func nameYears(start, end string) (from, to int, dated bool) {
	from, to = minYear, maxYear
	if p, ok := gazetteer.ParsePeriod(start); ok {
		from, dated = p.Start, true
	}
	if p, ok := gazetteer.ParsePeriod(end); ok {
		to, dated = p.End, true
	}
	return from, to, dated
}

const (
	minYear = -3000
	maxYear = 3000
)
