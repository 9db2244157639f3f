// Package geo is Wumen's geometry layer on top of github.com/paulmach/orb:
// coordinate reference systems used for Chinese web maps (GCJ-02, BD-09)
// and, in subpackages, the export formats (GeoPackage, KML, Linked Places,
// vector tiles, PMTiles).
//
// Storage is always WGS84 lon/lat (docs/domain.md §7); everything here converts
// at the edge and never mutates its input.
package geo

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// CRS is a coordinate reference system a coordinate may be declared in. The
// zero value means WGS84, the storage CRS, in every transform.
type CRS uint8

// The coordinate reference systems Wumen reads and writes.
const (
	// WGS84 is EPSG:4326 lon/lat, the storage CRS.
	WGS84 CRS = iota + 1
	// CGCS2000 is EPSG:4490, China's geodetic datum; for a gazetteer it
	// equals WGS84 to within centimetres, so no numeric transform is applied.
	CGCS2000
	// GCJ02 is the obfuscated datum (国测局坐标, "Mars coordinates") that
	// Amap and Tencent maps use inside China.
	GCJ02
	// BD09 is Baidu's further offset on top of GCJ-02.
	BD09
)

// String returns the lower-case name accepted by ParseCRS.
func (c CRS) String() string {
	switch c {
	case WGS84:
		return "wgs84"
	case CGCS2000:
		return "cgcs2000"
	case GCJ02:
		return "gcj02"
	case BD09:
		return "bd09"
	}
	return fmt.Sprintf("CRS(%d)", uint8(c))
}

// EPSG returns the EPSG code of c, or 0 for the offset systems (GCJ-02,
// BD-09), which have none.
func (c CRS) EPSG() int {
	switch c {
	case WGS84:
		return 4326
	case CGCS2000:
		return 4490
	}
	return 0
}

// ParseCRS parses a CRS name, case-insensitively: wgs84, cgcs2000, gcj02,
// bd09, or the EPSG codes EPSG:4326 and EPSG:4490.
func ParseCRS(s string) (CRS, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "wgs84", "epsg:4326":
		return WGS84, nil
	case "cgcs2000", "epsg:4490":
		return CGCS2000, nil
	case "gcj02":
		return GCJ02, nil
	case "bd09":
		return BD09, nil
	}
	return 0, fmt.Errorf("geo: unknown CRS %q (want wgs84, cgcs2000, gcj02, bd09, EPSG:4326 or EPSG:4490)", s)
}

// Krasovsky 1940 ellipsoid parameters used by the GCJ-02 algorithm.
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

// OutOfChina reports whether p (lon/lat) lies outside the rough bounding box
// in which GCJ-02 applies an offset. This is the box used by every public
// implementation of the algorithm (lon 72.004–137.8347, lat 0.8293–55.8271).
func OutOfChina(p orb.Point) bool {
	lon, lat := p[0], p[1]
	return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

// gcjDelta returns the GCJ-02 offset (dLon, dLat) in degrees at WGS84 p.
func gcjDelta(p orb.Point) (dLon, dLat float64) {
	x, y := p[0]-105.0, p[1]-35.0
	common := (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLat = -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x)) + common +
		(20.0*math.Sin(y*math.Pi)+40.0*math.Sin(y/3.0*math.Pi))*2.0/3.0 +
		(160.0*math.Sin(y/12.0*math.Pi)+320*math.Sin(y*math.Pi/30.0))*2.0/3.0
	dLon = 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x)) + common +
		(20.0*math.Sin(x*math.Pi)+40.0*math.Sin(x/3.0*math.Pi))*2.0/3.0 +
		(150.0*math.Sin(x/12.0*math.Pi)+300.0*math.Sin(x/30.0*math.Pi))*2.0/3.0
	radLat := p[1] / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - gcjEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (gcjA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return dLon, dLat
}

// WGS84ToGCJ02 converts a WGS84 lon/lat point to GCJ-02. Points outside
// China are returned unchanged, as the published algorithm does.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	dLon, dLat := gcjDelta(p)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// inverseTolerance is the convergence threshold of the iterative inverses,
// in degrees (about 0.01 mm), well under the 1e-7° promised to callers.
const inverseTolerance = 1e-11

// invert finds q with forward(q) ≈ target by fixed-point iteration
// q ← q + (target − forward(q)). The offsets vary slowly (their derivative is
// far below 1), so this converges in a few steps.
func invert(target orb.Point, forward func(orb.Point) orb.Point) orb.Point {
	q := target
	for range 50 {
		f := forward(q)
		dx, dy := target[0]-f[0], target[1]-f[1]
		q = orb.Point{q[0] + dx, q[1] + dy}
		if math.Abs(dx) < inverseTolerance && math.Abs(dy) < inverseTolerance {
			break
		}
	}
	return q
}

