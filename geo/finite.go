package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Finite reports whether every coordinate of g is a finite number (no NaN,
// no infinity): what a file may hold and a position may not.
func Finite(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return !math.IsNaN(g[0]) && !math.IsNaN(g[1]) && !math.IsInf(g[0], 0) && !math.IsInf(g[1], 0)
	case orb.MultiPoint:
		return all(g, func(p orb.Point) bool { return Finite(p) })
	case orb.LineString:
		return all(g, func(p orb.Point) bool { return Finite(p) })
	case orb.Ring:
		return all(g, func(p orb.Point) bool { return Finite(p) })
	case orb.MultiLineString:
		return all(g, func(l orb.LineString) bool { return Finite(l) })
	case orb.Polygon:
		return all(g, func(r orb.Ring) bool { return Finite(r) })
	case orb.MultiPolygon:
		return all(g, func(p orb.Polygon) bool { return Finite(p) })
	case orb.Collection:
		return all(g, Finite)
	case orb.Bound:
		return Finite(g.Min) && Finite(g.Max)
	}
	return true
}

func all[T any](xs []T, ok func(T) bool) bool {
	for _, x := range xs {
		if !ok(x) {
			return false
		}
	}
	return true
}
