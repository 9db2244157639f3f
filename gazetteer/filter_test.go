package gazetteer

import (
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	get := func(q map[string]string) func(string) string { return func(k string) string { return q[k] } }
	f, err := ParseFilter(get(map[string]string{"category": "桥梁", "admin": "320508", "heritage": "any", "status": "current",
		"bbox": "120.5,31.2,120.7,31.4", "since": "2026-01-02", "ids": "1, 51", "missing_geometry": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if f.Class != "桥梁" || f.Admin != "320508" || f.Heritage != "any" || f.Status != StatusCurrent || f.BBox == nil ||
		f.BBox.Max.Lat() != 31.4 || f.ChangedSince.Year() != 2026 || len(f.IDs) != 2 || f.IDs[1] != 51 || !f.MissingGeometry {
		t.Errorf("%+v", f)
	}
	if f, err := ParseFilter(get(map[string]string{"bbox": "120.5,31.2,0,120.7,31.4,10", "changed_since": "2026-01-02T00:00:00Z"})); err != nil || f.BBox.Min.Lon() != 120.5 || f.ChangedSince.IsZero() {
		t.Errorf("6-number bbox / changed_since: %+v %v", f, err)
	}
	for field, q := range map[string]map[string]string{
		"admin":            {"admin": "32O5"},
		"status":           {"status": "gone"},
		"bbox":             {"bbox": "200,31,201,32"},
		"since":            {"since": "yesterday"},
		"ids":              {"ids": "1,x"},
		"missing_geometry": {"missing_geometry": "maybe"},
	} {
		_, err := ParseFilter(get(q))
		if ErrorCode(err) != EInvalid || !strings.HasPrefix(err.Error(), field+":") {
			t.Errorf("%s: %v", field, err)
		}
	}
	for _, b := range []string{"1,2,3", "NaN,1,2,3", "10,10,5,5", "-181,0,0,1"} {
		if _, err := ParseBBox(b); err == nil {
			t.Errorf("bbox %q accepted", b)
		}
	}
}
