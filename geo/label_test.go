package geo

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestInteriorPointAvoidsTheHole(t *testing.T) {
	// A square lake with a square island over its centre: the centre of the
	// bound is on the island, the label must be on the water.
	lake := orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{3, 3}, {3, 7}, {7, 7}, {7, 3}, {3, 3}},
	}
	p := InteriorPoint(lake)
	if !planar.PolygonContains(lake, p) {
		t.Fatalf("label %v is not on the water of %v", p, lake)
	}
}

func TestInteriorPointOfAConcaveShape(t *testing.T) {
	// A C-shape whose bound centre lies outside it.
	c := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 8}, {10, 8}, {10, 10}, {0, 10}, {0, 0}}}
	if p := InteriorPoint(c); !planar.PolygonContains(c, p) {
		t.Fatalf("label %v is outside %v", p, c)
	}
	mp := orb.MultiPolygon{{{{20, 20}, {21, 20}, {21, 21}, {20, 21}, {20, 20}}}, c}
	if p := InteriorPoint(mp); !planar.PolygonContains(c, p) {
		t.Fatalf("label %v is not in the largest part", p)
	}
}
