package review_test

import (
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	. "wumen/gazetteer/review"
)

// TestPointAloneSetsTheCounty: a position with no code is located by the
// gazetteer's Locator, and the county rules apply as with the code given.
func TestPointAloneSetsTheCounty(t *testing.T) {
	s := testStore(t)
	c := &Checker{Store: s}
	ctx := context.Background()
	given, err := c.Check(ctx, Subject{Name: "山塘街", CategoryText: "街巷", Admin: "320508", Point: &orb.Point{120.5990, 31.3205}})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []orb.Geometry{
		orb.Point{120.5990, 31.3205},
		orb.LineString{{120.5985, 31.3203}, {120.5995, 31.3207}},
		orb.Polygon{{{120.5985, 31.3200}, {120.5995, 31.3200}, {120.5995, 31.3210}, {120.5985, 31.3210}, {120.5985, 31.3200}}},
	} {
		rep, err := c.Check(ctx, Subject{Name: "山塘街", CategoryText: "街巷", Geometry: g})
		if err != nil {
			t.Fatal(err)
		}
		n := rep.Location
		if n == nil || n.By != AdminLocated || n.County() == nil || n.County().Code != "320508" || len(n.Evidence) == 0 {
			t.Fatalf("%T: location %+v", g, n)
		}
		if n.Method != gazetteer.LocateEstimated || !strings.Contains(n.Message, "推定") || !strings.Contains(n.MessageEN, "estimated") {
			t.Errorf("%T: an estimate must say so: %+v", g, n)
		}
		if dupRules(rep) != dupRules(given) || rep.Scope != given.Scope {
			t.Errorf("%T: %s / %s, want %s / %s as with the code", g, dupRules(rep), rep.Scope, dupRules(given), given.Scope)
		}
		if f := find(rep, RuleDuplicate); f == nil || f.Places[0].County != "姑苏区 320508" {
			t.Errorf("%T: the duplicate must name its county: %s", g, summary(rep))
		}
	}
	// A village near 新湖村 (吴中区) found with the point alone; not 吴江区's.
	rep, err := c.Check(ctx, Subject{Name: "新湖村", Point: &orb.Point{120.5600, 31.1900}})
	if err != nil {
		t.Fatal(err)
	}
	if f := find(rep, RuleDuplicate); f == nil || len(f.Places) != 1 || f.Places[0].ID != 27 {
		t.Errorf("新湖村 by position: %s", summary(rep))
	}
	// A position outside the given county is flagged.
	rep, err = c.Check(ctx, Subject{Name: "新湖村", Admin: "320509", Point: &orb.Point{120.5600, 31.1900}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Has(RuleAdminMismatch) || rep.Location.By != AdminGiven {
		t.Errorf("a position in 吴中区 with 吴江区 given: %s", summary(rep))
	}
	// Far outside the gazetteer: whole-gazetteer scope, said.
	rep, err = c.Check(ctx, Subject{Name: "新湖村", Point: &orb.Point{110.56, 35.19}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Location.Method != gazetteer.LocateOutside || rep.Location.By != AdminNone || !strings.Contains(rep.Scope, "全库") {
		t.Errorf("outside coverage: %+v, scope %s", rep.Location, rep.Scope)
	}
	if _, err := c.Check(ctx, Subject{Name: "新湖村", Admin: "320599"}); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("an unknown jurisdiction code: %v", err)
	}
}
