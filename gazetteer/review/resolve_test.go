package review_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	. "wumen/gazetteer/review"
)

// dupRules lists the 重 findings of a report with the places they point at.
func dupRules(rep *Report) string {
	var s []string
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "dup.") {
			for _, p := range f.Places {
				s = append(s, f.Rule+"#"+strings.TrimPrefix(p.URL, "/places/"))
			}
		}
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

// TestCategoryAsWritten: the short, 通名-only, English and no-category forms
// find the same duplicates and homophones as the full path.
func TestCategoryAsWritten(t *testing.T) {
	s := testStore(t)
	c := &Checker{Store: s}
	ctx := context.Background()
	pt := &orb.Point{120.5990, 31.3205}
	for _, name := range []string{"山塘街", "善堂街", "十泉街", "观前路", "平海路"} {
		full, err := c.Check(ctx, Subject{Name: name, CategoryText: "交通运输设施/道路街巷", Admin: "320508", Point: pt})
		if err != nil {
			t.Fatal(err)
		}
		want := dupRules(full)
		if want == "" {
			t.Fatalf("%s: the full form finds no 重 at all: %s", name, summary(full))
		}
		for _, written := range []string{"道路街巷", "街巷", "街", "street", "Streets", ""} {
			rep, err := c.Check(ctx, Subject{Name: name, CategoryText: written, Admin: "320508", Point: pt})
			if err != nil {
				t.Fatalf("%s --category %q: %v", name, written, err)
			}
			if got := dupRules(rep); got != want {
				t.Errorf("%s --category %q: %s, want %s as with the full form", name, written, got, want)
			}
			if rep.Category == nil || rep.Category.Category.String() != "交通运输设施/道路街巷" {
				t.Errorf("%s --category %q: category note %+v", name, written, rep.Category)
			}
		}
	}
	rep, _ := c.Check(ctx, Subject{Name: "山塘街", Admin: "320508", Point: pt})
	if rep.Category.By != CategoryInferred || !strings.Contains(rep.Category.Message, "通名“街”") ||
		!strings.Contains(rep.Category.MessageEN, "taken from the generic 街: 交通运输设施/道路街巷") {
		t.Errorf("an inferred category must be said: %+v", rep.Category)
	}
}

func TestCategoryAmbiguousOrUnknown(t *testing.T) {
	c := &Checker{Store: testStore(t)}
	ctx := context.Background()
	_, err := c.Check(ctx, Subject{Name: "新湖村", CategoryText: "村", Admin: "320506"})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "村民委员会") || !strings.Contains(err.Error(), "农村居民点") {
		t.Errorf("an ambiguous category must list its readings: %v", err)
	}
	_, err = c.Check(ctx, Subject{Name: "山塘街", CategoryText: "stret", Admin: "320508"})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "道路街巷") {
		t.Errorf("an unknown category must name the nearest: %v", err)
	}
	// A village given no category: 村 is taken, the alternative named.
	rep, err := c.Check(ctx, Subject{Name: "新湖村", Admin: "320506"})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Has(RuleDuplicate) || len(rep.Category.Alternatives) != 1 || !strings.Contains(rep.Category.Message, "农村居民点") {
		t.Errorf("新湖村 with no category: %s; note %+v", summary(rep), rep.Category)
	}
	// No generic at all: every category in the county is compared.
	rep, err = c.Check(ctx, Subject{Name: "虎丘", Admin: "320508"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Category.By != CategoryNone || !rep.Has(RuleDuplicate) || !strings.Contains(rep.Scope, "所有地名") {
		t.Errorf("虎丘 with no category: %s; note %+v; scope %s", summary(rep), rep.Category, rep.Scope)
	}
}
