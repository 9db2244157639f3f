package main

import (
	"encoding/json"
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
