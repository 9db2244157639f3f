package lpf

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/geo/gdaltest"
	"wumen/geo/internal/fixture"
)

// shantang is 山塘街 as OSM records it (node/5151296022, ODbL); the time
// span is the date of the OSM extract the fixture comes from.
func shantang() Feature {
	osm := []Citation{{Label: "OpenStreetMap node/5151296022", ID: "https://www.openstreetmap.org/node/5151296022"}}
	seen := &When{Timespans: []Timespan{{Start: Time{In: "2026-07-24"}}}}
	return Feature{
		ID:         "https://wumen.example/place/shantangjie",
		Properties: Properties{Title: "山塘街", CCodes: []string{"CN"}},
		Names: []Name{
			{Toponym: "山塘街", Lang: "zh", Citations: osm, When: seen},
			{Toponym: "七里山塘", Lang: "zh", Citations: osm},
		},
		Types:     []Type{{Label: "古镇、古村与历史街区"}},
		Geometry:  geojson.NewGeometry(orb.Point{120.59745, 31.3201022}),
		Links:     []Link{{Type: CloseMatch, Identifier: "osm:node/5151296022"}},
		Relations: []Relation{{RelationType: "gvp:broaderPartitive", RelationTo: "https://wumen.example/place/gusu", Label: "姑苏区"}},
		When:      seen,
	}
}

func writeSample(t *testing.T) ([]byte, []Feature) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var want []Feature
	for i, f := range fixture.Places()[:20] {
		lf := Feature{
			ID:         "https://www.openstreetmap.org/" + f.Properties["osm_id"].(string),
			Type:       "Feature",
			Properties: Properties{Title: f.Properties["name"].(string)},
			Names:      []Name{{Toponym: f.Properties["name"].(string), Lang: "zh"}},
			Geometry:   geojson.NewGeometry(f.Geometry),
		}
		if i == 0 {
			lf = shantang()
			lf.Type = "Feature"
		}
		if err := w.Write(lf); err != nil {
			t.Fatal(err)
		}
		want = append(want, lf)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), want
}

