package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wumen/geo/osm/osmtest"
)

const osmFixture = "../../geo/osm/testdata/oldcity.osm"

func TestImportOSM(t *testing.T) {
	db := seeded(t)
	pbf := osmtest.PBF(t, osmFixture)
	report := filepath.Join(t.TempDir(), "report.json")

	// --dry-run prints the decisions and writes nothing.
	code, out, stderr := wumen(t, "import", "--db", db, "--dry-run", "--report", report, pbf)
	if code != 0 {
		t.Fatalf("dry run: exit %d %s", code, stderr)
	}
	for _, want := range []string{"new\tway/2401\t菉葭巷", "matched\tway/2001\t平江路\tplace 1400 by name, 2 m", "skipped\tway/2502\t苏州平江客栈\tbuilding=yes",
		"matched\trelation/3101\t平江街道\tplace 100510 by code", "skipped\t1\thighway=footway", "2 skipped", "nothing written"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	var reps []struct {
		DryRun  bool `json:"dry_run"`
		New     []struct{ OSM []string }
		Matched []struct {
			OSM       []string
			Place     int64
			DistanceM *float64 `json:"distance_m"`
		}
		Skipped []struct{ Osm, Tag string }
	}
	b, err := os.ReadFile(report)
	if err != nil || json.Unmarshal(b, &reps) != nil || len(reps) != 1 || !reps[0].DryRun || len(reps[0].New) != 3 || len(reps[0].Matched) != 7 || len(reps[0].Skipped) != 1 {
		t.Fatalf("report %s: %v", b, err)
	}
	if _, out, _ := wumen(t, "show", "--db", db, "1400"); !strings.Contains(out, `"type": "Point"`) {
		t.Error("the dry run changed 平江路")
	}

	code, out, stderr = wumen(t, "import", "--db", db, pbf)
	if code != 0 || !strings.Contains(out, "10 revisions") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, stderr)
	}
	if _, out, _ := wumen(t, "show", "--db", db, "1400"); !strings.Contains(out, `"type": "LineString"`) || !strings.Contains(out, "Pingjiang Road") {
		t.Errorf("平江路 after the import:\n%s", out)
	}
	// The XML form of the same extract changes nothing.
	if code, out, _ := wumen(t, "import", "--db", db, osmFixture); code != 0 || !strings.Contains(out, "0 new, 10 matched") || !strings.Contains(out, "; 0 revisions") {
		t.Errorf("second import: %d\n%s", code, out)
	}
	if code, _, stderr := wumen(t, "import", "--db", db, "--overwrite", "meaning", pbf); code != exitUsage || !strings.Contains(stderr, "--overwrite meaning") {
		t.Errorf("--overwrite meaning: %d %s", code, stderr)
	}
}

func TestImportOSMBrokenFile(t *testing.T) {
	db := seeded(t)
	bad := filepath.Join(t.TempDir(), "bad.osm")
	os.WriteFile(bad, []byte("<osm>\n<node id=\"1\" lat=\"31\" lon=\"120\">\n</osm>\n"), 0o644)
	if code, _, stderr := wumen(t, "import", "--db", db, bad); code != exitInvalid || !strings.Contains(stderr, "bad.osm: line 3") {
		t.Errorf("broken XML: exit %d %s", code, stderr)
	}
	code, out, _ := wumen(t, "import", "--db", db, "../../geo/osm/testdata/broken.osm")
	if code != 0 || !strings.Contains(out, "broken\trelation/900\t石湖\trelation 900: outer ring") {
		t.Errorf("broken relation: %d\n%s", code, out)
	}
}
