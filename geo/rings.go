package geo

import "github.com/paulmach/orb"

// OrientRings returns g with its polygon rings in the orientation RFC 7946
// §3.1.6 asks of GeoJSON, and OGC Simple Features of GeoPackage: each
// exterior ring counterclockwise, each hole clockwise. Files made by other
// tools arrive either way (Shapefiles are the opposite, clockwise outside);
// the store keeps one orientation so that every export has it. Rings are
// reversed in place; other geometries are returned as they are.
func OrientRings(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		orientPolygon(g)
	case orb.MultiPolygon:
		for _, p := range g {
			orientPolygon(p)
		}
	case orb.Collection:
		for i := range g {
			g[i] = OrientRings(g[i])
		}
	}
	return g
}

func orientPolygon(p orb.Polygon) {
	for i, r := range p {
		want := orb.CW
		if i == 0 {
			want = orb.CCW
		}
		if o := r.Orientation(); o != 0 && o != want {
			r.Reverse()
		}
	}
}
