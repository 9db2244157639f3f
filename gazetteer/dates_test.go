package gazetteer

import "testing"

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
