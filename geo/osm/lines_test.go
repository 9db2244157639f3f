package osm

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestMergeLines(t *testing.T) {
	a := orb.LineString{{120.0, 31.0}, {120.001, 31.0}}
	b := orb.LineString{{120.002, 31.0}, {120.001, 31.0}}          // shares a's end, drawn the other way
	c := orb.LineString{{120.00203, 31.0}, {120.003, 31.0}}        // starts 2.9 m after b's start
	far := orb.LineString{{120.2, 31.0}, {120.201, 31.0}}          // the same name in another town
	gap := orb.LineString{{120.2011, 31.0003}, {120.202, 31.0003}} // 35 m away from far: a second line
	got := MergeLines([]orb.LineString{a, b, far, c, gap}, 10)
	if len(got) != 3 {
		t.Fatalf("%d pieces, want 3: %v", len(got), got)
	}
	one, ok := got[0].(orb.LineString)
	want := orb.LineString{{120.0, 31.0}, {120.001, 31.0}, {120.002, 31.0}, {120.00203, 31.0}, {120.003, 31.0}}
	if !ok || !orb.Equal(one, want) {
		t.Errorf("first piece %v, want %v", got[0], want)
	}
	if !orb.Equal(got[1], far) || !orb.Equal(got[2], gap) {
		t.Errorf("lines 35 m apart merged: %v", got[1:])
	}
	// A T-junction: a spur that starts at a node in the middle of the
	// street is the same street, as a MultiLineString.
	mid := orb.LineString{{120.0, 31.0}, {120.0005, 31.0}, {120.001, 31.0}}
	spur := orb.LineString{{120.0005, 31.0}, {120.0005, 31.001}}
	got = MergeLines([]orb.LineString{mid, spur}, 10)
	if m, ok := got[0].(orb.MultiLineString); len(got) != 1 || !ok || len(m) != 2 {
		t.Errorf("spur: %v, want one MultiLineString", got)
	}
}

func TestNodeIndexUnsorted(t *testing.T) {
	x, err := NewNodeIndex(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, id := range []int64{30, 10, 20, -5} {
		x.Add(id, orb.Point{120 + float64(id)/1000, 31})
	}
	if err := x.Freeze(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{30, 10, 20, -5} {
		if p, ok := x.Get(id); !ok || p != (orb.Point{120 + float64(id)/1000, 31}) {
			t.Errorf("Get(%d) = %v %v", id, p, ok)
		}
	}
	if _, ok := x.Get(15); ok {
		t.Error("Get(15) found a node that was never added")
	}
	if err := x.Add(40, orb.Point{}); err == nil {
		t.Error("Add after Freeze accepted")
	}
}
