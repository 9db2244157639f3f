package site

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// reverseAnswer is the part of a reverse answer the tests read.
type reverseAnswer struct {
	Features []struct {
		Properties struct {
			Name      string  `json:"name"`
			DistanceM float64 `json:"distance_m"`
			Distance  float64 `json:"distance"`
		} `json:"properties"`
	} `json:"features"`
	Admin []struct {
		Code, Name, Level string
	} `json:"admin"`
	Location struct {
		Method   string `json:"method"`
		Note     string `json:"note"`
		Evidence []struct {
			Name      string  `json:"name"`
			DistanceM float64 `json:"distance_m"`
		} `json:"evidence"`
	} `json:"location"`
	Water []struct {
		Name string `json:"name"`
	} `json:"water"`
	Outside *bool   `json:"outside_coverage"`
	RadiusM float64 `json:"radius_m"`
}

func reverse(t *testing.T, query string) reverseAnswer {
	t.Helper()
	r := get(t, newServer(t, nil).Handler(), "/api/v1/reverse?"+query)
	if r.code != 200 {
		t.Fatalf("reverse %s: %d %s", query, r.code, r.body)
	}
	var a reverseAnswer
	if err := json.Unmarshal([]byte(r.body), &a); err != nil {
		t.Fatal(err)
	}
	if a.Outside == nil {
		t.Fatalf("reverse %s: no outside_coverage field: %s", query, r.body)
	}
	return a
}

func TestReverseOutsideCoverageIsEmpty(t *testing.T) {
	for _, c := range []struct{ name, q string }{
		{"Beijing, Tiananmen", "point.lat=39.9087&point.lon=116.3975"},
		{"central Shanghai", "point.lat=31.2304&point.lon=121.4737"},
		{"Nanjing", "lat=32.0603&lon=118.7969"},
		{"0,0", "point.lat=0&point.lon=0&radius=50"},
	} {
		a := reverse(t, c.q)
		if !*a.Outside || len(a.Features) != 0 || len(a.Admin) != 0 || len(a.Water) != 0 || a.Location.Method != "outside" {
			t.Errorf("%s: %+v, want an empty answer outside coverage", c.name, a)
		}
	}
}

func TestReverseOldCityIsGusuEstimated(t *testing.T) {
	a := reverse(t, "point.lat=31.3170&point.lon=120.6220")
	if *a.Outside || a.Location.Method != "estimated" || len(a.Admin) < 2 || a.Admin[1].Name != "姑苏区" || a.Admin[1].Level != "county" {
		t.Fatalf("old city: %+v, want 姑苏区 estimated", a)
	}
	if len(a.Location.Evidence) == 0 || !strings.Contains(a.Location.Note, a.Location.Evidence[0].Name) {
		t.Errorf("an estimate must show its evidence: %+v", a.Location)
	}
	if len(a.Features) == 0 {
		t.Fatal("no named places within 1 km of the old city centre")
	}
	for i, f := range a.Features {
		p := f.Properties
		if p.DistanceM > 1000 || p.Distance*1000 != p.DistanceM || i > 0 && p.DistanceM < a.Features[i-1].Properties.DistanceM {
			t.Errorf("place %d %s at %v m (%v km): beyond 1 km, inconsistent or out of order", i, p.Name, p.DistanceM, p.Distance)
		}
	}
	// A smaller radius lists fewer places, none beyond it.
	b := reverse(t, "point.lat=31.3170&point.lon=120.6220&boundary.circle.radius=0.3&size=100")
	if b.RadiusM != 300 {
		t.Errorf("radius_m %v, want 300", b.RadiusM)
	}
	for _, f := range b.Features {
		if f.Properties.DistanceM > 300 {
			t.Errorf("%s at %v m beyond the 300 m asked", f.Properties.Name, f.Properties.DistanceM)
		}
	}
}

func TestReverseOpenWaterNamesTheLake(t *testing.T) {
	a := reverse(t, "lat=31.15&lon=120.35")
	if len(a.Water) != 1 || a.Water[0].Name != "太湖" {
		t.Fatalf("water %+v, want 太湖", a.Water)
	}
	if a.Location.Method != "estimated" || len(a.Admin) < 2 || a.Admin[1].Name != "吴中区" {
		t.Errorf("admin %+v (%s), want 吴中区 estimated", a.Admin, a.Location.Method)
	}
	if len(a.Features) == 0 || a.Features[0].Properties.Name != "太湖" || a.Features[0].Properties.DistanceM != 0 {
		t.Errorf("the lake itself should be the nearest place at 0 m: %+v", a.Features)
	}
}

func TestReverseBadInput(t *testing.T) {
	h := newServer(t, nil).Handler()
	for q, field := range map[string]string{
		"point.lat=31.3&point.lon=120.6&radius=0":  "radius",
		"point.lat=31.3&point.lon=120.6&radius=51": "radius",
		"lat=31.3":                                 "lat,lon",
		"point.lat=31.3&point.lon=abc":             "point",
		"point.lat=31.3&point.lon=120.6&size=1000": "size",
	} {
		r := get(t, h, "/api/v1/reverse?"+q)
		if r.code != 400 || !strings.Contains(r.body, fmt.Sprintf(`"field":%q`, field)) {
			t.Errorf("%s: %d %s, want 400 naming %s", q, r.code, r.body, field)
		}
	}
}
