package gazetteer

import (
	"regexp"
	"strconv"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in         string
		start, end int
		ok         bool
	}{
		{"1912", 1912, 1912, true},
		{"2019-06-01", 2019, 2019, true},
		{"1368-1644", 1368, 1644, true},
		{"1368–1644", 1368, 1644, true},
		{"c. 1781", 1771, 1791, true},
		{"约1781年", 1771, 1791, true},
		{"明", 1368, 1644, true},
		{"民国", 1912, 1949, true},
		{"1368–1644", 1368, 1644, true},
		{"-514", -514, -514, true},
		{"前221", -221, -221, true},
		{"南宋", 1127, 1279, true},
		{"明", 1368, 1644, true},
		{"明代", 1368, 1644, true},
		{"清朝", 1644, 1912, true},
		{"清末", 1644, 1912, true},
		{"唐", 618, 907, true},
		{"春秋", -770, -476, true},
		{"Song dynasty", 960, 1279, true},
		{"Southern Song", 1127, 1279, true},
		{"1644-1368", 0, 0, false},
		{"某时", 0, 0, false},
		{"", 0, 0, false},
	} {
		p, ok := ParsePeriod(tc.in)
		if ok != tc.ok || (ok && (p.Start != tc.start || p.End != tc.end)) {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %d–%d, %v", tc.in, p, ok, tc.start, tc.end, tc.ok)
		}
	}
}

func TestNameSpan(t *testing.T) {
	from, to, ok := NameSpan("1113", "1367")
	if !ok || from != 1113 || to != 1367 {
		t.Errorf("平江府 span %d–%d %v", from, to, ok)
	}
	from, _, ok = NameSpan("唐", "")
	if !ok || from != 618 {
		t.Errorf("七里山塘 from %d %v", from, ok)
	}
	if _, _, ok := NameSpan("唐", "??"); ok {
		t.Error("unreadable end accepted")
	}
}

// TestYearParsersSameAsRegexp holds yearRange and yearOrDate to the
// regular expressions they replaced, on every short string over the
// characters that matter and on the project's date forms.
func TestYearParsersSameAsRegexp(t *testing.T) {
	reRange := regexp.MustCompile(`^(-?\d{1,4})\s*[-–—/至~]\s*(-?\d{1,4})$`)
	reYear := regexp.MustCompile(`^(-?\d{1,4})(?:-\d{1,2}(?:-\d{1,2})?(?:T.*)?)?$`)
	check := func(s string) {
		a, b, ok := yearRange(s)
		if m := reRange.FindStringSubmatch(s); (m != nil) != ok || ok && (a != atoi(m[1]) || b != atoi(m[2])) {
			t.Errorf("yearRange(%q) = %d, %d, %v; the expression %q", s, a, b, ok, m)
		}
		y, ok := yearOrDate(s)
		if m := reYear.FindStringSubmatch(s); (m != nil) != ok || ok && y != atoi(m[1]) {
			t.Errorf("yearOrDate(%q) = %d, %v; the expression %q", s, y, ok, m)
		}
	}
	alphabet := []string{"1", "0", "-", " ", "T", "至", "/", "x", "\n"}
	var walk func(s string, n int)
	walk = func(s string, n int) {
		check(s)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+c, n-1)
		}
	}
	walk("", 6)
	for _, s := range []string{"1368-1644", "1368 — 1644", "-221–-206", "1912至1949", "1912~1949", "19121-1949",
		"2019-06-01", "2019-06-01T12:00:00Z", "2019-06", "2019-6-1", "2019-061", "2019T1", "12345", "-", "0-0",
		"2019-06-01T1\n2", "1949/", "1368 -1644 ", "-0012-0013"} {
		check(s)
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