// GCJ02ToWGS84 converts a GCJ-02 point back to WGS84. GCJ-02 has no closed
// inverse; this iterates the forward transform until it reproduces p to
// 1e-11°, so the result is accurate far beyond the 1e-7° needed.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	return invert(p, WGS84ToGCJ02)
}

// bdXPi is the constant of Baidu's published GCJ-02 → BD-09 formula.
const bdXPi = math.Pi * 3000.0 / 180.0

// GCJ02ToBD09 converts GCJ-02 to BD-09 with Baidu's published formula:
// z = √(x²+y²) + 2e-5·sin(y·xπ), θ = atan2(y,x) + 3e-6·cos(x·xπ),
// bd = (z·cosθ + 0.0065, z·sinθ + 0.006), where xπ = π·3000/180.
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// BD09ToGCJ02 converts BD-09 to GCJ-02. The commonly published closed-form
// inverse is only good to about 1e-6°, so it is refined by iterating
// GCJ02ToBD09 until it reproduces p.
func BD09ToGCJ02(p orb.Point) orb.Point {
	return invert(p, GCJ02ToBD09)
}

// pointTransform returns the point function converting from → to, or nil
// when the two are numerically identical.
func pointTransform(from, to CRS) (func(orb.Point) orb.Point, error) {
	toW, err := toWGS84Func(from)
	if err != nil {
		return nil, err
	}
	fromW, err := fromWGS84Func(to)
	if err != nil {
		return nil, err
	}
	switch {
	case toW == nil && fromW == nil:
		return nil, nil
	case toW == nil:
		return fromW, nil
	case fromW == nil:
		return toW, nil
	}
	return func(p orb.Point) orb.Point { return fromW(toW(p)) }, nil
}

func toWGS84Func(c CRS) (func(orb.Point) orb.Point, error) {
	switch c {
	case 0, WGS84, CGCS2000: // the zero CRS is WGS84, the storage CRS
		return nil, nil
	case GCJ02:
		return GCJ02ToWGS84, nil
	case BD09:
		return func(p orb.Point) orb.Point { return GCJ02ToWGS84(BD09ToGCJ02(p)) }, nil
	}
	return nil, fmt.Errorf("geo: unknown CRS %v", c)
}

func fromWGS84Func(c CRS) (func(orb.Point) orb.Point, error) {
	switch c {
	case 0, WGS84, CGCS2000: // the zero CRS is WGS84, the storage CRS
		return nil, nil
	case GCJ02:
		return WGS84ToGCJ02, nil
	case BD09:
		return func(p orb.Point) orb.Point { return GCJ02ToBD09(WGS84ToGCJ02(p)) }, nil
	}
	return nil, fmt.Errorf("geo: unknown CRS %v", c)
}

// Transform returns a copy of g converted from one CRS to another; g itself
// is never modified. A nil geometry stays nil.
func Transform(g orb.Geometry, from, to CRS) (orb.Geometry, error) {
	f, err := pointTransform(from, to)
	if err != nil || g == nil {
		return nil, err
	}
	c := orb.Clone(g)
	if f != nil {
		c = mapPoints(c, f)
	}
	return c, nil
}

// ToWGS84 returns a copy of g converted from the CRS from to WGS84; g is
// never modified. It panics on a CRS value that is not one of the
// constants, which only a programming error can produce (ParseCRS rejects
// unknown names).
func ToWGS84(g orb.Geometry, from CRS) orb.Geometry {
	c, err := Transform(g, from, WGS84)
	if err != nil {
		panic(err)
	}
	return c
}

// FromWGS84 returns a copy of the WGS84 geometry g converted to the CRS to;
// g is never modified. It panics on an invalid CRS value like ToWGS84.
func FromWGS84(g orb.Geometry, to CRS) orb.Geometry {
	c, err := Transform(g, WGS84, to)
	if err != nil {
		panic(err)
	}
	return c
}

// mapPoints applies f to every point of g in place; g must be a clone that
// the caller owns.
func mapPoints(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		mapSlice(g, f)
	case orb.LineString:
		mapSlice(g, f)
	case orb.Ring:
		mapSlice(g, f)
	case orb.MultiLineString:
		for _, ls := range g {
			mapSlice(ls, f)
		}
	case orb.Polygon:
		for _, r := range g {
			mapSlice(r, f)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				mapSlice(r, f)
			}
		}
	case orb.Collection:
		for i := range g {
			g[i] = mapPoints(g[i], f)
		}
	case orb.Bound:
		return orb.MultiPoint{f(g.Min), f(g.Max)}.Bound()
	}
	return g
}

func mapSlice(ps []orb.Point, f func(orb.Point) orb.Point) {
	for i := range ps {
		ps[i] = f(ps[i])
	}
}
