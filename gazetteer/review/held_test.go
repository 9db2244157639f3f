package review_test

import (
	"context"
	"testing"

	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
	"wumen/gazetteer/storetest"
)

// TestHeldCases runs the held set through the rules on the shipped gazetteer.
func TestHeldCases(t *testing.T) {
	cases, err := reviewtest.Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Fatalf("the held set has %d cases, want at least 60", len(cases))
	}
	ctx := context.Background()
	s := storetest.Shipped(t)
	c := &review.Checker{Store: s}
	for _, hc := range cases {
		sub, err := hc.Subject(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := c.Check(ctx, sub)
		for _, msg := range hc.Verify(rep, err) {
			t.Errorf("%s (%s): %s", hc, hc.Note, msg)
		}
	}
}

// TestHeldCasesEveryCategoryForm: for every held case checked with a
// category, the same proposal with the category written in each of its
// forms — the full path, the 子类, every alias, 通名, English word and code
// that reads as it alone (Categories.Forms) — and with no category at all
// where the name's 通名 gives that category, gets the same report: the same
// duplicates, homophones and every other finding with the same places,
// severities and messages, the same county and scope. Only how the category
// was read differs.
func TestHeldCasesEveryCategoryForm(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every held case in every category form")
	}
	cases, err := reviewtest.Cases()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := storetest.Shipped(t)
	c := &review.Checker{Store: s}
	cats := s.Categories()
	runs, withDup, none := 0, 0, 0
	for _, hc := range cases {
		sub, err := hc.Subject(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := c.Check(ctx, sub)
		if err != nil || rep.Category == nil || rep.Category.Category.Class == "" {
			continue // refused, or no category to write otherwise
		}
		cat := rep.Category.Category
		sub.CategoryText = cat.String()
		full, err := c.Check(ctx, sub)
		if err != nil {
			t.Fatalf("%s with the full path %s: %v", hc, cat, err)
		}
		want := reviewtest.ViewOf(full, nil)
		want.CategoryBy = ""
		forms := []string{cat.String()}
		for _, m := range cats.Forms(cat) {
			forms = append(forms, m.Form)
		}
		if m, _, ok := cats.FromName(hc.Name); ok && m.Category == cat {
			forms = append(forms, "")
			none++
		}
		if full.Has(review.RuleDuplicate) || full.Has(review.RuleHomophone) || full.Has(review.RuleHomophoneToned) {
			withDup++
		}
		for _, form := range forms {
			sub.CategoryText = form
			rep, err := c.Check(ctx, sub)
			got := reviewtest.ViewOf(rep, err)
			got.CategoryBy = ""
			for _, msg := range want.Diff(got) {
				t.Errorf("%s: category written %q, not %q: %s", hc, form, cat, msg)
			}
			runs++
		}
	}
	if withDup < 30 || runs < 300 || none < 30 {
		t.Errorf("only %d checks, %d cases with a duplicate or homophone, %d without a category: the held set no longer exercises the forms", runs, withDup, none)
	}
	t.Logf("%d checks; %d cases with a duplicate or homophone; %d cases also without a category", runs, withDup, none)
}
