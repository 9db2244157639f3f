package review_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
	"wumen/gazetteer/storetest"
)

// BenchmarkCheckHeld times the check of each held case on the shipped
// gazetteer with the category written three ways: the full path (the
// baseline), the 子类 alone and none at all (taken from the 通名),
// interleaved case by case. Each iteration checks every case once in each
// form; p50 and p99 are of the single checks.
func BenchmarkCheckHeld(b *testing.B) {
	cases, err := reviewtest.Cases()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s := storetest.Shipped(b)
	c := &review.Checker{Store: s}
	type run struct{ full, sub, none review.Subject }
	var runs []run
	for _, hc := range cases {
		sub, err := hc.Subject(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := c.Check(ctx, sub)
		if err != nil || rep.Category == nil || rep.Category.Category.Subclass == "" {
			continue
		}
		r := run{sub, sub, sub}
		r.full.CategoryText = rep.Category.Category.String()
		r.sub.CategoryText = rep.Category.Category.Subclass
		r.none.CategoryText = ""
		runs = append(runs, r)
	}
	forms := []string{"full", "subclass", "none"}
	took := make([][]time.Duration, len(forms))
	n := 0
	for b.Loop() {
		for _, r := range runs {
			subs := []review.Subject{r.full, r.sub, r.none}
			for k := range forms { // interleaved, the starting form rotating, so load falls on all alike
				j := (k + n) % len(forms)
				t0 := time.Now()
				if _, err := c.Check(ctx, subs[j]); err != nil {
					b.Fatal(err)
				}
				took[j] = append(took[j], time.Since(t0))
			}
			n++
		}
	}
	for j, f := range forms {
		slices.Sort(took[j])
		b.ReportMetric(float64(took[j][len(took[j])/2].Microseconds()), f+"-p50-µs")
		b.ReportMetric(float64(took[j][len(took[j])*99/100].Microseconds()), f+"-p99-µs")
	}
	b.ReportMetric(float64(len(runs)), "cases")
}
