package osm

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"wumen/geo/osm/osmtest"
)

// readAll reads a file and returns its objects by reference (way/2001).
func readAll(t *testing.T, name string) (map[string]*Object, Stats) {
	t.Helper()
	got := map[string]*Object{}
	rd := &Reader{TempDir: t.TempDir()}
	st, err := rd.ReadFile(context.Background(), name, func(o *Object) error {
		got[o.Ref()] = o
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}

func TestReadFormats(t *testing.T) {
	xmlFile := "testdata/oldcity.osm"
	raw, err := os.ReadFile(xmlFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gz := filepath.Join(dir, "oldcity.osm.gz")
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	os.WriteFile(gz, b.Bytes(), 0o644)
	bz := filepath.Join(dir, "oldcity.osm.bz2")
	if out, err := exec.Command("sh", "-c", "bzip2 -c "+xmlFile+" > "+bz).CombinedOutput(); err != nil {
		t.Fatalf("bzip2: %v %s", err, out)
	}
	for _, name := range []string{xmlFile, gz, bz, osmtest.PBF(t, xmlFile)} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			got, st := readAll(t, name)
			if st.Nodes != 47 || st.Ways != 17 || st.Relations != 2 {
				t.Errorf("stats %+v, want 47 nodes, 17 ways, 2 relations", st)
			}
			checkOldCity(t, got)
		})
	}
}

// checkOldCity checks the geometry of the fixture's objects.
func checkOldCity(t *testing.T, got map[string]*Object) {
	t.Helper()
	street := got["way/2001"]
	if street == nil || street.Tags.Find("name") != "平江路" {
		t.Fatalf("way/2001 = %+v", street)
	}
	if ls, ok := street.Geometry.(orb.LineString); !ok || len(ls) != 4 || ls[0] != (orb.Point{120.62965, 31.3128}) {
		t.Errorf("way/2001 geometry %v", street.Geometry)
	}
	if got["way/2601"] != nil {
		t.Error("an untagged way was handed on")
	}
	if !got["way/2603"].Closed || got["way/2001"].Closed {
		t.Error("closed ways: island should be, street should not")
	}
	lake := got["relation/3001"]
	if lake == nil || lake.Err != nil {
		t.Fatalf("lake: %+v", lake)
	}
	poly, ok := lake.Geometry.(orb.Polygon)
	if !ok || len(poly) != 2 {
		t.Fatalf("lake geometry %T with %d rings, want a polygon with its island as a hole", lake.Geometry, len(poly))
	}
	if poly[0].Orientation() != orb.CCW || poly[1].Orientation() != orb.CW {
		t.Error("rings not oriented as RFC 7946 asks")
	}
	if planar.PolygonContains(poly, orb.Point{120.6905, 31.3172}) {
		t.Error("the island is inside the lake's area")
	}
	if !planar.PolygonContains(poly, orb.Point{120.6954491, 31.3136311}) {
		t.Error("open water outside the lake")
	}
	b := got["relation/3101"]
	if p, ok := b.Geometry.(orb.Polygon); !ok || len(p) != 1 || len(p[0]) != 5 {
		t.Errorf("boundary geometry %v (%v)", b.Geometry, b.Err)
	}
	if n := got["node/901"]; n == nil || n.Geometry != (orb.Point{120.62475, 31.32345}) {
		t.Errorf("garden node %+v", n)
	}
}

func TestReadBrokenRelations(t *testing.T) {
	got, _ := readAll(t, "testdata/broken.osm")
	for ref, want := range map[string]string{
		"relation/900": "relation 900: outer ring of way 10, 11 does not close",
		"relation/901": "relation 901: member way 99 not (completely) in the extract",
	} {
		o := got[ref]
		if o == nil || o.Err == nil || !strings.Contains(o.Err.Error(), want) || o.Geometry != nil {
			t.Errorf("%s: %+v, want error %q", ref, o, want)
		}
		var re *RelationError
		if !errors.As(o.Err, &re) || re.Relation != o.ID {
			t.Errorf("%s: error does not name the relation", ref)
		}
	}
}

func TestReadOverpassGeom(t *testing.T) {
	// Overpass `out geom`: ways and relation members carry their
	// coordinates, there are no node elements.
	doc := map[string]any{"version": 0.6, "generator": "Overpass API", "osm3s": map[string]any{},
		"elements": []any{
			map[string]any{"type": "way", "id": 5, "nodes": []int{1, 2, 3},
				"geometry": []any{map[string]float64{"lat": 31.3, "lon": 120.6}, map[string]float64{"lat": 31.31, "lon": 120.6}, map[string]float64{"lat": 31.32, "lon": 120.61}},
				"tags":     map[string]string{"highway": "residential", "name": "甲巷"}},
			map[string]any{"type": "relation", "id": 7, "tags": map[string]string{"type": "multipolygon", "natural": "water", "name": "乙湖"},
				"members": []any{map[string]any{"type": "way", "ref": 8, "role": "outer", "geometry": []any{
					map[string]float64{"lat": 31.0, "lon": 120.0}, map[string]float64{"lat": 31.0, "lon": 120.1},
					map[string]float64{"lat": 31.1, "lon": 120.1}, map[string]float64{"lat": 31.0, "lon": 120.0}}}}},
		}}
	b, _ := json.Marshal(doc)
	name := filepath.Join(t.TempDir(), "export.json")
	os.WriteFile(name, b, 0o644)
	if f, ok := Sniff(name); !ok || f != Overpass {
		t.Fatalf("Sniff = %v %v", f, ok)
	}
	got, _ := readAll(t, name)
	if ls, ok := got["way/5"].Geometry.(orb.LineString); !ok || len(ls) != 3 || ls[2] != (orb.Point{120.61, 31.32}) {
		t.Errorf("way/5 = %v", got["way/5"].Geometry)
	}
	if p, ok := got["relation/7"].Geometry.(orb.Polygon); !ok || len(p[0]) != 4 {
		t.Errorf("relation/7 = %v %v", got["relation/7"].Geometry, got["relation/7"].Err)
	}
	geo := filepath.Join(t.TempDir(), "places.json")
	os.WriteFile(geo, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	if _, ok := Sniff(geo); ok {
		t.Error("GeoJSON taken for Overpass")
	}
}

func TestReadErrors(t *testing.T) {
	name := filepath.Join(t.TempDir(), "bad.osm")
	os.WriteFile(name, []byte("<osm>\n<node id=\"1\" lat=\"31\" lon=\"120\">\n</osm>"), 0o644)
	_, err := (&Reader{}).ReadFile(context.Background(), name, func(*Object) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "bad.osm: line 3") {
		t.Errorf("err = %v, want the file and line", err)
	}
	unsorted := filepath.Join(t.TempDir(), "unsorted.osm")
	os.WriteFile(unsorted, []byte(`<osm><node id="1" lat="31" lon="120"/><way id="1"><nd ref="1"/></way><node id="2" lat="31" lon="120"/></osm>`), 0o644)
	_, err = (&Reader{}).ReadFile(context.Background(), unsorted, func(*Object) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "osmium sort") {
		t.Errorf("err = %v, want the advice to sort", err)
	}
}
