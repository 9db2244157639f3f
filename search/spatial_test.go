package search

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"wumen/gazetteer"
)

// TestKDTreeMatchesBruteForce holds the k-d tree's bound queries and
// nearest places to a scan of every point, with many points sharing a
// coordinate (ties on the splitting axis), before and after removing a
// third of them.
func TestKDTreeMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ents := make([]*entry, 3000)
	for i := range ents {
		// a coarse grid: many equal longitudes and latitudes
		p := orb.Point{120 + float64(rng.IntN(40))/100, 31 + float64(rng.IntN(40))/100}
		ents[i] = &entry{ID: int64(i + 1), Point: &p}
	}
	s := newSpatial(ents)
	live := slices.Clone(ents)
	check := func(stage string) {
		for range 200 {
			a := orb.Point{120 + rng.Float64()*0.4, 31 + rng.Float64()*0.4}
			q := orb.Bound{Min: a, Max: orb.Point{a[0] + rng.Float64()*0.1, a[1] + rng.Float64()*0.1}}
			var got, want []int64
			s.kd.inBound(q, func(it kdItem) { got = append(got, it.e.ID) })
			for _, e := range live {
				if q.Contains(*e.Point) {
					want = append(want, e.ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: in %v: %d places, a scan finds %d", stage, q, len(got), len(want))
			}
			k := 1 + rng.IntN(20)
			near := s.kd.nearest(a, k, func(e *entry) bool { return e.ID%7 != 0 })
			var ds []float64
			for _, e := range live {
				if e.ID%7 != 0 {
					ds = append(ds, planar.DistanceSquared(a, *e.Point))
				}
			}
			slices.Sort(ds)
			if len(near) != min(k, len(ds)) {
				t.Fatalf("%s: %d nearest of %v: got %d", stage, k, a, len(near))
			}
			for i, n := range near {
				if n.d != ds[i] || n.d != planar.DistanceSquared(a, *n.e.Point) {
					t.Fatalf("%s: nearest %d of %v at %v, a scan says %v", stage, i, a, n.d, ds[i])
				}
			}
		}
	}
	check("built")
	for i := 0; i < len(live); i++ {
		if rng.IntN(3) == 0 {
			s.remove(live[i])
			live = slices.Delete(live, i, i+1)
			i--
		}
	}
	for _, it := range s.kd {
		if it.e != nil && !slices.Contains(live, it.e) {
			t.Fatalf("place %d removed but still in the tree", it.e.ID)
		}
	}
	check("after removals")
}

// TestSpatialAfterReopen moves and deletes places of a reopened index (the
// k-d tree read from its file) and checks the region filter and nearest
// places, then again after the journal is replayed by a second open.
func TestSpatialAfterReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	moved := smallPlaces()[1] // 宝带桥, to the far side of 石湖
	moved.Label = &orb.Point{120.50, 31.26}
	added := &gazetteer.Place{ID: 9, Name: "行春桥", Status: gazetteer.StatusCurrent, Label: &orb.Point{120.51, 31.26}}
	if err := ix.Upsert(moved); err != nil {
		t.Fatal(err)
	}
	if err := ix.Upsert(added); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(3); err != nil {
		t.Fatal(err)
	}
	check := func(stage string) {
		box := orb.Bound{Min: orb.Point{120.45, 31.2}, Max: orb.Point{120.55, 31.3}}
		region := ix.spatial.inRegion(&box, nil, 0)
		if len(region) != 2 || region[2] == nil || region[9] == nil {
			t.Errorf("%s: in the west box: %v, want places 2 and 9", stage, region)
		}
		east := orb.Bound{Min: orb.Point{120.55, 31.2}, Max: orb.Point{120.7, 31.3}}
		if region := ix.spatial.inRegion(&east, nil, 0); len(region) != 0 {
			t.Errorf("%s: in the east box (where 2 and 3 were): %v", stage, region)
		}
		var ids []int64
		for _, e := range ix.spatial.nearest(orb.Point{120.6339, 31.2605}, 5, 0) {
			ids = append(ids, e.ID)
		}
		if !slices.Equal(ids, []int64{9, 1, 2}) { // 1: the centre of 吴中区
			t.Errorf("%s: nearest to where 宝带桥 was: %v, want [9 1 2]", stage, ids)
		}
	}
	check("after the writes")
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check("reopened")
}
