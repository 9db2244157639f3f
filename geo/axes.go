package geo

import "github.com/paulmach/orb"

// SwapAxes returns a copy of g with the two coordinates of every point
// exchanged: longitude, latitude becomes latitude, longitude. Services that
// honour a CRS's own axis order write EPSG:4326 and EPSG:4490 latitude first
// (OGC API – Features Part 2, OGC 18-058r1 §6.2; the EPSG registry), while
// orb and storage are longitude first. g is never modified.
func SwapAxes(g orb.Geometry) orb.Geometry {
	if g == nil {
		return nil
	}
	return mapPoints(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} })
}
