package osmbasemap

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
	"wumen/geo/osm/osmtest"
	"wumen/geo/pmtiles"
)

func table(t testing.TB) *Table {
	t.Helper()
	rules, err := data.FS.ReadFile("osm_basemap.tsv")
	if err != nil {
		t.Fatal(err)
	}
	names, err := data.FS.ReadFile("osm_names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ParseTable(rules, "osm_basemap.tsv", names, "osm_names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func fixture(name string) string {
	return filepath.Join("..", "..", "..", "geo", "osm", "testdata", name)
}

// TestBuildFixture builds the basemap of the fixture extract, from its XML
// and from its PBF (osmium-tool), and reads the archive back: every tile
// follows the tile schema, the metadata carries the ODbL notice, and the
// z14 tiles hold the extract's streets by class, its canal, its lake with
// the island as a hole, its building and its neighbourhood label.
func TestBuildFixture(t *testing.T) {
	for _, file := range []string{fixture("oldcity.osm"), osmtest.PBF(t, fixture("oldcity.osm"))} {
		var buf bytes.Buffer
		st, err := Build(context.Background(), file, table(t), &buf, Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"street": 8, "waterway": 2, "water": 1, "building": 1, "place_label": 1}
		for l, n := range want {
			if st.Features[l] != n {
				t.Errorf("%s: %d %s features, want %d (%v)", file, st.Features[l], l, n, st.Features)
			}
		}
		r, err := pmtiles.NewReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		md, err := r.Metadata()
		if err != nil {
			t.Fatal(err)
		}
		if md.Attribution != Attribution || !strings.Contains(md.Attribution, "© OpenStreetMap contributors (ODbL 1.0") {
			t.Errorf("metadata attribution %q", md.Attribution)
		}
		kinds := map[string]bool{}
		holes := 0
		err = r.Entries(func(e pmtiles.Entry) error {
			z, x, y := pmtiles.IDToZxy(e.TileID)
			b, err := r.Tile(z, x, y)
			if err != nil {
				return err
			}
			layers, err := tileset.Schema().CheckTile(b, maptile.New(x, y, maptile.Zoom(z)))
			if err != nil {
				return err
			}
			if z != 14 {
				return nil
			}
			for _, l := range layers {
				for _, f := range l.Features {
					kinds[l.Name+"/"+f.Properties.MustString("kind", "")] = true
					if l.Name == "water" {
						switch p := f.Geometry.(type) {
						case orb.Polygon:
							holes += len(p) - 1
						case orb.MultiPolygon:
							for _, q := range p {
								holes += len(q) - 1
							}
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if holes == 0 {
			t.Errorf("%s: the lake has no hole (the island) in any z14 tile", file)
		}
		for _, k := range []string{"street/primary", "street/minor", "street/path", "waterway/canal", "water/lake", "building/building", "place_label/neighbourhood"} {
			if !kinds[k] {
				t.Errorf("%s: no %s feature at z14 (have %v)", file, k, kinds)
			}
		}
	}
}

// TestBuildBroken: an area relation whose ring does not close is listed
// with its id, not drawn; with nothing left to draw the build is invalid
// input (exit 3).
func TestBuildBroken(t *testing.T) {
	var buf bytes.Buffer
	st, err := Build(context.Background(), fixture("broken.osm"), table(t), &buf, Options{TempDir: t.TempDir()})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Fatalf("err %v, want invalid input", err)
	}
	if len(st.Broken) != 1 || !strings.Contains(st.Broken[0], "relation/900") || !strings.Contains(st.Broken[0], "does not close") {
		t.Errorf("broken %q, want relation/900 and why", st.Broken)
	}
	_, err = Build(context.Background(), fixture("README.md"), table(t), &buf, Options{TempDir: t.TempDir()})
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "not an OpenStreetMap file") {
		t.Errorf("a README as extract: %v", err)
	}
	if errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// TestParseTableErrors: a bad row is named by file and line.
func TestParseTableErrors(t *testing.T) {
	names, _ := data.FS.ReadFile("osm_names.tsv")
	for row, want := range map[string]string{
		"highway=primary\troad\tprimary\t9\n":    "t.tsv:1: layer: \"road\" is not a layer",
		"highway=primary\tstreet\tprimary\t99\n": "t.tsv:1: minzoom: \"99\" is not a zoom of layer street",
		"highway=primary\tstreet\tprimary\n":     "t.tsv:1: 3 tab-separated columns, want 4",
		"\tstreet\tprimary\t9\n":                 "t.tsv:1: when: no conditions",
		"highway=primary\tstreet\t\t9\n":         "t.tsv:1: kind: empty",
	} {
		_, err := ParseTable([]byte(row), "t.tsv", names, "osm_names.tsv")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", row, err, want)
		}
	}
}
