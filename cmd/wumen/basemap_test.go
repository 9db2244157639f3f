package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer/tileset"
	"wumen/gazetteer/tileset/osmbasemap"
	"wumen/geo/osm/osmtest"
	"wumen/geo/pmtiles"
)

// TestBasemapBuild: `wumen basemap build` writes the fixture extract's
// archive with its ODbL notice and counts; bad input is exit 3 with
// nothing written; build-site --osm-basemap merges it into tiles.pmtiles.
func TestBasemapBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a street basemap from an OSM extract")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "basemap.pmtiles")
	code, stdout, stderr := wumen(t, "basemap", "--quiet", "build", osmtest.PBF(t, osmFixture), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"wrote " + out, "8 street", "2 waterway", "1 water", "1 building", "0 broken", "--osm-basemap " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	ov, err := tileset.OpenOverlay(out)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Attribution != osmbasemap.Attribution {
		t.Errorf("archive attribution %q", ov.Attribution)
	}
	ov.Close()

	// Broken input: the relation named, exit 3, no archive.
	bad := filepath.Join(dir, "bad.pmtiles")
	code, stdout, stderr = wumen(t, "basemap", "--quiet", "build", "../../geo/osm/testdata/broken.osm", "-o", bad)
	if code != exitInvalid || !strings.Contains(stdout, "relation/900") || !strings.Contains(stderr, "nothing to draw") {
		t.Errorf("broken extract: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("an archive was written for a broken extract")
	}
	if code, _, stderr := wumen(t, "basemap", "build"); code != exitUsage || !strings.Contains(stderr, "wumen basemap build EXTRACT") {
		t.Errorf("no extract: exit %d %s", code, stderr)
	}
	// An archive that is not a street basemap is refused by serve and build-site.
	if code, _, stderr := wumen(t, "build-site", "--db", seeded(t), "--osm-basemap", osmFixture, filepath.Join(dir, "x")); code != exitInvalid || !strings.Contains(stderr, "not a PMTiles archive") {
		t.Errorf("build-site with an OSM file as basemap: exit %d %s", code, stderr)
	}

	// The static build's archive holds the street layer and the notice.
	site := filepath.Join(dir, "site")
	if code, _, stderr := wumen(t, "build-site", "--db", seeded(t), "--quiet", "--osm-basemap", out, site); code != 0 {
		t.Fatalf("build-site: exit %d %s", code, stderr)
	}
	f, err := os.Open(filepath.Join(site, "tiles.pmtiles"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pmtiles.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := r.Metadata()
	if !strings.Contains(md.Attribution, osmbasemap.Attribution) {
		t.Errorf("tiles.pmtiles attribution %q lacks the street basemap's", md.Attribution)
	}
	b, err := r.Tile(14, 13682, 6689) // 平江路 (120.63, 31.318)
	if err != nil || b == nil {
		t.Fatalf("z14 tile of 平江路: %v", err)
	}
	layers, err := tileset.Schema().CheckTile(b, maptile.New(13682, 6689, 14))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, l := range layers {
		have[l.Name] = true
	}
	if !have["street"] || !have["waterway"] || !have["places"] || !have["land"] {
		t.Errorf("z14 tile of 平江路 in tiles.pmtiles has layers %v, want the streets and canal merged with the places and the shipped land", have)
	}
}
