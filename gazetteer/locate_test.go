package gazetteer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"wumen/data"
	"wumen/gazetteer"
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
		s, err := gazetteer.Open(filepath.Join(dir, "shipped.db"))
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
	t.Logf("%+v", loc)
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
