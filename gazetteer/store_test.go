package gazetteer_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
	"wumen/geo"
)

const fixture = storetest.Fixture

func openTemp(t *testing.T) *gazetteer.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func load(t *testing.T, s *gazetteer.Store, jsonl string) *gazetteer.Report {
	return storetest.Load(t, s, jsonl)
}

func TestGeoJSONAndCSVRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	load(t, a, fixture)
	var gj, csvb bytes.Buffer
	a.WriteGeoJSON(ctx, &gj, gazetteer.ExportOptions{}, false)
	a.WriteCSV(ctx, &csvb, gazetteer.ExportOptions{BOM: true})
	in, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "x.geojson", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 5 || in[1].Place.Name != "盘门" || in[1].Place.Geometry.(orb.Point) != (orb.Point{120.6119542, 31.2895554}) {
		t.Fatalf("geojson read back: %+v", in[1].Place)
	}
	if len(in[3].Place.Names) != 1 || in[3].Place.Names[0].Text != "平江府" {
		t.Errorf("geojson lost the historical name")
	}
	rows, err := gazetteer.ReadCSV(bytes.NewReader(csvb.Bytes()), "x.csv", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0].Place.Name != "北寺塔" || rows[0].Place.Geometry.(orb.Point) != (orb.Point{120.6154018, 31.3245428}) {
		t.Fatalf("csv read back: %+v", rows[0].Place)
	}
}

func TestImportGCJ02ConvertsAtTheEdge(t *testing.T) {
	// The published test vector (docs/domain.md §7): WGS84 31.1774276,121.5272106 is
	// GCJ-02 31.17530398364597,121.531541859215.
	csv := "name,class,lon,lat,coord_method,accuracy_m\n测试点,非行政区域,121.531541859215,31.17530398364597,digitized,10\n"
	in, err := gazetteer.ReadCSV(strings.NewReader(csv), "gcj.csv", geo.GCJ02)
	if err != nil {
		t.Fatal(err)
	}
	p := in[0].Place.Geometry.(orb.Point)
	if d := abs(p.Lon()-121.5272106) + abs(p.Lat()-31.1774276); d > 2e-7 {
		t.Errorf("converted to %v", p)
	}
	bad := "name,class,lon,lat\n测试点,非行政区域,NaN,31\n"
	if _, err := gazetteer.ReadCSV(strings.NewReader(bad), "nan.csv", geo.WGS84); err == nil || !strings.Contains(err.Error(), "nan.csv:2: lon") {
		t.Errorf("NaN: %v", err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestNonWGS84ExportsComeBackToWGS84(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	load(t, a, fixture)
	want := orb.Point{120.6154018, 31.3245428} // 北寺塔, id 1
	near := func(p orb.Point) bool { return abs(p[0]-want[0]) < 1e-7 && abs(p[1]-want[1]) < 1e-7 }

	var gj bytes.Buffer
	a.WriteGeoJSON(ctx, &gj, gazetteer.ExportOptions{CRS: geo.GCJ02, Filter: gazetteer.Filter{IDs: []int64{1}}}, false)
	in, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "gcj.geojson", 0) // no --crs: the file's declaration wins
	if err != nil || !near(in[0].Place.Geometry.(orb.Point)) {
		t.Fatalf("GeoJSON in GCJ-02 read back: %v %v", in, err)
	}
	if _, err := gazetteer.ReadGeoJSON(bytes.NewReader(gj.Bytes()), "gcj.geojson", geo.BD09); err == nil || !strings.Contains(err.Error(), "wumen_crs") {
		t.Errorf("a contradicting --crs must be refused: %v", err)
	}

	var jl bytes.Buffer
	a.WriteJSONL(ctx, &jl, gazetteer.ExportOptions{CRS: geo.BD09, Filter: gazetteer.Filter{IDs: []int64{1}}})
	if !bytes.Contains(jl.Bytes(), []byte(`"wumen_crs":"bd09"`)) {
		t.Fatalf("the BD-09 export does not name its CRS: %s", jl.Bytes())
	}
	recs, err := gazetteer.ReadJSONL(bytes.NewReader(jl.Bytes()), "bd.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !near(recs[0].Place.Geometry.(orb.Point)) || recs[0].Place.Label != nil {
		t.Errorf("BD-09 JSON Lines converted to %v (label %v)", recs[0].Place.Geometry, recs[0].Place.Label)
	}
	if _, err := gazetteer.ReadJSONLIn(bytes.NewReader(jl.Bytes()), "bd.jsonl", geo.GCJ02); err == nil || !strings.Contains(err.Error(), "bd.jsonl:1: wumen_crs") {
		t.Errorf("a BD-09 file read with --crs gcj02 must be refused, naming the line: %v", err)
	}

	// GeoJSON text sequences (RFC 8142) name the CRS on every feature.
	var seq bytes.Buffer
	a.WriteGeoJSON(ctx, &seq, gazetteer.ExportOptions{CRS: geo.GCJ02, Seq: true, Filter: gazetteer.Filter{IDs: []int64{1}}}, true)
	if !bytes.HasPrefix(seq.Bytes(), []byte("\x1e{")) || !bytes.HasSuffix(seq.Bytes(), []byte("}\n")) {
		t.Errorf("not an RFC 8142 sequence: %q", seq.Bytes())
	}
	in, err = gazetteer.ReadGeoJSONSeq(bytes.NewReader(seq.Bytes()), "gcj.geojsons", gazetteer.GeoJSONOptions{})
	if err != nil || !near(in[0].Place.Geometry.(orb.Point)) {
		t.Errorf("GeoJSON sequence in GCJ-02 read back: %v %v", in, err)
	}
}