func TestWriteReadRoundTrip(t *testing.T) {
	data, want := writeSample(t)
	var got []Feature
	if err := Read(bytes.NewReader(data), func(f Feature) error { got = append(got, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d features, want %d", len(got), len(want))
	}
	for i := range want {
		wb, _ := json.Marshal(want[i])
		gb, _ := json.Marshal(got[i])
		if !bytes.Equal(wb, gb) {
			t.Errorf("feature %d:\n got %s\nwant %s", i, gb, wb)
		}
	}
	if !reflect.DeepEqual(got[0].Names[0].When, want[0].Names[0].When) {
		t.Errorf("when lost: %+v", got[0].Names[0].When)
	}
}

// TestJSONShape checks the member names LPF defines, on the raw JSON.
func TestJSONShape(t *testing.T) {
	data, _ := writeSample(t)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["@context"] != Context || doc["type"] != "FeatureCollection" {
		t.Errorf("collection header %v %v", doc["@context"], doc["type"])
	}
	f := doc["features"].([]any)[0].(map[string]any)
	get := func(path ...any) any {
		var v any = f
		for _, p := range path {
			switch k := p.(type) {
			case string:
				v = v.(map[string]any)[k]
			case int:
				v = v.([]any)[k]
			}
		}
		return v
	}
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"@id"}, "https://wumen.example/place/shantangjie"},
		{[]any{"properties", "title"}, "山塘街"},
		{[]any{"names", 0, "toponym"}, "山塘街"},
		{[]any{"names", 0, "citations", 0, "@id"}, "https://www.openstreetmap.org/node/5151296022"},
		{[]any{"names", 0, "when", "timespans", 0, "start", "in"}, "2026-07-24"},
		{[]any{"links", 0, "type"}, "closeMatch"},
		{[]any{"geometry", "type"}, "Point"},
		{[]any{"geometry", "coordinates", 0}, 120.59745},
		{[]any{"relations", 0, "relationType"}, "gvp:broaderPartitive"},
	}
	for _, c := range checks {
		if got := get(c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestOgrinfo: LPF is GeoJSON, so GDAL's GeoJSON driver must read it.
func TestOgrinfo(t *testing.T) {
	data, _ := writeSample(t)
	path := filepath.Join(t.TempDir(), "suzhou.lpf.json")
	os.WriteFile(path, data, 0o644)
	out, stderr := gdaltest.Ogrinfo(t, "-ro", "-al", path)
	if stderr != "" {
		t.Errorf("ogrinfo warned: %s", stderr)
	}
	if !strings.Contains(out, "Feature Count: 20") {
		t.Errorf("feature count wrong:\n%.2000s", out)
	}
	if !strings.Contains(out, "title (String) = 山塘街") || !strings.Contains(out, "POINT (120.59745 31.3201022)") {
		t.Errorf("ogrinfo output lacks 山塘街:\n%.2000s", out)
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		mod  func(*Feature)
		want string
	}{
		{func(f *Feature) { f.ID = "" }, "missing @id"},
		{func(f *Feature) { f.Properties.Title = "" }, "missing properties.title"},
		{func(f *Feature) { f.Names = nil }, "no names"},
		{func(f *Feature) { f.Names[1].Toponym = "" }, "names[1]: empty toponym"},
		{func(f *Feature) { f.Links[0].Type = "sameAs" }, `links[0]: type "sameAs"`},
	}
	for _, tt := range tests {
		f := shantang()
		tt.mod(&f)
		w, _ := NewWriter(&bytes.Buffer{})
		if err := w.Write(f); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "feature 0") {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[]`, `expected "{"`},
		{`{"type":"Feature"}`, "want FeatureCollection"},
		{`{"type":"FeatureCollection"}`, "no features"},
		{`{"type":"FeatureCollection","features":[{"@id":"a","properties":{"title":"t"},"names":[{"toponym":"t"}]},{"@id":"b","properties":{"title":""}}]}`, "feature 1 (b): missing properties.title"},
		{`{"type":"FeatureCollection","features":[{"@id":1}]}`, "feature 0"},
	}
	for _, tt := range tests {
		err := Read(strings.NewReader(tt.in), func(Feature) error { return nil })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Read(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestTSV(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewTSVWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	lon, lat := 120.59745, 31.3201022
	err = w.Write(TSVRow{
		ID: "shantangjie", Title: "山塘街", TitleSource: "OpenStreetMap node/5151296022", Start: "2026",
		CCodes: []string{"CN"}, Matches: []string{"osm:node/5151296022"}, Variants: []string{"七里山塘@zh", "Shantang Jie@zh-Latn-pinyin"},
		Types: []string{"street"}, ParentName: "姑苏区", Lon: &lon, Lat: &lat, GeoSource: "OpenStreetMap",
		Description: "tab\there",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	r := csv.NewReader(&buf)
	r.Comma = '\t'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], TSVHeader) || len(TSVHeader) != 19 {
		t.Errorf("header %v", rows[0])
	}
	row := map[string]string{}
	for i, h := range TSVHeader {
		row[h] = rows[1][i]
	}
	want := map[string]string{"title": "山塘街", "variants": "七里山塘@zh;Shantang Jie@zh-Latn-pinyin", "lon": "120.59745", "lat": "31.3201022", "description": "tab\there", "end": ""}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
	for _, bad := range []struct {
		r    TSVRow
		want string
	}{
		{TSVRow{Title: "t", TitleSource: "s", Start: "2026"}, "id is required"},
		{TSVRow{ID: "x", Title: "t", TitleSource: "s", Start: "2026", Lon: &lon}, "lon and lat"},
		{TSVRow{ID: "x", Title: "t", TitleSource: "s", Start: "2026", Types: []string{"a;b"}}, "types value"},
	} {
		if err := w.Write(bad.r); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Write(%+v) = %v, want %q", bad.r, err, bad.want)
		}
	}
}

func BenchmarkLPFWrite(b *testing.B) {
	places := fixture.Places()
	const n = 100_000
	for b.Loop() {
		w, _ := NewWriter(&bytes.Buffer{})
		for i := range n {
			f := places[i%len(places)]
			name := f.Properties["name"].(string)
			if err := w.Write(Feature{ID: f.Properties["osm_id"].(string), Properties: Properties{Title: name},
				Names: []Name{{Toponym: name, Lang: "zh"}}, Geometry: geojson.NewGeometry(f.Geometry)}); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
	}
	b.ReportMetric(n, "features/op")
}
