package gazetteer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/geo"
)

// testBoundarySource cites the hand-made test rectangle: it is no real boundary.
var testBoundarySource = gazetteer.Source{ID: "test-boundary", Title: "测试用矩形（非真实边界），仅供测试"}

// seededCopy returns a store of its own seeded with the shipped dataset.
func seededCopy(t *testing.T) *gazetteer.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Seed(context.Background(), data.FS, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func readFixture(t *testing.T, name string) []gazetteer.Input {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := gazetteer.ReadGeoJSON(f, name, geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestImportedBoundaryAnswersByContainment(t *testing.T) {
	s := seededCopy(t)
	ctx := context.Background()
	oldCity := orb.Point{120.6220, 31.3170}
	if loc, _ := s.Locator().Locate(ctx, oldCity); loc.Method != gazetteer.LocateEstimated {
		t.Fatalf("before any boundary: %+v, want estimated", loc)
	}
	before, _ := s.GetByCode(ctx, "320508")
	revs, _ := s.Revisions(ctx, before.ID)
	n, _ := s.Count(ctx, gazetteer.Filter{})

	rep, err := s.AttachBoundaries(ctx, readFixture(t, "test_boundary_gusu.geojson"), gazetteer.Change{Actor: "test", Reason: "test boundary"},
		gazetteer.BoundaryOptions{Source: testBoundarySource, AccuracyM: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 0 || rep.Updated != 1 {
		t.Fatalf("report %+v, want one unit updated and none created", rep)
	}
	if m, _ := s.Count(ctx, gazetteer.Filter{}); m != n {
		t.Fatalf("%d places after, %d before: a boundary must not add a place", m, n)
	}
	after, _ := s.GetByCode(ctx, "320508")
	if after.ID != before.ID || after.Name != "姑苏区" || len(after.Names) != len(before.Names) || after.Links != before.Links {
		t.Errorf("the unit's record was replaced, not given a boundary: %+v", after)
	}
	if _, ok := after.Geometry.(orb.Polygon); !ok || after.Coord.Source != testBoundarySource.ID {
		t.Errorf("geometry %T coord %+v", after.Geometry, after.Coord)
	}
	if r2, _ := s.Revisions(ctx, after.ID); len(r2) != len(revs)+1 {
		t.Errorf("%d revisions after, %d before: want one more", len(r2), len(revs))
	}

	loc, err := s.Locator().Locate(ctx, oldCity)
	if err != nil {
		t.Fatal(err)
	}
	if loc.Method != gazetteer.LocateContains || loc.Code("county") != "320508" || loc.Admin[0].Code != "3205" || len(loc.Evidence) != 0 {
		t.Fatalf("inside the boundary: %+v, want 姑苏区 by containment", loc)
	}
	if !strings.Contains(loc.Note, "边界") {
		t.Errorf("note %q does not say a boundary decided it", loc.Note)
	}
	// Just outside the rectangle the answer is an estimate again.
	if loc, _ := s.Locator().Locate(ctx, orb.Point{120.6220, 31.3400}); loc.Method != gazetteer.LocateEstimated {
		t.Errorf("outside the boundary: %+v, want estimated", loc)
	}
	// A point far away is still outside coverage.
	if loc, _ := s.Locator().Locate(ctx, orb.Point{116.3975, 39.9087}); !loc.Outside() {
		t.Errorf("Beijing: %+v", loc)
	}
	checkAdminFillsAndReports(t, s)
}

func TestBoundaryImportErrorsWriteNothing(t *testing.T) {
	s := shipped(t) // shared: nothing may be written, which is what this checks
	ctx := context.Background()
	last, _ := s.LastRevision(ctx)
	poly := orb.Polygon{{{120.6, 31.3}, {120.7, 31.3}, {120.7, 31.4}, {120.6, 31.3}}}
	for _, c := range []struct {
		name  string
		place gazetteer.Place
		want  string
	}{
		{"unknown code", gazetteer.Place{Code: "320599", Geometry: poly}, "b.geojson: features[1]: code: no administrative unit with code 320599"},
		{"no code", gazetteer.Place{Geometry: poly}, "features[1]: code: a boundary needs the statistical code"},
		{"a point", gazetteer.Place{Links: gazetteer.Links{NBS: "320506"}, Geometry: orb.Point{120.6, 31.3}}, "features[1]: geometry: a boundary must be a Polygon or MultiPolygon, not Point"},
	} {
		in := []gazetteer.Input{
			{Place: &gazetteer.Place{Code: "320508", Geometry: poly}, Where: "b.geojson: features[0]"},
			{Place: &c.place, Where: "b.geojson: features[1]"},
		}
		_, err := s.AttachBoundaries(ctx, in, gazetteer.Change{Actor: "test"}, gazetteer.BoundaryOptions{Source: testBoundarySource})
		if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if now, _ := s.LastRevision(ctx); now != last {
		t.Errorf("a failed boundary import wrote revisions %d..%d", last, now)
	}
}

// checkAdminFillsAndReports runs on a store where the test rectangle is
// 姑苏区's boundary.
func checkAdminFillsAndReports(t *testing.T, s *gazetteer.Store) {
	ctx := context.Background()
	pt := orb.Point{120.62, 31.31}
	none := &gazetteer.Place{Name: "无区划", Geometry: pt}
	wrong := &gazetteer.Place{Name: "错区划", Admin: []string{"3205", "320506"}, Geometry: pt}
	right := &gazetteer.Place{Name: "对区划", Admin: []string{"3205", "320508"}, Geometry: pt}
	far := &gazetteer.Place{Name: "园区远处", Geometry: orb.Point{120.75, 31.30}} // no boundary there: not filled
	in := []gazetteer.Input{{Place: none, Where: "p.csv:2"}, {Place: wrong, Where: "p.csv:3"}, {Place: right, Where: "p.csv:4"}, {Place: far, Where: "p.csv:5"}}
	fs, err := s.Locator().CheckAdmin(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("findings %v, want the filled one and the wrong one", fs)
	}
	if !fs[0].Filled || fs[0].Where != "p.csv:2" || strings.Join(none.Admin, ",") != "3205,320508" {
		t.Errorf("filled: %v, admin now %v", fs[0], none.Admin)
	}
	if fs[1].Filled || fs[1].Where != "p.csv:3" || !strings.Contains(fs[1].String(), "stated admin 3205,320506, but its geometry lies in 苏州市 3205 › 姑苏区 320508 (contains") {
		t.Errorf("disagreement: %s", fs[1])
	}
	if len(far.Admin) != 0 {
		t.Errorf("an estimate was written into a record as fact: %v", far.Admin)
	}
}
