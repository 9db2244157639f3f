package gazetteer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// shippedDir holds the shared seeded store; TestMain removes it.
var shippedDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if shippedStore != nil {
		shippedStore.Close()
	}
	if shippedDir != "" {
		os.RemoveAll(shippedDir)
	}
	os.Exit(code)
}

func mkdirTemp() (string, error) {
	var err error
	shippedDir, err = os.MkdirTemp("", "wumen-locate-")
	return shippedDir, err
}

var (
	shippedOnce  sync.Once
	shippedStore *gazetteer.Store
	shippedErr   error
)

// shipped returns a store seeded with the shipped dataset, shared by the
// tests of this file (seeding takes a few seconds). Tests must not write to it.
func shipped(t testing.TB) *gazetteer.Store {
	t.Helper()
	shippedOnce.Do(func() {
		dir, err := mkdirTemp()
		if err != nil {
			shippedErr = err
			return
		}
		s, err := sqlite.Open(filepath.Join(dir, "shipped.db"))
		if err != nil {
			shippedErr = err
			return
		}
		if _, err := s.Seed(context.Background(), data.FS, nil); err != nil {
			shippedErr = err
			return
		}
		shippedStore = s
	})
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	return shippedStore
}

func locate(t *testing.T, s *gazetteer.Store, lat, lon float64) gazetteer.Location {
	t.Helper()
	var l gazetteer.Locator = s.Locator()
	loc, err := l.Locate(context.Background(), orb.Point{lon, lat})
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestLocateOutsideCoverage(t *testing.T) {
	s := shipped(t)
	for _, c := range []struct {
		name     string
		lat, lon float64
	}{
		{"Beijing, Tiananmen", 39.9087, 116.3975},
		{"central Shanghai", 31.2304, 121.4737},
		{"Nanjing", 32.0603, 118.7969},
		{"0,0", 0, 0},
		{"Wuxi city centre", 31.57, 120.30},
	} {
		loc := locate(t, s, c.lat, c.lon)
		if loc.Method != gazetteer.LocateOutside || len(loc.Admin) != 0 || !loc.Outside() {
			t.Errorf("%s: got %+v, want outside coverage with no admin", c.name, loc)
		}
		if !strings.Contains(loc.Note, "覆盖范围") {
			t.Errorf("%s: note %q does not say why", c.name, loc.Note)
		}
	}
}

func TestLocateOldCityEstimatesGusu(t *testing.T) {
	s := shipped(t)
	// Between 观前街 and 北寺塔, inside the old city moat.
	loc := locate(t, s, 31.3170, 120.6220)
	if loc.Method != gazetteer.LocateEstimated {
		t.Fatalf("method %q, want estimated: %+v", loc.Method, loc)
	}
	if loc.Code("county") != "320508" {
		t.Fatalf("county %q, want 320508 姑苏区: %+v", loc.Code("county"), loc)
	}
	if loc.Admin[0].Code != "3205" || loc.Admin[0].Name != "苏州市" {
		t.Errorf("broadest unit %+v, want 苏州市", loc.Admin[0])
	}
	if len(loc.Evidence) == 0 {
		t.Fatal("an estimate without evidence")
	}
	for i, e := range loc.Evidence {
		if e.PlaceID == 0 || e.Name == "" || e.DistanceM <= 0 || e.DistanceM > 2500 {
			t.Errorf("evidence %d: %+v", i, e)
		}
		if i > 0 && e.DistanceM < loc.Evidence[i-1].DistanceM {
			t.Errorf("evidence not nearest first: %+v", loc.Evidence)
		}
	}
	if !strings.Contains(loc.Note, loc.Evidence[0].Name) || !strings.Contains(loc.Note, "姑苏区") {
		t.Errorf("note %q names neither the nearest place nor the county", loc.Note)
	}
}

func TestLocateRejectsBadPoint(t *testing.T) {
	s := shipped(t)
	_, err := s.Locator().Locate(context.Background(), orb.Point{200, 31})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Fatalf("got %v, want an invalid-input error", err)
	}
}

