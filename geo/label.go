package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// labelScanLines is how many horizontal lines InteriorPoint tries across a
// polygon's bound.
const labelScanLines = 31

// InteriorPoint returns a point inside a polygon, off its holes, where a
// label can stand: the middle of the widest horizontal chord of the polygon's
// interior among a set of evenly spaced scan lines. The centre of a lake's
// bound may fall on an island or on land (太湖's falls near 西山); this point
// is always on the water. For a multipolygon it answers for the part with
// the largest area. An empty or degenerate polygon answers its bound's centre.
//
// Widths are measured in lon·cos(lat) so that a chord's length is roughly
// proportional to metres at the polygon's latitude.
func InteriorPoint(g orb.Geometry) orb.Point {
	var poly orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		poly = g
	case orb.MultiPolygon:
		best := -1.0
		for _, p := range g {
			if a := math.Abs(planar.Area(p)); a > best {
				best, poly = a, p
			}
		}
	default:
		return g.Bound().Center()
	}
	b := poly.Bound()
	if len(poly) == 0 || b.Max[1] <= b.Min[1] {
		return b.Center()
	}
	kx := math.Cos(b.Center()[1] * math.Pi / 180)
	var best orb.Point
	bestW := -1.0
	h := b.Max[1] - b.Min[1]
	for i := 0; i < labelScanLines; i++ {
		// Scan from the middle outwards so ties keep the most central chord.
		k := (i + 1) / 2
		if i%2 == 1 {
			k = -k
		}
		y := b.Center()[1] + float64(k)*h/float64(labelScanLines+1)
		xs := crossings(poly, y)
		for j := 0; j+1 < len(xs); j += 2 {
			if w := (xs[j+1] - xs[j]) * kx; w > bestW {
				bestW, best = w, orb.Point{(xs[j] + xs[j+1]) / 2, y}
			}
		}
	}
	if bestW < 0 {
		return b.Center()
	}
	return best
}

// crossings returns, sorted, the longitudes where the horizontal line at
// latitude y crosses the polygon's rings (outer ring and holes alike), so
// that consecutive pairs bound the interior (even-odd rule).
func crossings(poly orb.Polygon, y float64) []float64 {
	var xs []float64
	for _, r := range poly {
		n := len(r)
		for i := 0; i < n; i++ {
			a, c := r[i], r[(i+1)%n]
			// Half-open test so a vertex on the line counts once.
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	return xs
}
