package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReverseCommand(t *testing.T) {
	db := seeded(t)
	code, out, stderr := wumen(t, "reverse", "--db", db, "31.3170,120.6220")
	if code != 0 || !strings.Contains(out, "admin (estimated): 苏州市 3205 › 姑苏区 320508") || !strings.Contains(out, "evidence:") {
		t.Fatalf("old city: %d\n%s%s", code, out, stderr)
	}
	code, out, _ = wumen(t, "reverse", "--db", db, "39.9087", "116.3975")
	if code != 0 || !strings.HasPrefix(out, "outside coverage") {
		t.Fatalf("Tiananmen: %d %s", code, out)
	}
	code, out, _ = wumen(t, "reverse", "--db", db, "--json", "--radius", "500", "31.15,120.35")
	var res struct {
		Method string
		Water  []struct{ Name string }
		Nearby []struct {
			Name      string
			DistanceM float64 `json:"distance_m"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("json: %d %v %s", code, err, out)
	}
	if res.Method != "estimated" || len(res.Water) != 1 || res.Water[0].Name != "太湖" {
		t.Errorf("open water of 太湖: %+v", res)
	}
	if code, _, _ := wumen(t, "reverse", "--db", db, "north"); code != exitUsage {
		t.Errorf("a bad point: exit %d, want %d", code, exitUsage)
	}
}

// TestImportBoundaryThenReverse imports the hand-made test rectangle (not a
// real boundary) for 姑苏区 and checks that reverse then answers by
// containment, and that an import fills and checks admin parents by it.
func TestImportBoundaryThenReverse(t *testing.T) {
	db := seeded(t)
	fixture := filepath.Join("..", "..", "gazetteer", "testdata", "test_boundary_gusu.geojson")
	code, out, stderr := wumen(t, "import", "--db", db, "--quiet", "--boundaries", "测试用矩形（非真实边界）", "--boundary-method", "digitized", fixture)
	if code != 0 || !strings.Contains(out, "boundary updated\t") || !strings.Contains(out, "姑苏区") {
		t.Fatalf("import --boundaries: %d\n%s%s", code, out, stderr)
	}
	code, out, _ = wumen(t, "reverse", "--db", db, "31.3170,120.6220")
	if code != 0 || !strings.Contains(out, "admin (contains): 苏州市 3205 › 姑苏区 320508") {
		t.Fatalf("reverse after the boundary: %d %s", code, out)
	}
	places := filepath.Join(t.TempDir(), "p.geojson")
	os.WriteFile(places, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"测试巷","category":{"class":"交通运输设施","subclass":"道路街巷"},"coord":{"method":"estimated","accuracy_m":500}},"geometry":{"type":"Point","coordinates":[120.62,31.31]}},
{"type":"Feature","properties":{"name":"错区巷","admin":["3205","320506"],"category":{"class":"交通运输设施","subclass":"道路街巷"},"coord":{"method":"estimated","accuracy_m":500}},"geometry":{"type":"Point","coordinates":[120.62,31.311]}}]}`), 0o644)
	code, out, stderr = wumen(t, "import", "--db", db, "--quiet", places)
	if code != 0 || !strings.Contains(out, "features[0]: 测试巷: admin filled from its geometry: 苏州市 3205 › 姑苏区 320508 (contains)") ||
		!strings.Contains(out, "features[1]: 错区巷: stated admin 3205,320506, but its geometry lies in 苏州市 3205 › 姑苏区 320508 (contains") {
		t.Fatalf("import with admin check: %d\n%s%s", code, out, stderr)
	}
	code, out, _ = wumen(t, "search", "--db", db, "--quiet", "--admin", "320508", "测试巷")
	if code != 0 || !strings.Contains(out, "测试巷") {
		t.Errorf("the filled admin is not stored: %d %s", code, out)
	}
	// A boundary for a code the store does not have: exit 3, nothing written.
	bad := filepath.Join(t.TempDir(), "b.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"320599"},"geometry":{"type":"Polygon","coordinates":[[[120.6,31.3],[120.7,31.3],[120.7,31.4],[120.6,31.3]]]}}]}`), 0o644)
	code, _, stderr = wumen(t, "import", "--db", db, "--boundaries", "x", bad)
	if code != exitInvalid || !strings.Contains(stderr, "b.geojson: features[0]: code: no administrative unit with code 320599") {
		t.Errorf("unknown code: %d %s", code, stderr)
	}
}
