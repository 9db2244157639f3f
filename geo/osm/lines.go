package osm

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// MergeLines groups lines (the ways of one street, or of one river) into
// connected pieces — lines whose ends lie within tol metres of another
// line's vertex, a shared node being distance 0 — and joins each piece end
// to end. Each piece is returned as a LineString when it joins into one
// line, else as a MultiLineString; pieces come in the order of their first
// line. Two streets of the same name in different towns stay two pieces.
func MergeLines(lines []orb.LineString, tol float64) []orb.Geometry {
	parent := make([]int, len(lines))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	bounds := make([]orb.Bound, len(lines))
	pad := tol / 111000 * 2 // degrees, generous at Suzhou's latitude
	for i, l := range lines {
		bounds[i] = l.Bound().Pad(pad)
	}
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			if !bounds[i].Intersects(bounds[j]) || find(i) == find(j) {
				continue
			}
			if touches(lines[i], lines[j], tol) || touches(lines[j], lines[i], tol) {
				parent[find(i)] = find(j)
			}
		}
	}
	var order []int
	groups := map[int][]orb.LineString{}
	for i, l := range lines {
		r := find(i)
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], l)
	}
	out := make([]orb.Geometry, 0, len(order))
	for _, r := range order {
		chains := joinChains(groups[r], tol)
		if len(chains) == 1 {
			out = append(out, chains[0])
		} else {
			out = append(out, orb.MultiLineString(chains))
		}
	}
	return out
}

// touches reports whether an end of a lies within tol metres of a vertex of b.
func touches(a, b orb.LineString, tol float64) bool {
	for _, e := range []orb.Point{a[0], a[len(a)-1]} {
		for _, v := range b {
			if metres(e, v) <= tol {
				return true
			}
		}
	}
	return false
}

// metres is the great-circle distance between two points (orb/geo).
func metres(a, b orb.Point) float64 { return geo.DistanceHaversine(a, b) }

// joinChains joins lines whose ends meet (within tol) into as few lines as
// it can, extending each chain at both ends.
func joinChains(lines []orb.LineString, tol float64) []orb.LineString {
	used := make([]bool, len(lines))
	var out []orb.LineString
	for i := range lines {
		if used[i] {
			continue
		}
		used[i] = true
		chain := append(orb.LineString(nil), lines[i]...)
		for grown := true; grown; {
			grown = false
			for j := range lines {
				if used[j] {
					continue
				}
				l := lines[j]
				head, tail := chain[0], chain[len(chain)-1]
				switch {
				case metres(tail, l[0]) <= tol:
					chain = append(chain, l[skipSame(tail, l[0]):]...)
				case metres(tail, l[len(l)-1]) <= tol:
					chain = append(chain, reversed(l)[skipSame(tail, l[len(l)-1]):]...)
				case metres(head, l[len(l)-1]) <= tol:
					chain = append(append(orb.LineString(nil), l[:len(l)-skipSame(head, l[len(l)-1])]...), chain...)
				case metres(head, l[0]) <= tol:
					r := reversed(l)
					chain = append(append(orb.LineString(nil), r[:len(r)-skipSame(head, l[0])]...), chain...)
				default:
					continue
				}
				used[j] = true
				grown = true
			}
		}
		out = append(out, chain)
	}
	return out
}

// skipSame is 1 when two joined ends are the same point (a shared node is
// written once), 0 when a short gap is bridged.
func skipSame(a, b orb.Point) int {
	if a == b {
		return 1
	}
	return 0
}

func reversed(l orb.LineString) orb.LineString {
	r := make(orb.LineString, len(l))
	for i, p := range l {
		r[len(l)-1-i] = p
	}
	return r
}
