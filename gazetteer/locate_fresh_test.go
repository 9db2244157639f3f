package gazetteer_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// The locator answers from an in-memory snapshot of the store; these tests
// hold it to what the store holds after each kind of write.

func freshUnit(id int64, name, code, level string, admin ...string) *gazetteer.Place {
	return &gazetteer.Place{ID: id, Name: name, Category: gazetteer.Category{Class: "行政区域"}, Status: gazetteer.StatusCurrent,
		Code: code, Level: level, Admin: admin}
}

func freshPoint(id int64, name string, at orb.Point, admin ...string) *gazetteer.Place {
	return &gazetteer.Place{ID: id, Name: name, Category: gazetteer.Category{Class: "居民点"}, Status: gazetteer.StatusCurrent,
		Admin: admin, Geometry: at, Coord: &gazetteer.Coord{Method: "estimated", AccuracyM: 100, Note: "test"}}
}

func evidenceIDs(loc gazetteer.Location) []int64 {
	var ids []int64
	for _, e := range loc.Evidence {
		ids = append(ids, e.PlaceID)
	}
	return ids
}

func nearbyIDs(r *gazetteer.Surroundings) []int64 {
	var ids []int64
	for _, n := range r.Nearby {
		ids = append(ids, n.ID)
	}
	return ids
}

func TestLocatorSeesWritesAfterItsFirstLookup(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := gazetteer.Change{Actor: "test", Reason: "locator snapshot"}
	put := func(st *gazetteer.Store, p *gazetteer.Place) {
		t.Helper()
		if _, err := st.Put(ctx, p, c); err != nil {
			t.Fatalf("put %s: %v", p.Name, err)
		}
	}
	for _, p := range []*gazetteer.Place{freshUnit(1, "苏州市", "3205", "prefecture"),
		freshUnit(2, "姑苏区", "320508", "county", "3205"), freshUnit(3, "吴中区", "320506", "county", "3205"),
		freshPoint(10, "甲村", orb.Point{120.620, 31.300}, "3205", "320508")} {
		put(s, p)
	}
	at := orb.Point{120.621, 31.300} // about 95 m east of 甲村
	l := s.Locator()
	if err := l.Load(ctx); err != nil {
		t.Fatal(err)
	}
	locate := func(step string) gazetteer.Location {
		t.Helper()
		loc, err := l.Locate(ctx, at)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return loc
	}
	reverse := func(step string) *gazetteer.Surroundings {
		t.Helper()
		r, err := l.Reverse(ctx, at, 1000, 10)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return r
	}
	if loc := locate("first lookup"); loc.Code("county") != "320508" || !slices.Equal(evidenceIDs(loc), []int64{10}) {
		t.Fatalf("first lookup: %+v, want 姑苏区 from 甲村", loc)
	}

	// Written through the same store after the snapshot was taken: nearer,
	// in another county, and a unit renamed.
	put(s, freshPoint(11, "乙村", orb.Point{120.6212, 31.300}, "3205", "320506"))
	put(s, freshUnit(3, "吴中区（改）", "320506", "county", "3205"))
	loc := locate("after a write")
	if got := evidenceIDs(loc); !slices.Equal(got, []int64{11, 10}) {
		t.Fatalf("after a write: evidence %v, want [11 10] (the new place first)", got)
	}
	if loc.Code("county") != "320506" || loc.Admin[1].Name != "吴中区（改）" {
		t.Errorf("after a write: %+v, want the renamed 吴中区 of the nearer place", loc.Admin)
	}
	if got := nearbyIDs(reverse("after a write")); !slices.Equal(got, []int64{11, 10}) {
		t.Errorf("reverse after a write: nearby %v, want [11 10]", got)
	}

	// Retired (places are never deleted): gone from every answer.
	gone := freshPoint(11, "乙村", orb.Point{120.6212, 31.300}, "3205", "320506")
	gone.Status = gazetteer.StatusCancelled
	put(s, gone)
	if got := evidenceIDs(locate("after a retirement")); !slices.Equal(got, []int64{10}) {
		t.Errorf("after a retirement: evidence %v, want [10]", got)
	}
	if got := nearbyIDs(reverse("after a retirement")); !slices.Equal(got, []int64{10}) {
		t.Errorf("reverse after a retirement: nearby %v, want [10]", got)
	}

	// Written by a second Store on the same file (another process: a
	// command-line import while the server runs), a boundary among them.
	s2, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	put(s2, freshPoint(12, "丙村", orb.Point{120.6215, 31.3003}, "3205", "320508"))
	box := orb.Polygon{{{120.61, 31.29}, {120.63, 31.29}, {120.63, 31.31}, {120.61, 31.31}, {120.61, 31.29}}}
	town := freshUnit(20, "测试镇", "320508001", "township", "3205", "320508")
	town.Geometry, town.Coord = box, &gazetteer.Coord{Method: "estimated", AccuracyM: 100, Note: "test rectangle"}
	put(s2, town)
	time.Sleep(150 * time.Millisecond) // past the Version poll of the first store
	r := reverse("after another store's write")
	if r.Method != gazetteer.LocateContains || r.Code("township") != "320508001" {
		t.Errorf("after another store's write: %+v, want 测试镇 by containment", r.Location)
	}
	if got := nearbyIDs(r); !slices.Equal(got, []int64{20, 12, 10}) {
		t.Errorf("after another store's write: nearby %v, want [20 12 10] (the boundary at 0 m, then the new place)", got)
	}
}

