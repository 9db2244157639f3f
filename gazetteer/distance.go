package gazetteer

import "github.com/paulmach/orb"

// DistanceM is the distance in metres from pt to a geometry (0 inside a
// polygon), as the Locator measures it; imports use it to tell whether a
// feature is the place they hold.
func DistanceM(pt orb.Point, g orb.Geometry) float64 { return distanceTo(pt, g) }
