package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// Vectors from docs/domain.md §7 (the widely used eviltransform test vectors).
var gcjVectors = []struct {
	name     string
	wgs, gcj orb.Point // lon, lat
}{
	{"Shanghai", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
	{"Beijing", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func TestWGS84ToGCJ02(t *testing.T) {
	for _, v := range gcjVectors {
		t.Run(v.name, func(t *testing.T) {
			if got := WGS84ToGCJ02(v.wgs); !near(got, v.gcj, 1e-9) {
				t.Errorf("WGS84ToGCJ02(%v) = %v, want %v", v.wgs, got, v.gcj)
			}
			if got := GCJ02ToWGS84(v.gcj); !near(got, v.wgs, 1e-7) {
				t.Errorf("GCJ02ToWGS84(%v) = %v, want %v", v.gcj, got, v.wgs)
			}
		})
	}
}

// TestGCJ02ToBD09 uses a vector derived independently (Python, IEEE doubles)
// from Baidu's published formula, with xπ = π·3000/180:
//
//	z = √(x²+y²) + 0.00002·sin(y·xπ); θ = atan2(y, x) + 0.000003·cos(x·xπ)
//	bd_lon = z·cos θ + 0.0065; bd_lat = z·sin θ + 0.006
//
// applied to the Beijing GCJ-02 vector above.
func TestGCJ02ToBD09(t *testing.T) {
	gcj := orb.Point{116.38404722455657, 39.91334545536069}
	want := orb.Point{116.39045471310828, 39.919575550965874}
	if got := GCJ02ToBD09(gcj); !near(got, want, 1e-12) {
		t.Errorf("GCJ02ToBD09(%v) = %v, want %v", gcj, got, want)
	}
	if got := BD09ToGCJ02(want); !near(got, gcj, 1e-9) {
		t.Errorf("BD09ToGCJ02(%v) = %v, want %v", want, got, gcj)
	}
}

func TestOutOfChinaUnchanged(t *testing.T) {
	for _, p := range []orb.Point{{-0.1276, 51.5072}, {139.6917, 35.6895}, {2.3522, 48.8566}} {
		if got := WGS84ToGCJ02(p); got != p {
			t.Errorf("WGS84ToGCJ02(%v) = %v, want unchanged", p, got)
		}
		if got := GCJ02ToWGS84(p); got != p {
			t.Errorf("GCJ02ToWGS84(%v) = %v, want unchanged", p, got)
		}
	}
}

// TestRoundTrip walks a grid over the Suzhou bbox (docs/data-sources.md: lon
// 119.9–121.4, lat 30.7–32.1) and checks every CRS round trip to 1e-7°.
func TestRoundTrip(t *testing.T) {
	for _, c := range []CRS{WGS84, CGCS2000, GCJ02, BD09} {
		var worst float64
		for lon := 119.9; lon <= 121.4; lon += 0.1 {
			for lat := 30.7; lat <= 32.1; lat += 0.1 {
				p := orb.Point{lon, lat}
				back := ToWGS84(FromWGS84(p, c), c).(orb.Point)
				worst = max(worst, math.Abs(back[0]-p[0]), math.Abs(back[1]-p[1]))
			}
		}
		if worst > 1e-7 {
			t.Errorf("%v round trip error %g° > 1e-7°", c, worst)
		}
	}
}

func TestOffsetMagnitudeInSuzhou(t *testing.T) {
	// 北寺塔 (OSM way/206076447, ODbL): the GCJ-02 offset in Suzhou is a few
	// hundred metres, which is why copying from Amap needs conversion.
	p := orb.Point{120.6154018, 31.3245428}
	g := WGS84ToGCJ02(p)
	dx := (g[0] - p[0]) * 111320 * math.Cos(p[1]*math.Pi/180)
	dy := (g[1] - p[1]) * 110574
	if d := math.Hypot(dx, dy); d < 300 || d > 800 {
		t.Errorf("GCJ-02 offset at 北寺塔 = %.0f m, want 300–800 m", d)
	}
}

func TestTransformClones(t *testing.T) {
	line := orb.LineString{{120.59745, 31.3201022}, {120.5979444, 31.3194228}}
	orig := orb.Clone(line).(orb.LineString)
	poly := orb.Polygon{{{120.6154018, 31.3245428}, {120.6246145, 31.3259875}, {120.623497, 31.3254217}, {120.6154018, 31.3245428}}}
	geoms := []orb.Geometry{
		orb.Point{120.6154018, 31.3245428},
		orb.MultiPoint{{120.6154018, 31.3245428}},
		line,
		orb.MultiLineString{line},
		poly,
		orb.MultiPolygon{poly},
		orb.Collection{orb.Point{120.6154018, 31.3245428}, line},
		orb.Ring(poly[0]),
	}
	for _, g := range geoms {
		t.Run(g.GeoJSONType(), func(t *testing.T) {
			before := orb.Clone(g)
			out := FromWGS84(g, GCJ02)
			if !orb.Equal(g, before) {
				t.Fatalf("FromWGS84 mutated its input")
			}
			if orb.Equal(out, g) {
				t.Fatalf("FromWGS84 returned the input unchanged")
			}
			back := ToWGS84(out, GCJ02)
			if back.GeoJSONType() != g.GeoJSONType() {
				t.Fatalf("type changed")
			}
			if b, o := back.Bound(), g.Bound(); !near(b.Min, o.Min, 1e-7) || !near(b.Max, o.Max, 1e-7) {
				t.Errorf("round trip bound %v, want %v", b, o)
			}
		})
	}
	if !orb.Equal(line, orig) {
		t.Errorf("line mutated")
	}
	if ToWGS84(nil, GCJ02) != nil {
		t.Errorf("nil geometry should stay nil")
	}
}

func TestParseCRS(t *testing.T) {
	tests := []struct {
		in   string
		want CRS
		err  bool
	}{
		{"wgs84", WGS84, false},
		{"WGS84", WGS84, false},
		{"EPSG:4326", WGS84, false},
		{"epsg:4490", CGCS2000, false},
		{"CGCS2000", CGCS2000, false},
		{"GCJ02", GCJ02, false},
		{"bd09", BD09, false},
		{"EPSG:3857", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseCRS(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseCRS(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.err)
		}
		if err == nil {
			if back, _ := ParseCRS(got.String()); back != got {
				t.Errorf("ParseCRS(%v.String()) = %v", got, back)
			}
		}
	}
	if WGS84.EPSG() != 4326 || CGCS2000.EPSG() != 4490 || GCJ02.EPSG() != 0 {
		t.Errorf("EPSG codes wrong")
	}
}

func BenchmarkGCJ02ToWGS84(b *testing.B) {
	p := orb.Point{120.6204, 31.3290}
	for b.Loop() {
		GCJ02ToWGS84(p)
	}
}

func TestZeroCRSIsWGS84(t *testing.T) {
	p := orb.Point{120.6154018, 31.3245428}
	if got := ToWGS84(p, 0); got != p {
		t.Errorf("ToWGS84 with the zero CRS moved the point to %v", got)
	}
	if got := FromWGS84(p, 0); got != p {
		t.Errorf("FromWGS84 with the zero CRS moved the point to %v", got)
	}
}
