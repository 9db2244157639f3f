package gazetteer

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed periods.tsv
var periodsTSV string

// periods maps a period name to its first and last year, read from
// periods.tsv (data, reviewed like code).
var periods = func() map[string][2]int {
	m := map[string][2]int{}
	for i, line := range strings.Split(periodsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic(fmt.Sprintf("periods.tsv:%d: want name, start, end", i+1))
		}
		a, err1 := strconv.Atoi(f[1])
		b, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || a > b {
			panic(fmt.Sprintf("periods.tsv:%d: bad years", i+1))
		}
		m[strings.ToLower(f[0])] = [2]int{a, b}
	}
	return m
}()

// circaSlack is how many years a circa date may stray either way.
const circaSlack = 10

// Period is the span of years an approximate date stands for.
type Period struct {
	Start, End int // inclusive years; negative is BCE
}

// ParsePeriod reads an approximate date as the project writes them (Name
// Start/End, docs/domain.md §1): a year "1912", a date "2019-06-01", a range
// "1368-1644", a circa "c. 1781" / "约1781年", a BCE year "前221", or a named
// period "南宋", "明代", "明初", "Song dynasty" (periods.tsv). It reports
// false for what it cannot read.
func ParsePeriod(s string) (Period, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"c.", "ca.", "circa", "约", "~"} {
		if rest, ok := strings.CutPrefix(strings.ToLower(s), p); ok {
			// A circa year may stray either way: "c. 1781" is 1771–1791.
			q, ok := ParsePeriod(rest)
			if !ok {
				return Period{}, false
			}
			return Period{q.Start - circaSlack, q.End + circaSlack}, true
		}
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "公元"))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "?"), "年")
	if strings.HasPrefix(s, "前") {
		s = "-" + strings.TrimPrefix(s, "前")
	}
	if a, b, ok := yearRange(s); ok {
		if a <= b {
			return Period{a, b}, true
		}
		return Period{}, false
	}
	if y, ok := yearOrDate(s); ok {
		return Period{y, y}, true
	}
	name := strings.ToLower(s)
	name = strings.TrimSuffix(strings.TrimSuffix(name, " dynasty"), " period")
	if p, ok := periods[name]; ok {
		return Period{p[0], p[1]}, true
	}
	// 明代, 清朝, 宋时期, 明初, 清末, 唐中期: the whole period (approximate
	// by nature; an early/late qualifier does not narrow it here).
	for _, suf := range []string{"时期", "年间", "中期", "早期", "晚期", "后期", "前期", "代", "朝", "初", "末", "中"} {
		if base := strings.TrimSuffix(name, suf); base != name {
			if p, ok := periods[base]; ok {
				return Period{p[0], p[1]}, true
			}
			if p, ok := ParsePeriod(base); ok {
				return p, true
			}
		}
	}
	return Period{}, false
}

// NameSpan returns the years a name with approximate dates start and end was
// in use: from the first year of start to the last of end. An empty start
// or end is open (ok still true); a date that cannot be read makes ok false.
func NameSpan(start, end string) (from, to int, ok bool) {
	from, to = -1<<31, 1<<31-1
	if start != "" {
		p, ok := ParsePeriod(start)
		if !ok {
			return 0, 0, false
		}
		from = p.Start
	}
	if end != "" {
		p, ok := ParsePeriod(end)
		if !ok {
			return 0, 0, false
		}
		to = p.End
	}
	return from, to, from <= to
}

// InUse reports whether one of the place's names was in use at some year of
// from..to (inclusive): a name whose dates include it, or an undated name of
// a current place. OGC API datetime queries select places this way.
func InUse(p *Place, from, to int) bool {
	for _, n := range AllNames(p) {
		if n.Start == "" && n.End == "" {
			if p.Status == StatusCurrent {
				return true
			}
			continue
		}
		a, b, ok := NameSpan(n.Start, n.End)
		if ok && a <= to && from <= b {
			return true
		}
	}
	return false
}

// yearPrefix reads a year at the start of s: an optional minus and one to
// four ASCII digits, not followed by a fifth; it returns the year and the
// rest of s.
func yearPrefix(s string) (int, string, bool) {
	i := 0
	if strings.HasPrefix(s, "-") {
		i = 1
	}
	j := i
	for j < len(s) && j-i < 5 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || j-i > 4 {
		return 0, s, false
	}
	y, _ := strconv.Atoi(s[:j])
	return y, s[j:], true
}

// yearRange reads two years with a dash, slash, 至 or ~ between them and
// spaces allowed around it ("1368-1644", "-221 — -206", "1912至1949").
// It reads no regular expression so that the search compiled to
// WebAssembly links no regexp package (BENCHMARKS.md, static search); a
// test holds it to the expression it replaced.
func yearRange(s string) (a, b int, ok bool) {
	a, rest, ok := yearPrefix(s)
	if !ok {
		return 0, 0, false
	}
	rest = strings.TrimLeft(rest, " \t\n\f\r")
	sep := false
	for _, d := range []string{"-", "–", "—", "/", "至", "~"} {
		if r, found := strings.CutPrefix(rest, d); found {
			rest, sep = r, true
			break
		}
	}
	if !sep {
		return 0, 0, false
	}
	b, rest, ok = yearPrefix(strings.TrimLeft(rest, " \t\n\f\r"))
	return a, b, ok && rest == ""
}

// yearOrDate reads a year, or the year of a date "2019-06-01" (an ISO
// 8601 month, day and then a time may follow the year).
func yearOrDate(s string) (int, bool) {
	y, rest, ok := yearPrefix(s)
	if !ok {
		return 0, false
	}
	if rest == "" {
		return y, true
	}
	parts := 0 // month, day
	for ; parts < 2 && strings.HasPrefix(rest, "-"); parts++ {
		n := 1
		for n < len(rest) && n < 3 && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return 0, false
		}
		rest = rest[n:]
	}
	if parts > 0 && (rest == "" || strings.HasPrefix(rest, "T") && !strings.Contains(rest, "\n")) {
		return y, true
	}
	return 0, false
}