// Many places written at once: a batch past the snapshot's rebuild
// threshold (its R-tree built again), then one past its reload threshold
// (the store read afresh); each time the evidence is the five nearest by
// brute force.
func TestLocatorFollowsLargeWrites(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := gazetteer.Change{Actor: "test", Reason: "locator snapshot"}
	var all []*gazetteer.Place
	write := func(from, n int) {
		t.Helper()
		var in []gazetteer.Input
		for i := from; i < from+n; i++ {
			// A scattered lattice 10 km across, deterministic.
			at := orb.Point{120.55 + float64(i*7919%1000)/10000, 31.25 + float64(i*104729%1000)/10000}
			p := freshPoint(int64(100+i), "点", at, "3205", "320508")
			all = append(all, p)
			in = append(in, gazetteer.Input{Place: p})
		}
		if _, err := s.PutAll(ctx, in, c, gazetteer.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		for _, at := range []orb.Point{{120.6, 31.3}, {120.56, 31.26}, {120.649, 31.349}, {120.58, 31.33}} {
			loc, err := s.Locator().Locate(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			byDist := slices.Clone(all)
			slices.SortStableFunc(byDist, func(a, b *gazetteer.Place) int {
				da, db := gazetteer.DistanceM(at, a.Geometry), gazetteer.DistanceM(at, b.Geometry)
				if da != db {
					if da < db {
						return -1
					}
					return 1
				}
				return int(a.ID - b.ID)
			})
			var want []int64
			for _, p := range byDist {
				if len(want) < 5 && gazetteer.DistanceM(at, p.Geometry) <= gazetteer.DefaultCoverageM {
					want = append(want, p.ID)
				}
			}
			if got := evidenceIDs(loc); !slices.Equal(got, want) {
				t.Errorf("%s at %v: evidence %v, want %v", step, at, got, want)
			}
		}
	}
	write(0, 1)
	check("one place")
	write(1, 300)
	check("after 300 more (rebuilt)")
	write(301, 2500)
	check("after 2,500 more (reloaded)")
}

// Lookups running while another goroutine writes see one state or the next,
// never a torn one (run with -race).
func TestLocatorLookupsDuringWrites(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := gazetteer.Change{Actor: "test", Reason: "locator snapshot"}
	if _, err := s.Put(ctx, freshUnit(2, "姑苏区", "320508", "county", "3205"), c); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		var err error
		for i := 0; i < 40 && err == nil; i++ {
			_, err = s.Put(ctx, freshPoint(int64(10+i), "点", orb.Point{120.62 + float64(i)/1e4, 31.3}, "3205", "320508"), c)
		}
		done <- err
	}()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				r, err := s.Locator().Reverse(ctx, orb.Point{120.621, 31.3}, 1000, 5)
				if err != nil {
					t.Error(err)
					return
				}
				if len(r.Nearby) > 0 && r.Code("county") != "320508" {
					t.Errorf("places nearby but %+v", r.Location)
				}
			}
		}()
	}
	wg.Wait()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	r, err := s.Locator().Reverse(ctx, orb.Point{120.621, 31.3}, 1000, 100)
	if err != nil || len(r.Nearby) != 40 {
		t.Fatalf("after the writes: %d nearby (%v), want all 40", len(r.Nearby), err)
	}
}
