package kml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/geo/gdaltest"
	"wumen/geo/internal/fixture"
)

const trickyDescription = `七里山塘 <b>"Seven-li"</b> & 'Shantang' ]]> done`

// writeSample writes the OSM points to a "places" folder and the test
// shapes to "streets" and "areas".
func writeSample(t testing.TB, out io.Writer) int {
	t.Helper()
	w, err := NewWriter(out, "苏州 Wumen test")
	if err != nil {
		t.Fatal(err)
	}
	w.StartFolder("places")
	places := fixture.Places()
	for i, f := range places {
		p := f.Properties
		err := w.Write(Placemark{
			ID:          fmt.Sprintf("p%d", i),
			Name:        p["name"].(string),
			Description: "OSM " + p["osm_id"].(string),
			Data:        []Data{{"osm_id", p["osm_id"].(string)}, {"category", p["category"].(string)}, {"region", p["region"].(string)}},
			Geometry:    f.Geometry,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	w.EndFolder()
	w.StartFolder("streets")
	w.Write(Placemark{Name: "山塘街", Description: trickyDescription, Data: []Data{{"osm_id", "node/5151296022"}}, Geometry: fixture.ShantangLine})
	w.EndFolder()
	w.StartFolder("areas")
	w.Write(Placemark{Name: "测试多边形", Data: []Data{{"osm_id", "none"}}, Geometry: fixture.TestPolygon})
	w.Write(Placemark{Name: "multi", Data: []Data{{"osm_id", "none"}}, Geometry: orb.MultiPolygon{fixture.TestPolygon}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return len(places)
}

func TestOgrinfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "suzhou.kml")
	var buf bytes.Buffer
	n := writeSample(t, &buf)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	summary, stderr := gdaltest.Ogrinfo(t, "-ro", "-al", "-so", path)
	if stderr != "" {
		t.Errorf("ogrinfo warned:\n%s", stderr)
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^Layer name: (\S+)\n(?:.*\n)*?Feature Count: (\d+)`).FindAllStringSubmatch(summary, -1) {
		got[m[1]] = m[2]
	}
	want := map[string]string{"places": strconv.Itoa(n), "streets": "1", "areas": "2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("layers = %v, want %v\n%s", got, want, summary)
	}
	if c := strings.Count(summary, `ID["EPSG",4326]`); c != 3 {
		t.Errorf("EPSG:4326 reported for %d layers, want 3:\n%s", c, summary)
	}
	full, _ := gdaltest.Ogrinfo(t, "-ro", "-al", path)
	for _, s := range []string{
		"Name (String) = 山塘街",
		"description (String) = " + trickyDescription,
		"osm_id (String) = node/5151296022",
		"LINESTRING (120.59745 31.3201022,120.5979444 31.3194228,120.599114 31.3186816)",
		"POLYGON ((120.6154018 31.3245428,120.623497 31.3254217,120.6246145 31.3259875,120.6154018 31.3245428))",
		"MULTIPOLYGON (((120.6154018 31.3245428",
	} {
		if !strings.Contains(full, s) {
			t.Errorf("ogrinfo output lacks %q", s)
		}
	}
	// 北寺塔 back within 1e-7°.
	i := strings.Index(full, "= 北寺塔")
	if i < 0 {
		t.Fatal("北寺塔 missing")
	}
	m := regexp.MustCompile(`POINT \(([\d.]+) ([\d.]+)`).FindStringSubmatch(full[i:])
	lon, _ := strconv.ParseFloat(m[1], 64)
	lat, _ := strconv.ParseFloat(m[2], 64)
	if d := max(lon-fixture.Beisita[0], fixture.Beisita[0]-lon, lat-fixture.Beisita[1], fixture.Beisita[1]-lat); d > 1e-7 {
		t.Errorf("北寺塔 off by %g°", d)
	}
}

// TestXMLWellFormed parses the output back with encoding/xml and checks the
// description survives escaping exactly.
func TestXMLWellFormed(t *testing.T) {
	var buf bytes.Buffer
	writeSample(t, &buf)
	var doc struct {
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name        string `xml:"name"`
				Description string `xml:"description"`
				Data        []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value"`
				} `xml:"ExtendedData>Data"`
			} `xml:"Placemark"`
		} `xml:"Document>Folder"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Folders) != 3 {
		t.Fatalf("%d folders", len(doc.Folders))
	}
	pm := doc.Folders[1].Placemarks[0]
	if pm.Name != "山塘街" || pm.Description != trickyDescription || pm.Data[0].Value != "node/5151296022" {
		t.Errorf("round trip: %+v", pm)
	}
}

func TestGeometryErrors(t *testing.T) {
	tests := []struct {
		g    orb.Geometry
		want string
	}{
		{orb.LineString{{120.6, 31.3}}, "LineString with 1 points"},
		{orb.Polygon{}, "Polygon without rings"},
		{orb.Polygon{{{120.6, 31.3}, {120.7, 31.3}}}, "ring 0 with 2 points"},
		{orb.Bound{}, "unsupported geometry"},
	}
	for _, tt := range tests {
		w, _ := NewWriter(io.Discard, "x")
		err := w.Write(Placemark{Name: "bad", Geometry: tt.g})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "placemark 1 (bad)") {
			t.Errorf("%T: got %v, want %q", tt.g, err, tt.want)
		}
	}
	w, _ := NewWriter(io.Discard, "x")
	if err := w.EndFolder(); err == nil {
		t.Error("EndFolder without StartFolder succeeded")
	}
}

func TestUnclosedRingIsClosed(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "x")
	w.Write(Placemark{Geometry: orb.Polygon{{{120.6, 31.3}, {120.7, 31.3}, {120.7, 31.4}}}})
	w.Close()
	if !strings.Contains(buf.String(), "120.6,31.3 120.7,31.3 120.7,31.4 120.6,31.3<") {
		t.Errorf("ring not closed:\n%s", buf.String())
	}
}

func BenchmarkKMLWrite(b *testing.B) {
	places := fixture.Places()
	const n = 100_000
	for b.Loop() {
		w, _ := NewWriter(io.Discard, "bench")
		for i := range n {
			f := places[i%len(places)]
			w.Write(Placemark{Name: f.Properties["name"].(string), Data: []Data{{"osm_id", f.Properties["osm_id"].(string)}}, Geometry: f.Geometry})
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(n, "features/op")
}
