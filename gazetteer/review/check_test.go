package review_test

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	. "wumen/gazetteer/review"
	"wumen/gazetteer/storetest"
)

// testStore opens a temporary store seeded with the fixture places.
func testStore(t testing.TB) *gazetteer.Store {
	t.Helper()
	s := storetest.Open(t)
	if _, err := s.Seed(context.Background(), os.DirFS("testdata"), nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func parseCategory(s string) gazetteer.Category {
	class, sub, _ := strings.Cut(s, "/")
	return gazetteer.Category{Class: class, Subclass: sub}
}

func parseLatLon(t testing.TB, s string) *orb.Point {
	if s == "" {
		return nil
	}
	la, lo, ok := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(la, 64)
	lon, err2 := strconv.ParseFloat(lo, 64)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("bad lat,lon %q", s)
	}
	return &orb.Point{lon, lat}
}

func TestCases(t *testing.T) {
	s := testStore(t)
	c := &Checker{Store: s}
	f, err := os.Open("testdata/cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 10 {
			t.Fatalf("cases.tsv:%d: %d columns, want 10", line, len(col))
		}
		n++
		sub := Subject{Action: Action(col[0]), Name: col[1], Admin: col[3], Point: parseLatLon(t, col[4]), Scale: col[6], Protection: col[7]}
		if col[2] != "" {
			sub.Category = parseCategory(col[2])
		}
		if col[5] != "" {
			sub.Target, _ = strconv.ParseInt(col[5], 10, 64)
		}
		name := strconv.Itoa(line) + "_" + col[0] + "_" + col[1]
		t.Run(name, func(t *testing.T) {
			rep, err := c.Check(context.Background(), sub)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range strings.Split(col[8], ",") {
				switch {
				case want == "clean":
					if rep.Blocked() {
						t.Errorf("%s: want no block finding, got %s", col[9], summary(rep))
					}
				case strings.HasPrefix(want, "!"):
					if rep.Has(want[1:]) {
						t.Errorf("%s: rule %s fired: %s", col[9], want[1:], summary(rep))
					}
				default:
					rule, sev, _ := strings.Cut(want, ":")
					f := find(rep, rule)
					if f == nil {
						t.Errorf("%s: want rule %s, got %s", col[9], rule, summary(rep))
						continue
					}
					if sev != "" && string(f.Severity) != sev {
						t.Errorf("%s: rule %s severity %s, want %s", col[9], rule, f.Severity, sev)
					}
					if f.Article == "" || f.Message == "" || f.MessageEN == "" {
						t.Errorf("rule %s: finding without article or messages: %+v", rule, f)
					}
				}
			}
		})
	}
	if n < 60 {
		t.Fatalf("cases.tsv has %d cases, want at least 60", n)
	}
}

func find(r *Report, rule string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Rule == rule {
			return &r.Findings[i]
		}
	}
	return nil
}

func summary(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.Rule + ":" + string(f.Severity) + "(" + f.Message + ") ")
	}
	if b.Len() == 0 {
		return "no findings"
	}
	return b.String()
}

func TestDuplicateLinksAndDistance(t *testing.T) {
	s := testStore(t)
	rep, err := (&Checker{Store: s}).Check(context.Background(), Subject{Name: "山塘街",
		Category: parseCategory("交通运输设施/道路街巷"), Admin: "320508", Point: &orb.Point{120.5990, 31.3205}})
	if err != nil {
		t.Fatal(err)
	}
	f := find(rep, RuleDuplicate)
	if f == nil || len(f.Places) != 1 {
		t.Fatalf("want one conflicting place, got %s", summary(rep))
	}
	k := f.Places[0]
	if k.ID != 12 || k.URL != "/places/12" || k.DistanceM < 100 || k.DistanceM > 300 {
		t.Errorf("conflict = %+v, want 山塘街 (12) about 150 m away", k)
	}
	if !strings.Contains(f.Message, "建成区") || !strings.Contains(rep.ScopeEN, "approximated") {
		t.Errorf("the street scope must say it approximates the built-up area: %q / %q", f.Message, rep.ScopeEN)
	}
}

func TestShortLineIsLane(t *testing.T) {
	s := testStore(t)
	line := orb.LineString{{120.6300, 31.2600}, {120.6310, 31.2600}} // about 95 m
	rep, err := (&Checker{Store: s}).Check(context.Background(), Subject{Name: "环球大道",
		Category: parseCategory("交通运输设施/道路街巷"), Admin: "320506", Geometry: line})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Has(RuleInflatedGeneric) {
		t.Errorf("a 95 m street called 大道 must be flagged: %s", summary(rep))
	}
}

// TestEveryArticleExplained: every article a finding can cite has its gist
// in data/articles.tsv, to show the officer.
func TestEveryArticleExplained(t *testing.T) {
	for _, a := range []string{ArtMeaning, ArtScale, ArtChars, ArtPerson, ArtForeign, ArtBrand, ArtDuplicate,
		ArtGeneric, ArtHistory, ArtProtected, ArtRevival, ArtProcedure} {
		if ArticleText(a) == "" {
			t.Errorf("no gist for %s in data/articles.tsv", a)
		}
	}
	if got := ArticleText(ArtForeign + "；" + ArtChars); !strings.Contains(got, "外国") || !strings.Contains(got, "通用规范汉字表") {
		t.Errorf("two articles: %q", got)
	}
}

func TestListsLoad(t *testing.T) {
	if CharLevel('一') != 1 || CharLevel('甪') != 3 || CharLevel('蘇') != 0 {
		t.Errorf("levels: 一 %d 甪 %d 蘇 %d", CharLevel('一'), CharLevel('甪'), CharLevel('蘇'))
	}
	for _, l := range []string{ListInflated, ListForeign, ListLeader, ListPerson, ListBrand, ListVulgar} {
		if len(Words(l)) == 0 {
			t.Errorf("list %s is empty", l)
		}
	}
	if g, ok := Generics(gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}); !ok || len(g) != 1 || g[0] != "桥" {
		t.Errorf("bridges: %v %v", g, ok)
	}
}
