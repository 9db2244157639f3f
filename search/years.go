package search

import (
	"bufio"
	"bytes"
	_ "embed"
	"strconv"
	"strings"
)

//go:embed dynasties.tsv
var dynastiesTSV []byte

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

// period is a closed range of years.
type period struct{ from, to int }

var dynasties = loadDynasties(dynastiesTSV)

func loadDynasties(b []byte) map[string]period {
	m := map[string]period{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic("search: bad dynasties.tsv line: " + line)
		}
		from, err1 := strconv.Atoi(f[1])
		to, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			panic("search: bad dynasties.tsv line: " + line)
		}
		m[f[0]] = period{from, to}
	}
	return m
}

// approxSlack is how far "c. 1781" may stray either way.
const approxSlack = 10

// parsePeriod reads an approximate date as written in Name.Start/End: "1912",
// "1912-05-01", "1368-1644", "1368–1644", "c. 1781", "约1781", "宋", "南宋",
// "明代", "清朝", "民国". ok is false for text it cannot place in time.
func parsePeriod(s string) (p period, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return p, false
	}
	for _, pre := range []string{"c.", "ca.", "circa", "约", "~"} {
		if strings.HasPrefix(strings.ToLower(s), pre) {
			if p, ok := parsePeriod(s[len(pre):]); ok {
				return period{p.from - approxSlack, p.to + approxSlack}, true
			}
			return p, false
		}
	}
	for _, suf := range []string{"时期", "年间", "初", "末", "代", "朝", "年"} {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			if p, ok := parsePeriod(t); ok {
				return p, true
			}
		}
	}
	if d, ok := dynasties[s]; ok {
		return d, true
	}
	// A range of years "1368-1644" / "1368–1644" / "1368—1644".
	for _, sep := range []string{"–", "—", "/"} {
		s = strings.ReplaceAll(s, sep, "-")
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	parts := strings.Split(s, "-")
	y0, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil {
		return p, false
	}
	if neg {
		y0 = -y0
	}
	switch {
	case len(parts) == 1:
		return period{y0, y0}, true
	case len(parts) == 2 && len(strings.TrimSpace(parts[1])) >= 3:
		y1, err := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil || y1 < y0 {
			return p, false
		}
		return period{y0, y1}, true
	case len(parts) <= 3: // ISO date 1912-05-01 or 1912-05
		return period{y0, y0}, true
	}
	return p, false
}

// nameYears returns the range of years a name with these dates may have
// been in use; dated is false when neither date can be read.
func nameYears(start, end string) (from, to int, dated bool) {
	from, to = minYear, maxYear
	if p, ok := parsePeriod(start); ok {
		from, dated = p.from, true
	}
	if p, ok := parsePeriod(end); ok {
		to, dated = p.to, true
	}
	return from, to, dated
}

const (
	minYear = -3000
	maxYear = 3000
)
