package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestOrientRings: a clockwise outer ring with a counterclockwise hole (as
// a Shapefile writes them) comes out counterclockwise with a clockwise
// hole; a right one is left alone; a MultiPolygon's parts each.
func TestOrientRings(t *testing.T) {
	outerCW := orb.Ring{{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}
	holeCCW := orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}
	check := func(what string, p orb.Polygon) {
		t.Helper()
		if p[0].Orientation() != orb.CCW || p[1].Orientation() != orb.CW {
			t.Errorf("%s: outer %v, hole %v", what, p[0].Orientation(), p[1].Orientation())
		}
	}
	p := OrientRings(orb.Polygon{outerCW.Clone(), holeCCW.Clone()}).(orb.Polygon)
	check("polygon", p)
	check("already oriented", OrientRings(p.Clone()).(orb.Polygon))
	mp := OrientRings(orb.MultiPolygon{{outerCW.Clone(), holeCCW.Clone()}, p.Clone()}).(orb.MultiPolygon)
	check("multipolygon part 0", mp[0])
	check("multipolygon part 1", mp[1])
	if got := OrientRings(orb.Point{1, 2}); got != (orb.Point{1, 2}) {
		t.Errorf("a point changed: %v", got)
	}
}