func TestShippedShapesAreCitedPolygonsAndLines(t *testing.T) {
	s := shipped(t)
	ctx := context.Background()
	for _, c := range []struct {
		id      int64
		name    string
		polygon bool
	}{{1700, "太湖", true}, {1702, "阳澄湖", true}, {1706, "淀山湖", true}, {1817, "西山", true}, {1604, "京杭大运河", false}, {1607, "吴淞江", false}} {
		p, err := s.Get(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != c.name {
			t.Fatalf("%d is %s, want %s", c.id, p.Name, c.name)
		}
		switch p.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
			if !c.polygon {
				t.Errorf("%s: a polygon, want a line", p.Name)
			}
			if !planar.PolygonContains(p.Geometry.(orb.Polygon), *p.Label) {
				t.Errorf("%s: label %v is not inside its own polygon (off the holes)", p.Name, *p.Label)
			}
		case orb.LineString, orb.MultiLineString:
			if c.polygon {
				t.Errorf("%s: a line, want a polygon", p.Name)
			}
		default:
			t.Errorf("%s: geometry %T", p.Name, p.Geometry)
		}
		if p.Coord == nil || p.Coord.Source != "gshhg" || p.Coord.AccuracyM < 500 || !strings.Contains(p.Coord.Note, "按") {
			t.Errorf("%s: coord %+v does not cite GSHHG with an accuracy and how the name was assigned", p.Name, p.Coord)
		}
		if p.License != "LGPL-3.0-or-later" {
			t.Errorf("%s: licence %q", p.Name, p.License)
		}
	}
	// 太湖 keeps its islands as holes.
	p, _ := s.Get(ctx, 1700)
	if n := len(p.Geometry.(orb.Polygon)); n < 3 {
		t.Errorf("太湖 has %d rings, want the outline and the holes of 西山 and 马山", n)
	}
}

func TestReverseOpenWaterOfTaihu(t *testing.T) {
	s := shipped(t)
	// Open water between 西山 and 东山, 7 km from the nearest shore place.
	r, err := s.Locator().Reverse(context.Background(), orb.Point{120.35, 31.15}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Water) != 1 || r.Water[0].Name != "太湖" || r.Water[0].DistanceM != 0 {
		t.Fatalf("water %+v, want 太湖", r.Water)
	}
	if r.Method != gazetteer.LocateEstimated || r.Code("county") != "320506" || len(r.Evidence) == 0 {
		t.Fatalf("location %+v, want 吴中区 estimated with evidence", r.Location)
	}
	if r.RadiusM != gazetteer.DefaultReverseM {
		t.Errorf("radius %v, want the default %v m", r.RadiusM, gazetteer.DefaultReverseM)
	}
	for _, n := range r.Nearby {
		if n.DistanceM > r.RadiusM {
			t.Errorf("%s at %.0f m is beyond the %v m radius", n.Name, n.DistanceM, r.RadiusM)
		}
	}
	// On 西山, the island hole of the lake: no lake, the island itself.
	r, err = s.Locator().Reverse(context.Background(), orb.Point{120.25, 31.10}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Water) != 0 {
		t.Errorf("on 西山 the point is in the water of %v: holes ignored", r.Water[0].Name)
	}
	if len(r.Nearby) == 0 || r.Nearby[0].Name != "西山" || r.Nearby[0].DistanceM != 0 {
		t.Errorf("nearby on the island %+v, want 西山 at 0 m first", r.Nearby)
	}
}

func TestReverseOutsideIsEmpty(t *testing.T) {
	s := shipped(t)
	r, err := s.Locator().Reverse(context.Background(), orb.Point{121.4737, 31.2304}, 50000, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Outside() || len(r.Nearby) != 0 || len(r.Water) != 0 || len(r.Admin) != 0 {
		t.Fatalf("central Shanghai: %+v, want an empty answer outside coverage", r)
	}
}
