package review_test

import (
	"context"
	"path/filepath"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
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
	s, err := gazetteer.Open(filepath.Join(t.TempDir(), "shipped.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Seed(ctx, data.FS, nil); err != nil {
		t.Fatal(err)
	}
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
