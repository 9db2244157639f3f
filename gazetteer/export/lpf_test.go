package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/geo"
)

func TestLPF(t *testing.T) {
	s := testStore(t)
	var buf bytes.Buffer
	n, err := WriteLPF(context.Background(), s, &buf, Options{BaseURI: "https://example.org/place/"})
	if err != nil || n != 7 {
		t.Fatalf("WriteLPF = %d, %v", n, err)
	}
	var fc struct {
		Type        string `json:"type"`
		Context     string `json:"@context"`
		Attribution string `json:"attribution"`
		CRS         string `json:"crs"`
		Features    []struct {
			ID    string `json:"@id"`
			Names []struct {
				Toponym   string `json:"toponym"`
				Lang      string `json:"lang"`
				Citations []struct {
					Label string `json:"label"`
				} `json:"citations"`
				When *struct {
					Timespans []struct {
						Start map[string]string `json:"start"`
						End   map[string]string `json:"end"`
					} `json:"timespans"`
				} `json:"when"`
			} `json:"names"`
			Types []struct {
				Identifier string `json:"identifier"`
				Label      string `json:"label"`
			} `json:"types"`
			Links []struct {
				Type       string `json:"type"`
				Identifier string `json:"identifier"`
			} `json:"links"`
			Relations []struct {
				RelationType string `json:"relationType"`
				RelationTo   string `json:"relationTo"`
				Label        string `json:"label"`
			} `json:"relations"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if fc.Type != "FeatureCollection" || !strings.Contains(fc.Attribution, "OpenStreetMap contributors") || !strings.Contains(fc.CRS, "EPSG:4326") || fc.Context == "" {
		t.Errorf("collection head: %q %q %q %q", fc.Type, fc.Attribution, fc.CRS, fc.Context)
	}
	city := fc.Features[0]
	if city.ID != "https://example.org/place/1" {
		t.Errorf("@id %q", city.ID)
	}
	var pj bool
	for _, nm := range city.Names {
		if nm.Toponym == "平江府" {
			pj = true
			if nm.When == nil || nm.When.Timespans[0].Start["in"] != "1113" || nm.When.Timespans[0].End["in"] != "1367" || nm.Citations[0].Label != "宋史·地理志" {
				t.Errorf("平江府: %+v", nm)
			}
		}
	}
	if !pj {
		t.Error("苏州市 lacks its historical name 平江府")
	}
	links := map[string]bool{}
	for _, l := range city.Links {
		links[l.Type+" "+l.Identifier] = true
	}
	if !links["closeMatch gn:1886760"] || !links["closeMatch wd:Q42622"] {
		t.Errorf("苏州市 links %v", city.Links)
	}
	pagoda := fc.Features[2]
	if pagoda.Names[2].Toponym != "报恩寺塔" || pagoda.Names[2].When.Timespans[0].Start["earliest"] != "1127" || pagoda.Names[2].When.Timespans[0].Start["latest"] != "1279" {
		t.Errorf("报恩寺塔 (南宋) when: %+v", pagoda.Names[2])
	}
	// Its admin parents (苏州市 320500, 姑苏区 320508) as broaderPartitive
	// relations to the units, then its own part_of.
	if r := pagoda.Relations; len(r) != 3 || r[0].RelationTo != "https://example.org/place/1" || r[0].Label != "administrative unit 苏州市 (320500)" ||
		r[1].RelationType != "gvp:broaderPartitive" || r[1].RelationTo != "https://example.org/place/2" ||
		r[2].RelationType != "gvp:broaderPartitive" || r[2].RelationTo != "https://example.org/place/2" || r[2].Label != "part of 姑苏区" {
		t.Errorf("北寺塔 relations %+v", r)
	}
	if ty := fc.Features[6].Types[0]; ty.Identifier != "aat:300008347" {
		t.Errorf("周庄 type %+v", ty)
	}
	if l := pagoda.Links; len(l) != 1 || l[0].Identifier != "https://www.openstreetmap.org/way/206076447" {
		t.Errorf("北寺塔 links %+v", l)
	}

	// GDAL reads LPF as GeoJSON.
	file := filepath.Join(t.TempDir(), "places.jsonld")
	os.WriteFile(file, buf.Bytes(), 0o644)
	fs := gdalFeatures(t, file)
	if len(fs) != 7 {
		t.Fatalf("GDAL reads %d features", len(fs))
	}
	if got := fs[2].point(t); !near(got, Beisita, 1e-7) {
		t.Errorf("北寺塔 at %v", got)
	}

	// And it reads back.
	in, err := ReadLPF(bytes.NewReader(buf.Bytes()), "places.jsonld", geo.WGS84)
	if err != nil {
		t.Fatal(err)
	}
	dst := emptyStore(t)
	if _, err := dst.PutAll(context.Background(), in, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := dst.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.Get(context.Background(), 1)
	if got.Name != "苏州市" || got.Category != want.Category || got.Links != want.Links || len(got.Names) != 3 ||
		got.Names[1].Text != "平江府" || got.Names[1].Start != "1113" || got.Names[1].End != "1367" || got.Names[1].Citation != "宋史·地理志" {
		t.Errorf("苏州市 read back as %+v", got)
	}
	if !sameGeometry(got.Geometry, want.Geometry, 1e-7) {
		t.Errorf("苏州市 at %v, want %v", got.Geometry, want.Geometry)
	}
	pg, _ := dst.Get(context.Background(), 3)
	if len(pg.Rel) != 1 || pg.Rel[0] != (gazetteer.Relation{Type: gazetteer.RelPartOf, Target: 2}) {
		t.Errorf("北寺塔 relations read back as %+v", pg.Rel)
	}
	wpg, _ := s.Get(context.Background(), 3)
	if !slices.Equal(pg.Admin, wpg.Admin) || len(pg.Admin) != 2 || pg.License != wpg.License || pg.License == "" {
		t.Errorf("北寺塔 admin %v licence %q read back, want %v %q", pg.Admin, pg.License, wpg.Admin, wpg.License)
	}
}

func TestLPTSV(t *testing.T) {
	s := testStore(t)
	var buf bytes.Buffer
	if _, err := WriteLPTSV(context.Background(), s, &buf, Options{}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.Comma = '\t'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 || rows[0][0] != "id" || rows[0][3] != "start" {
		t.Fatalf("LP-TSV rows %v", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	city := rows[1]
	if city[col["title"]] != "苏州市" || city[col["start"]] != "1113" || !strings.Contains(city[col["variants"]], "平江府@zh-Hans") ||
		!strings.Contains(city[col["matches"]], "gn:1886760") || city[col["lon"]] != "120.59538" {
		t.Errorf("苏州市 row %v", city)
	}
	pagoda := rows[3]
	if pagoda[col["parent_name"]] != "姑苏区" || pagoda[col["start"]] != "1127" {
		t.Errorf("北寺塔 row %v", pagoda)
	}
	line := rows[4]
	if !strings.HasPrefix(line[col["geowkt"]], "LINESTRING(120.59745 31.3201022") {
		t.Errorf("山塘街 geowkt %q", line[col["geowkt"]])
	}
}
