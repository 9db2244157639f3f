package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestSwapAxes(t *testing.T) {
	poly := orb.Polygon{{{120.6, 31.3}, {120.7, 31.3}, {120.7, 31.4}, {120.6, 31.3}}}
	got := SwapAxes(poly).(orb.Polygon)
	if got[0][1] != (orb.Point{31.3, 120.7}) || poly[0][1] != (orb.Point{120.7, 31.3}) {
		t.Errorf("swapped %v, input now %v", got, poly)
	}
	if p := SwapAxes(orb.Point{120.6154018, 31.3245428}); p != (orb.Point{31.3245428, 120.6154018}) {
		t.Errorf("point %v", p)
	}
	if SwapAxes(nil) != nil {
		t.Error("nil geometry")
	}
}
