package ogc

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/storetest"
	"wumen/geo/gdaltest"
)

func testServer(t *testing.T) (*httptest.Server, *gazetteer.Store) {
	t.Helper()
	s := storetest.Open(t)
	in := storetest.Records(t, "testdata/places.jsonl")
	// 苏州府 (1367–1912), the prefecture before the city: a historical
	// place whose name is dated, for datetime queries.
	in = append(in, gazetteer.Input{Place: &gazetteer.Place{ID: 8, Name: "苏州府", Joined: true, Category: gazetteer.Category{Class: "行政区域"},
		Status: gazetteer.StatusHistorical, Names: []gazetteer.Name{{Text: "苏州府", Kind: gazetteer.KindHistorical, Start: "1367", End: "1912", Citation: "明史·地理志"}},
		Rel: []gazetteer.Relation{{Type: gazetteer.RelSuccessorOf, Target: 1}}}})
	ctx := context.Background()
	storetest.Put(t, s, in)
	if err := s.PutWalks(ctx, []gazetteer.Walk{{ID: "shantang", Title: "七里山塘到北寺塔", Stops: []gazetteer.Stop{{Place: 4}, {Place: 3}, {Place: 5}}}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(s, Options{Logf: t.Logf}))
	t.Cleanup(srv.Close)
	return srv, s
}

func gdal(t *testing.T, tool string, args ...string) string {
	return gdaltest.Quiet(t, tool, args...)
}

func TestGDALReadsService(t *testing.T) {
	srv, _ := testServer(t)
	src := "OAPIF:" + srv.URL + "/ogc"
	list := gdal(t, "ogrinfo", "-ro", src)
	for _, l := range []string{"places", "admin", "memorials_scenic", "transport", "settlements", "buildings", "walks"} {
		if !regexp.MustCompile(`(?m)^\d+: ` + l + `\b`).MatchString(list) {
			t.Errorf("ogrinfo lists no layer %s:\n%s", l, list)
		}
	}
	info := gdal(t, "ogrinfo", "-ro", "-so", src, "places")
	if !strings.Contains(info, "Feature Count: 8") {
		t.Errorf("places feature count:\n%s", info)
	}
	out := gdal(t, "ogr2ogr", "-f", "GeoJSON", "/vsistdout/", src, "memorials_scenic")
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(fc.Features) != 2 || fc.Features[0].Properties["name"] != "北寺塔" || fc.Features[0].Properties["pinyin"] != "Běisì Tǎ" {
		t.Fatalf("memorials_scenic via GDAL: %s", out)
	}
	if c := string(fc.Features[0].Geometry.Coordinates); c != "[ 120.6154018, 31.3245428 ]" && c != "[120.6154018,31.3245428]" {
		t.Errorf("北寺塔 coordinates %s", c)
	}
	// Paging: GDAL follows next links across pages of 3.
	all := gdal(t, "ogr2ogr", "-f", "GeoJSON", "-oo", "PAGE_SIZE=3", "/vsistdout/", src, "places")
	if n := strings.Count(all, `"type": "Feature"`); n != 8 {
		t.Errorf("GDAL paged through %d features, want 8", n)
	}
	// A CQL2 filter (Part 3) in the collection URL: GDAL 3.6 sends no
	// filter of its own (it evaluates -where itself and has no CRS option,
	// both added in later versions) but passes the URL's parameters on to
	// every page it asks for.
	cql := url.Values{"filter": {"category = '纪念地旅游景点' AND admin = '320508'"}}
	filtered := gdal(t, "ogr2ogr", "-f", "GeoJSON", "-oo", "PAGE_SIZE=1", "/vsistdout/", src+"/collections/places?"+cql.Encode())
	if n := strings.Count(filtered, `"type": "Feature"`); n != 2 || !strings.Contains(filtered, "北寺塔") || !strings.Contains(filtered, "拙政园") {
		t.Errorf("GDAL with a CQL2 filter read %d features:\n%s", n, filtered)
	}
	walks := gdal(t, "ogr2ogr", "-f", "GeoJSON", "/vsistdout/", src, "walks")
	if !strings.Contains(walks, "LineString") || !strings.Contains(walks, "七里山塘到北寺塔") {
		t.Errorf("walks via GDAL: %s", walks)
	}
}

func get(t *testing.T, url string, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestEndpoints(t *testing.T) {
	srv, _ := testServer(t)
	for _, tc := range []struct {
		path, accept, ctype string
		status              int
		contains            string
	}{
		{"/ogc", "", TypeJSON, 200, `"rel":"service-desc"`},
		{"/ogc", "text/html,application/xhtml+xml", "text/html", 200, "<h1>Wumen"},
		{"/ogc/conformance", "", TypeJSON, 200, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"},
		{"/ogc/api", "", TypeOpenAPI, 200, `"openapi":"3.0.3"`},
		{"/ogc/collections", "", TypeJSON, 200, `"id":"walks"`},
		{"/ogc/collections/transport", "", TypeJSON, 200, `"bbox":[[120.5974`},
		{"/ogc/collections/places/items?limit=2", "", TypeGeoJSON, 200, `"numberMatched":8,"numberReturned":2`},
		{"/ogc/collections/places/items?limit=2&offset=2", "", TypeGeoJSON, 200, `"rel":"prev"`},
		{"/ogc/collections/places/items?limit=5000", "", TypeGeoJSON, 200, `"numberReturned":8`},
		{"/ogc/collections/places/items?f=html", "", "text/html", 200, "<td><a href=\"items/3?f=html\">3</a></td>"},
		{"/ogc/collections/places/items?name=平江府", "", TypeGeoJSON, 200, `"numberMatched":1`},
		{"/ogc/collections/places/items?name=Shāntáng%20Jiē", "", TypeGeoJSON, 200, `"name":"山塘街"`},
		{"/ogc/collections/places/items?datetime=1500-06-01T00:00:00Z", "", TypeGeoJSON, 200, `"name":"苏州府"`},
		{"/ogc/collections/places/items?datetime=明", "", TypeGeoJSON, 200, `"name":"苏州府"`},
		{"/ogc/collections/places/items?datetime=2020-01-01&limit=100", "", TypeGeoJSON, 200, `"numberMatched":7`},
		{"/ogc/collections/places/items?bbox=120.6,31.3,120.63,31.33", "", TypeGeoJSON, 200, `"numberMatched":2`},
		{"/ogc/collections/places/items?category=亭台碑塔", "", TypeGeoJSON, 200, `"numberMatched":1`},
		{"/ogc/collections/admin/items?status=historical", "", TypeGeoJSON, 200, `"numberMatched":1`},
		{"/ogc/collections/places/items?admin=320583", "", TypeGeoJSON, 200, `"name":"周庄"`},
		{"/ogc/collections/memorials_scenic/items/3", "", TypeGeoJSON, 200, `"name":"北寺塔"`},
		{"/ogc/collections/walks/items/shantang", "", TypeGeoJSON, 200, `"stops":"山塘街 · 北寺塔 · 拙政园"`},
		{"/ogc/collections/transport/items/3", "", TypeJSON, 404, `"code":"not_found"`},
		{"/ogc/collections/nope", "", TypeJSON, 404, `"code":"not_found"`},
		{"/ogc/collections/places/items?foo=1", "", TypeJSON, 400, `"code":"invalid"`},
		{"/ogc/collections/places/items?bbox=1,2,3", "", TypeJSON, 400, "bbox"},
		{"/ogc/collections/places/items?limit=0", "", TypeJSON, 400, "limit"},
		{"/ogc/collections/places/items?datetime=someday", "", TypeJSON, 400, "datetime"},
		{"/api/v1/export?format=geojson&category=交通运输设施", "", "application/geo+json", 200, `"name":"山塘街"`},
		{"/api/v1/export?format=csv&bom=1&ids=3", "", "text/csv; charset=utf-8", 200, "\uFEFFid,name"},
		{"/api/v1/export?format=kml&heritage=*", "", "application/vnd.google-earth.kml+xml", 200, "<name>山塘街</name>"},
		{"/api/v1/export?format=lpf&ids=3", "", "application/ld+json", 200, `"relationTo":"` + srv.URL + `/api/v1/places/2"`},
		{"/api/v1/export?format=geojsonl&status=historical", "", "application/x-ndjson", 200, `"name":"苏州府"`},
		{"/api/v1/export?format=geojsonseq&status=historical", "", "application/geo+json-seq", 200, "\x1e{"},
		{"/api/v1/export?format=shp", "", TypeJSON, 400, `"code":"invalid"`},
		{"/api/v1/export?format=pmtiles&ids=2", "", TypeJSON, 400, "nothing to tile"},
	} {
		res, body := get(t, srv.URL+tc.path, tc.accept)
		if res.StatusCode != tc.status || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: %d %s, want %d %s containing %s\n%.800s", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.status, tc.ctype, tc.contains, body)
		}
	}
	// Paging links carry the filters and the next offset.
	_, body := get(t, srv.URL+"/ogc/collections/places/items?limit=3&status=current", "")
	var fc FeatureCollection
	json.Unmarshal(body, &fc)
	var next string
	for _, l := range fc.Links {
		if l.Rel == "next" {
			next = l.Href
		}
	}
	if !strings.Contains(next, "offset=3") || !strings.Contains(next, "status=current") || fc.TimeStamp == "" {
		t.Errorf("next link %q, timeStamp %q", next, fc.TimeStamp)
	}
}

// TestExportSaysWhatItLost: an LP-TSV download names the fields it lost in
// a header a browser's script may read; a lossless format sends none.
func TestExportSaysWhatItLost(t *testing.T) {
	srv, _ := testServer(t)
	res, _ := get(t, srv.URL+"/api/v1/export?format=lptsv", "")
	lost := res.Header.Get(LostHeader)
	if res.StatusCode != 200 || !strings.Contains(lost, "lptsv cannot hold: admin, code") || !strings.Contains(lost, "jsonl") ||
		!strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), LostHeader) {
		t.Errorf("lptsv: %d, %s %q, exposed %q", res.StatusCode, LostHeader, lost, res.Header.Get("Access-Control-Expose-Headers"))
	}
	for _, f := range []string{"jsonl", "geojson", "csv"} {
		if res, _ := get(t, srv.URL+"/api/v1/export?format="+f, ""); res.Header.Get(LostHeader) != "" {
			t.Errorf("%s says it lost %q", f, res.Header.Get(LostHeader))
		}
	}
}

// TestExportGPKGFromAPI reads the GeoPackage the API serves with GDAL.
func TestExportGPKGFromAPI(t *testing.T) {
	srv, _ := testServer(t)
	res, body := get(t, srv.URL+"/api/v1/export?format=gpkg&crs=cgcs2000", "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/geopackage+sqlite3" {
		t.Fatalf("%d %s: %.300s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	file := filepath.Join(t.TempDir(), "api.gpkg")
	os.WriteFile(file, body, 0o644)
	info := gdal(t, "ogrinfo", "-ro", "-so", file, "places_point")
	if !strings.Contains(info, "Feature Count: 4") || !strings.Contains(info, `ID["EPSG",4490]`) {
		t.Errorf("API GeoPackage:\n%s", info)
	}
}
