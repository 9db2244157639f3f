package ogc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"wumen/gazetteer"
	"wumen/geo"
)

// The conformance classes a test here checks, by URI. TestConformance
// walks the classes /ogc/conformance claims and fails on one without a
// check, so claiming a class means testing it.
var classChecks = map[string]func(*testing.T, *client){
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core":             checkCore,
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson":          checkGeoJSON,
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html":             checkHTML,
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30":            checkOAS30,
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs":              checkCRS,
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables":       checkQueryables,
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter":           checkFilter,
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter":  checkFeaturesFilter,
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text":                     checkCQL2Text,
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2":                    checkBasicCQL2,
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators": checkAdvancedComparison,
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions":       checkBasicSpatial,
}

func TestConformance(t *testing.T) {
	srv, _ := testServer(t)
	c := &client{base: srv.URL}
	var conf struct {
		ConformsTo []string `json:"conformsTo"`
	}
	c.json(t, "/ogc/conformance", &conf)
	// /req/core/conformance-success: core is among the classes.
	if !contains(conf.ConformsTo, Conformance[0]) {
		t.Fatalf("conformsTo %v lacks core", conf.ConformsTo)
	}
	for _, class := range conf.ConformsTo {
		check, ok := classChecks[class]
		if !ok {
			t.Errorf("the service claims %s, which no test checks", class)
			continue
		}
		t.Run(path.Base(class), func(t *testing.T) { check(t, c) })
	}
}

// client reads the service as a standard client does.
type client struct{ base string }

// resp is one answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (c *client) get(t *testing.T, p, accept string) resp {
	t.Helper()
	if !strings.HasPrefix(p, "http") {
		p = c.base + p
	}
	res, body := get(t, p, accept)
	return resp{res.StatusCode, res.Header, body}
}

// json GETs p, wants 200, and decodes the body into v.
func (c *client) json(t *testing.T, p string, v any) resp {
	t.Helper()
	r := c.get(t, p, "")
	if r.status != 200 {
		t.Fatalf("GET %s: %d %.300s", p, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("GET %s: %v", p, err)
	}
	return r
}

// wantError checks a 400 whose JSON body names the parameter (field).
func (c *client) wantError(t *testing.T, p, field string) {
	t.Helper()
	r := c.get(t, p, "")
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	json.Unmarshal(r.body, &e)
	if r.status != 400 || !strings.HasPrefix(r.header.Get("Content-Type"), TypeJSON) || e.Error.Field != field || e.Error.Message == "" {
		t.Errorf("GET %s: %d %s %s, want 400 JSON naming %q", p, r.status, r.header.Get("Content-Type"), r.body, field)
	}
}

type feature struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	Links      []Link          `json:"links"`
}

type featureCollection struct {
	Type           string    `json:"type"`
	Features       []feature `json:"features"`
	Links          []Link    `json:"links"`
	NumberMatched  *int      `json:"numberMatched"`
	NumberReturned *int      `json:"numberReturned"`
	TimeStamp      string    `json:"timeStamp"`
}

func (f feature) geom(t *testing.T) orb.Geometry {
	t.Helper()
	if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
		return nil
	}
	g, err := geojson.UnmarshalGeometry(f.Geometry)
	if err != nil {
		t.Fatalf("feature %v: geometry %s: %v", f.ID, f.Geometry, err)
	}
	return g.Geometry()
}

func link(ls []Link, rel, typ string) string {
	for _, l := range ls {
		if l.Rel == rel && (typ == "" || l.Type == typ) {
			return l.Href
		}
	}
	return ""
}

// all reads every page of an items query by its next links
// (/req/core/fc-next-1) and checks each page's counts.
func (c *client) all(t *testing.T, p string) []feature {
	t.Helper()
	var out []feature
	matched := -1
	for pages := 0; p != ""; pages++ {
		if pages > 1000 {
			t.Fatalf("paging does not end at %s", p)
		}
		var fc featureCollection
		c.json(t, p, &fc)
		if fc.Type != "FeatureCollection" || fc.NumberReturned == nil || *fc.NumberReturned != len(fc.Features) || fc.NumberMatched == nil || fc.TimeStamp == "" {
			t.Fatalf("%s: type %q, numberReturned %v of %d features, numberMatched %v, timeStamp %q", p, fc.Type, fc.NumberReturned, len(fc.Features), fc.NumberMatched, fc.TimeStamp)
		}
		if matched >= 0 && *fc.NumberMatched != matched {
			t.Errorf("%s: numberMatched changed from %d to %d", p, matched, *fc.NumberMatched)
		}
		matched = *fc.NumberMatched
		out = append(out, fc.Features...)
		p = link(fc.Links, "next", "")
	}
	if len(out) != matched {
		t.Errorf("paging returned %d features, numberMatched says %d", len(out), matched)
	}
	seen := map[string]bool{}
	for _, f := range out {
		if id := fmt.Sprint(f.ID); seen[id] {
			t.Errorf("feature %s returned twice", id)
		} else {
			seen[id] = true
		}
	}
	return out
}

func ids(fs []feature) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprint(f.ID))
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type collectionDoc struct {
	ID     string   `json:"id"`
	Links  []Link   `json:"links"`
	CRS    []string `json:"crs"`
	Storag string   `json:"storageCrs"`
	Extent struct {
		Spatial struct {
			BBox [][]float64 `json:"bbox"`
		} `json:"spatial"`
	} `json:"extent"`
}

func (c *client) collections(t *testing.T) []collectionDoc {
	var cs struct {
		Collections []collectionDoc `json:"collections"`
		Links       []Link          `json:"links"`
	}
	c.json(t, "/ogc/collections", &cs)
	if link(cs.Links, "self", "") == "" || len(cs.Collections) == 0 {
		t.Fatalf("collections: no self link or no collection")
	}
	return cs.Collections
}

// checkCore walks the requirements of Part 1 Core (OGC 17-069r4 §7, the
// abstract test suite of Annex A.2).
func checkCore(t *testing.T, c *client) {
	// /req/core/root-success: the landing page links the API definition,
	// the conformance classes and the collections, and each resolves.
	var land struct{ Links []Link }
	c.json(t, "/ogc", &land)
	for _, rel := range []string{"service-desc", "conformance", "data"} {
		href := link(land.Links, rel, "")
		if href == "" {
			t.Errorf("landing page: no %s link", rel)
		} else if r := c.get(t, href, ""); r.status != 200 {
			t.Errorf("landing %s link %s: %d", rel, href, r.status)
		}
	}
	for _, coll := range c.collections(t) {
		// /req/core/sfc-md-success: the collection's own resource is its
		// entry in the list.
		var one collectionDoc
		c.json(t, "/ogc/collections/"+coll.ID, &one)
		if !reflect.DeepEqual(one, coll) {
			t.Errorf("/collections/%s differs from its entry in /collections", coll.ID)
		}
		// /req/core/fc-md-links: an items link, which resolves.
		items := link(coll.Links, "items", TypeGeoJSON)
		if items == "" {
			t.Fatalf("collection %s: no GeoJSON items link", coll.ID)
		}
		all := c.all(t, items)
		// /req/core/fc-limit-response-1 and fc-next: pages of 3 hold
		// the same features as one page of the maximum.
		paged := c.all(t, "/ogc/collections/"+coll.ID+"/items?limit=3")
		if !reflect.DeepEqual(ids(all), ids(paged)) {
			t.Errorf("%s: pages of 3 hold %v, one page %v", coll.ID, ids(paged), ids(all))
		}
		// /req/core/fc-md-extent: every feature lies inside the extent.
		if len(coll.Extent.Spatial.BBox) != 1 || len(coll.Extent.Spatial.BBox[0]) != 4 {
			t.Errorf("%s: extent %v", coll.ID, coll.Extent)
			continue
		}
		e := coll.Extent.Spatial.BBox[0]
		ext := orb.Bound{Min: orb.Point{e[0], e[1]}, Max: orb.Point{e[2], e[3]}}
		for _, f := range all {
			if g := f.geom(t); g != nil && ext.Union(g.Bound()) != ext {
				t.Errorf("%s: feature %v outside the extent %v", coll.ID, f.ID, e)
			}
			// /req/core/f-success: each feature at its own URL.
			var one feature
			c.json(t, fmt.Sprintf("/ogc/collections/%s/items/%v", coll.ID, f.ID), &one)
			if fmt.Sprint(one.ID) != fmt.Sprint(f.ID) || link(one.Links, "self", "") == "" || link(one.Links, "collection", "") == "" {
				t.Errorf("%s/items/%v: id %v, links %v", coll.ID, f.ID, one.ID, one.Links)
			}
		}
	}
	// /req/core/fc-limit-response-1: never more than limit.
	var fc featureCollection
	c.json(t, "/ogc/collections/places/items?limit=2", &fc)
	if len(fc.Features) != 2 || link(fc.Links, "next", "") == "" || link(fc.Links, "self", "") == "" || link(fc.Links, "alternate", "text/html") == "" {
		t.Errorf("limit=2: %d features, links %v", len(fc.Features), fc.Links)
	}
	// /req/core/fc-bbox-response: exactly the features that intersect.
	box := orb.Bound{Min: orb.Point{120.6, 31.3}, Max: orb.Point{120.63, 31.33}}
	var want []feature
	for _, f := range c.all(t, "/ogc/collections/places/items?limit=1000") {
		if g := f.geom(t); g != nil && box.Intersects(g.Bound()) {
			want = append(want, f)
		}
	}
	got := c.all(t, "/ogc/collections/places/items?bbox=120.6,31.3,120.63,31.33")
	if len(want) == 0 || !reflect.DeepEqual(ids(got), ids(want)) {
		t.Errorf("bbox: %v, want %v", ids(got), ids(want))
	}
	// /req/core/fc-time-response: a name in use at the instant.
	if got := c.all(t, "/ogc/collections/places/items?datetime=1500-06-01T00:00:00Z"); !contains(ids(got), "8") {
		t.Errorf("datetime 1500: %v lacks 苏州府 (8)", ids(got))
	}
	// /req/core/query-param-unknown, query-param-invalid: 400 naming it.
	for p, field := range map[string]string{"foo=1": "foo", "limit=abc": "limit", "limit=0": "limit", "offset=-1": "offset",
		"bbox=1,2,3": "bbox", "bbox=121,31,120,32": "bbox", "datetime=someday": "datetime", "f=xml": "f", "status=gone": "status"} {
		c.wantError(t, "/ogc/collections/places/items?"+p, field)
	}
	// /req/core/f-op: an unknown feature or collection is 404.
	for _, p := range []string{"/ogc/collections/places/items/999999", "/ogc/collections/places/items/abc", "/ogc/collections/nope", "/ogc/collections/nope/items"} {
		if r := c.get(t, p, ""); r.status != 404 {
			t.Errorf("GET %s: %d, want 404", p, r.status)
		}
	}
}

// checkGeoJSON: /req/geojson/definition and /req/geojson/content.
func checkGeoJSON(t *testing.T, c *client) {
	for _, p := range []string{"/ogc/collections/places/items", "/ogc/collections/places/items/3", "/ogc/collections/walks/items"} {
		r := c.get(t, p, TypeGeoJSON)
		if r.status != 200 || r.header.Get("Content-Type") != TypeGeoJSON {
			t.Errorf("GET %s (Accept %s): %d %s", p, TypeGeoJSON, r.status, r.header.Get("Content-Type"))
		}
	}
	for _, coll := range c.collections(t) {
		for _, f := range c.all(t, "/ogc/collections/"+coll.ID+"/items?limit=1000") {
			if f.Type != "Feature" || f.ID == nil || f.Properties == nil {
				t.Errorf("%s: feature %v: type %q, properties %v", coll.ID, f.ID, f.Type, f.Properties)
			}
			f.geom(t) // a GeoJSON geometry (RFC 7946 §3.1) or null
		}
	}
}

// checkHTML: /req/html/definition and content — every resource as HTML,
// by Accept and by f=html.
func checkHTML(t *testing.T, c *client) {
	for _, p := range []string{"/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/places", "/ogc/collections/places/items",
		"/ogc/collections/places/items/3", "/ogc/collections/walks/items/shantang", "/ogc/collections/places/queryables", "/ogc/api"} {
		for _, r := range []resp{c.get(t, p, "text/html"), c.get(t, p+"?f=html", "")} {
			if r.status != 200 || r.header.Get("Content-Type") != TypeHTML || !strings.Contains(string(r.body), "<html") || !strings.Contains(string(r.body), "<h1>") {
				t.Errorf("GET %s as HTML: %d %s %.200s", p, r.status, r.header.Get("Content-Type"), r.body)
			}
		}
	}
	if r := c.get(t, "/ogc/collections/places/items/3?f=html", ""); !strings.Contains(string(r.body), "北寺塔") {
		t.Errorf("the HTML feature page does not show its name")
	}
}

// checkOAS30: /req/oas30/oas-definition (the service-desc is OpenAPI 3.0,
// valid by kin-openapi), completeness (every parameter the service takes
// is declared) and oas-impl (every path declared answers).
func checkOAS30(t *testing.T, c *client) {
	var land struct{ Links []Link }
	c.json(t, "/ogc", &land)
	href := link(land.Links, "service-desc", TypeOpenAPI)
	r := c.get(t, href, "")
	if r.status != 200 || r.header.Get("Content-Type") != TypeOpenAPI {
		t.Fatalf("service-desc %s: %d %s", href, r.status, r.header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI 3.0: %v", err)
	}
	items := doc.Paths.Find("/ogc/collections/{collectionId}/items")
	if items == nil || items.Get == nil {
		t.Fatal("no items operation")
	}
	for name := range itemParams {
		if items.Get.Parameters.GetByInAndName("query", name) == nil {
			t.Errorf("the items operation does not declare %s", name)
		}
	}
	for p := range doc.Paths.Map() {
		for _, coll := range c.collections(t) {
			fid := "3"
			if coll.ID == Walks {
				fid = "shantang"
			} else if coll.ID != AllPlaces && coll.ID != "memorials_scenic" {
				continue
			}
			u := strings.NewReplacer("{collectionId}", coll.ID, "{featureId}", fid).Replace(p)
			if p == "/api/v1/export" {
				u += "?format=geojson"
			}
			if r := c.get(t, u, ""); r.status != 200 {
				t.Errorf("declared path %s: GET %s is %d", p, u, r.status)
			}
		}
	}
}

// point reads one feature's point in the CRS asked.
func (c *client) point(t *testing.T, p string) (orb.Point, http.Header) {
	t.Helper()
	var f feature
	r := c.json(t, p, &f)
	pt, ok := f.geom(t).(orb.Point)
	if !ok {
		t.Fatalf("%s: not a point: %s", p, f.Geometry)
	}
	return pt, r.header
}

// checkCRS walks Part 2 (OGC 18-058r1 Annex A).
func checkCRS(t *testing.T, c *client) {
	want := []string{CRS84, EPSG4326, EPSG4490, "urn:wumen:def:crs:gcj02"}
	for _, coll := range c.collections(t) {
		// /req/crs/fc-md-crs-list, fc-md-storageCrs.
		if !reflect.DeepEqual(coll.CRS, want) || coll.Storag != CRS84 {
			t.Errorf("%s: crs %v storageCrs %q", coll.ID, coll.CRS, coll.Storag)
		}
	}
	const lon, lat = 120.6154018, 31.3245428     // 北寺塔 (id 3) as stored
	gcj := geo.WGS84ToGCJ02(orb.Point{lon, lat}) // its GCJ-02 position (geo's transform, tested against published vectors)
	for _, tc := range []struct {
		crs  string
		want orb.Point
	}{
		{"", orb.Point{lon, lat}},
		{CRS84, orb.Point{lon, lat}},
		{EPSG4326, orb.Point{lat, lon}}, // latitude first: the EPSG axis order
		{EPSG4490, orb.Point{lat, lon}},
		{"urn:wumen:def:crs:gcj02", gcj},
	} {
		q := ""
		if tc.crs != "" {
			q = "?crs=" + url.QueryEscape(tc.crs)
		}
		header := "<" + tc.crs + ">"
		if tc.crs == "" {
			header = "<" + CRS84 + ">"
		}
		// /req/crs/crs-action, ogc-crs-header: on one feature and on items.
		pt, h := c.point(t, "/ogc/collections/places/items/3"+q)
		if math.Abs(pt[0]-tc.want[0]) > 2e-6 || math.Abs(pt[1]-tc.want[1]) > 2e-6 || h.Get("Content-Crs") != header {
			t.Errorf("crs %q: %v, Content-Crs %q; want %v, %q", tc.crs, pt, h.Get("Content-Crs"), tc.want, header)
		}
		sep := "?"
		if q != "" {
			sep = "&"
		}
		var fc featureCollection
		r := c.json(t, "/ogc/collections/memorials_scenic/items"+q+sep+"limit=100", &fc)
		if r.header.Get("Content-Crs") != header {
			t.Errorf("items crs %q: Content-Crs %q", tc.crs, r.header.Get("Content-Crs"))
		}
		for _, f := range fc.Features {
			if fmt.Sprint(f.ID) == "3" {
				if g, _ := f.geom(t).(orb.Point); math.Abs(g[0]-tc.want[0]) > 2e-6 {
					t.Errorf("items crs %q: 北寺塔 at %v", tc.crs, g)
				}
			}
			if fmt.Sprint(f.ID) == "5" && strings.Contains(tc.crs, "EPSG") { // 拙政园's polygon, latitude first
				if ring := f.geom(t).(orb.Polygon)[0]; ring[0][0] > 90 {
					t.Errorf("crs %s: polygon not latitude first: %v", tc.crs, ring[0])
				}
			}
		}
	}
	// /req/crs/fc-bbox-crs-action: a bbox in EPSG:4326 is latitude first
	// and selects what the same box in CRS84 does.
	plain := ids(c.all(t, "/ogc/collections/places/items?bbox=120.6,31.3,120.63,31.33"))
	swapped := ids(c.all(t, "/ogc/collections/places/items?bbox=31.3,120.6,31.33,120.63&bbox-crs="+url.QueryEscape(EPSG4326)))
	if !reflect.DeepEqual(plain, swapped) || len(plain) == 0 {
		t.Errorf("bbox in EPSG:4326 %v, in CRS84 %v", swapped, plain)
	}
	// A tight box around the GCJ-02 position finds 北寺塔 only when it is
	// declared GCJ-02: the offset is about 500 m.
	if d := gazetteer.DistanceM(gcj, orb.Point{lon, lat}); d < 300 || d > 700 {
		t.Fatalf("GCJ-02 offset %.0f m", d)
	}
	tight := fmt.Sprintf("bbox=%f,%f,%f,%f", gcj[0]-0.0005, gcj[1]-0.0005, gcj[0]+0.0005, gcj[1]+0.0005)
	if got := ids(c.all(t, "/ogc/collections/places/items?"+tight+"&bbox-crs="+url.QueryEscape("urn:wumen:def:crs:gcj02"))); !contains(got, "3") {
		t.Errorf("GCJ-02 bbox: %v, want 北寺塔 (3)", got)
	}
	if got := ids(c.all(t, "/ogc/collections/places/items?"+tight)); contains(got, "3") {
		t.Errorf("the GCJ-02 box read as CRS84 finds %v", got)
	}
	// /req/crs/fc-crs-valid-value, fc-bbox-crs-valid-value.
	c.wantError(t, "/ogc/collections/places/items?crs=EPSG:3857", "crs")
	c.wantError(t, "/ogc/collections/places/items/3?crs=http://www.opengis.net/def/crs/EPSG/0/3857", "crs")
	c.wantError(t, "/ogc/collections/places/items?bbox=1,2,3,4&bbox-crs=nope", "bbox-crs")
	c.wantError(t, "/ogc/collections/places/items?bbox=120.6,31.3,120.63,31.33&bbox-crs="+url.QueryEscape(EPSG4326), "bbox") // longitude where latitude belongs
}

type schemaDoc struct {
	Schema     string                    `json:"$schema"`
	ID         string                    `json:"$id"`
	Type       string                    `json:"type"`
	Properties map[string]map[string]any `json:"properties"`
}

// checkQueryables: /req/queryables/get-queryables-op and response (OGC
// 19-079r2 Annex A.1): a JSON Schema of the queryables, linked from the
// collection; each queryable is a property the features carry.
func checkQueryables(t *testing.T, c *client) {
	for _, coll := range c.collections(t) {
		href := link(coll.Links, "http://www.opengis.net/def/rel/ogc/1.0/queryables", TypeSchema)
		r := c.get(t, href, "")
		var s schemaDoc
		if err := json.Unmarshal(r.body, &s); err != nil || r.status != 200 || r.header.Get("Content-Type") != TypeSchema {
			t.Fatalf("%s queryables %q: %d %s %v", coll.ID, href, r.status, r.header.Get("Content-Type"), err)
		}
		if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.ID != href || s.Type != "object" || len(s.Properties) == 0 {
			t.Errorf("%s queryables: %+v", coll.ID, s)
		}
		compileSchema(t, href, r.body)
		fs := c.all(t, "/ogc/collections/"+coll.ID+"/items?limit=1000")
		for name, p := range s.Properties {
			if p["format"] == "geometry-any" {
				continue
			}
			if _, ok := fs[0].Properties[name]; !ok {
				t.Errorf("%s: queryable %s is no property of the features", coll.ID, name)
			}
		}
	}
	c.wantError(t, "/ogc/collections/places/queryables?x=1", "x")
}

// values are the values of a feature's property as a filter sees them:
// admin and heritage hold several, joined by |.
func values(f feature, name string) []string {
	v, ok := f.Properties[name]
	if !ok || v == nil || v == "" {
		return nil
	}
	s := fmt.Sprint(v)
	if name == "admin" || name == "heritage" {
		return strings.Split(s, "|")
	}
	return []string{s}
}

// matching selects the features for which keep holds.
func matching(fs []feature, keep func(feature) bool) []string {
	var out []feature
	for _, f := range fs {
		if keep(f) {
			out = append(out, f)
		}
	}
	return ids(out)
}

func (c *client) filter(t *testing.T, coll, cql string, extra ...string) []string {
	t.Helper()
	q := url.Values{"filter": {cql}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return ids(c.all(t, "/ogc/collections/"+coll+"/items?limit=3&"+q.Encode()))
}

// checkFilter: /req/filter/filter-param, filter-lang-param, response —
// for every text queryable and every value the features carry, the
// filter name = 'value' selects exactly the features with that value.
func checkFilter(t *testing.T, c *client) {
	all := c.all(t, "/ogc/collections/places/items?limit=1000")
	var s schemaDoc
	c.json(t, "/ogc/collections/places/queryables", &s)
	tested := 0
	for name, p := range s.Properties {
		if p["type"] != "string" || p["format"] != nil {
			continue
		}
		vals := map[string]bool{}
		for _, f := range all {
			for _, v := range values(f, name) {
				vals[v] = true
			}
		}
		for v := range vals {
			want := matching(all, func(f feature) bool { return contains(values(f, name), v) })
			cql := name + " = '" + strings.ReplaceAll(v, "'", "''") + "'"
			if got := c.filter(t, "places", cql); !reflect.DeepEqual(got, want) {
				t.Errorf("filter %s: %v, want %v", cql, got, want)
			}
			tested++
		}
	}
	if tested < 20 {
		t.Errorf("only %d values tested", tested)
	}
	if got := c.filter(t, "places", "category = '纪念地旅游景点'", "filter-lang", "cql2-text"); !reflect.DeepEqual(got, []string{"3", "5"}) {
		t.Errorf("filter-lang=cql2-text: %v", got)
	}
	c.wantError(t, "/ogc/collections/places/items?filter-lang=cql2-json&filter=x", "filter-lang")
	c.wantError(t, "/ogc/collections/places/items?filter=", "filter")
	c.wantError(t, "/ogc/collections/places/items?filter=nope%3D%27x%27", "filter")
}

// checkFeaturesFilter: the filter applies to features together with the
// other parameters, paging and the walks collection.
func checkFeaturesFilter(t *testing.T, c *client) {
	if got := c.filter(t, "places", "admin = '320508'", "bbox", "120.6,31.3,120.63,31.33"); !reflect.DeepEqual(got, []string{"3", "5"}) {
		t.Errorf("filter with bbox: %v", got)
	}
	if got := c.filter(t, "memorials_scenic", "name LIKE '北%'"); !reflect.DeepEqual(got, []string{"3"}) {
		t.Errorf("filter in a 大类 collection: %v", got)
	}
	if got := c.filter(t, "walks", "title LIKE '%山塘%'"); !reflect.DeepEqual(got, []string{"shantang"}) {
		t.Errorf("filter on walks: %v", got)
	}
	if got := c.filter(t, "walks", "title = 'x'"); len(got) != 0 {
		t.Errorf("filter on walks: %v", got)
	}
	c.wantError(t, "/ogc/collections/walks/items?filter=name%3D%27x%27", "filter") // walks have a title, not a name
}

// checkCQL2Text: the text encoding's syntax errors are 400 naming filter
// and the position.
func checkCQL2Text(t *testing.T, c *client) {
	for _, bad := range []string{"name = ", "name = 'x", "(name = 'x'", "name == 'x'", "name = 'x' name = 'y'"} {
		c.wantError(t, "/ogc/collections/places/items?filter="+url.QueryEscape(bad), "filter")
		r := c.get(t, "/ogc/collections/places/items?filter="+url.QueryEscape(bad), "")
		if !strings.Contains(string(r.body), "at character") {
			t.Errorf("%s: %s", bad, r.body)
		}
	}
}

// checkBasicCQL2: comparisons, AND, OR, NOT, IS NULL, on the features
// the service returns (OGC 21-065r2 Annex A.3).
func checkBasicCQL2(t *testing.T, c *client) {
	all := c.all(t, "/ogc/collections/places/items?limit=1000")
	num := func(f feature, k string) float64 { v, _ := f.Properties[k].(float64); return v }
	for cql, keep := range map[string]func(feature) bool{
		"category = '纪念地旅游景点' OR NOT admin = '320508'": func(f feature) bool {
			return contains(values(f, "category"), "纪念地旅游景点") || (values(f, "admin") != nil && !contains(values(f, "admin"), "320508"))
		},
		"category <> '行政区域' AND rank >= 0.5": func(f feature) bool { return f.Properties["category"] != "行政区域" && num(f, "rank") >= 0.5 },
		"rank < 0.5":                                func(f feature) bool { return num(f, "rank") < 0.5 },
		"accuracy_m > 100":                          func(f feature) bool { return num(f, "accuracy_m") > 100 },
		"geonames IS NULL":                          func(f feature) bool { return f.Properties["geonames"] == nil },
		"osm IS NOT NULL":                           func(f feature) bool { return f.Properties["osm"] != "" },
		"updated > DATE('2000-01-01')":              func(f feature) bool { return true },
		"updated < DATE('2000-01-01')":              func(f feature) bool { return false },
		"NOT (status = 'current')":                  func(f feature) bool { return f.Properties["status"] != "current" },
		"status = 'current' AND geonames = 1886760": func(f feature) bool { return num(f, "geonames") == 1886760 },
	} {
		if got, want := c.filter(t, "places", cql), matching(all, keep); !reflect.DeepEqual(got, want) || len(want) == len(all) && !strings.Contains(cql, "2000") {
			t.Errorf("filter %s: %v, want %v", cql, got, want)
		}
	}
	c.wantError(t, "/ogc/collections/places/items?filter="+url.QueryEscape("rank = 'high'"), "filter")
}

// checkAdvancedComparison: LIKE, BETWEEN, IN and their negations.
func checkAdvancedComparison(t *testing.T, c *client) {
	all := c.all(t, "/ogc/collections/places/items?limit=1000")
	name := func(f feature) string { return fmt.Sprint(f.Properties["name"]) }
	for cql, keep := range map[string]func(feature) bool{
		"name LIKE '%街'":              func(f feature) bool { return strings.HasSuffix(name(f), "街") },
		"name NOT LIKE '苏州%'":         func(f feature) bool { return !strings.HasPrefix(name(f), "苏州") },
		"name LIKE '__塔'":             func(f feature) bool { return len([]rune(name(f))) == 3 && strings.HasSuffix(name(f), "塔") },
		"name IN ('北寺塔', '周庄', '没有')": func(f feature) bool { return name(f) == "北寺塔" || name(f) == "周庄" },
		"name NOT IN ('北寺塔')":         func(f feature) bool { return name(f) != "北寺塔" },
		"admin LIKE '32058%'":         func(f feature) bool { return strings.Contains(fmt.Sprint(f.Properties["admin"]), "32058") },
		"rank BETWEEN 0.6 AND 0.8":    func(f feature) bool { r, _ := f.Properties["rank"].(float64); return r >= 0.6 && r <= 0.8 },
		"category IN ('行政区域', '居民点')": func(f feature) bool {
			return f.Properties["category"] == "行政区域" || f.Properties["category"] == "居民点"
		},
	} {
		if got, want := c.filter(t, "places", cql), matching(all, keep); !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("filter %s: %v, want %v", cql, got, want)
		}
	}
}

// checkBasicSpatial: S_INTERSECTS with BBOX and POINT literals, in CRS84
// and in filter-crs.
func checkBasicSpatial(t *testing.T, c *client) {
	plain := ids(c.all(t, "/ogc/collections/places/items?bbox=120.6,31.3,120.63,31.33"))
	if got := c.filter(t, "places", "S_INTERSECTS(geometry, BBOX(120.6, 31.3, 120.63, 31.33))"); !reflect.DeepEqual(got, plain) {
		t.Errorf("S_INTERSECTS BBOX %v, bbox parameter %v", got, plain)
	}
	// A point inside 拙政园's outline (id 5), in CRS84 and latitude first.
	if got := c.filter(t, "places", "S_INTERSECTS(geometry, POINT(120.621 31.3252))"); !reflect.DeepEqual(got, []string{"5"}) {
		t.Errorf("S_INTERSECTS POINT: %v", got)
	}
	if got := c.filter(t, "places", "S_INTERSECTS(geometry, POINT(31.3252 120.621))", "filter-crs", EPSG4326); !reflect.DeepEqual(got, []string{"5"}) {
		t.Errorf("S_INTERSECTS POINT in EPSG:4326: %v", got)
	}
	if got := c.filter(t, "walks", "S_INTERSECTS(geometry, BBOX(120, 31, 121, 32))"); !reflect.DeepEqual(got, []string{"shantang"}) {
		t.Errorf("S_INTERSECTS on walks: %v", got)
	}
	c.wantError(t, "/ogc/collections/places/items?filter-crs=x&filter="+url.QueryEscape("S_INTERSECTS(geometry, POINT(1 2))"), "filter-crs")
}

// TestSortBy: sortby orders by queryables, - descending, ties in id
// order, nulls last; a bad term is 400 naming sortby.
func TestSortBy(t *testing.T) {
	srv, _ := testServer(t)
	c := &client{base: srv.URL}
	fs := c.all(t, "/ogc/collections/places/items?limit=3&sortby=-rank,name")
	if len(fs) != 8 {
		t.Fatalf("%d features", len(fs))
	}
	for i := 1; i < len(fs); i++ {
		a, b := fs[i-1].Properties["rank"].(float64), fs[i].Properties["rank"].(float64)
		if a < b || a == b && fmt.Sprint(fs[i-1].Properties["name"]) > fmt.Sprint(fs[i].Properties["name"]) {
			t.Errorf("sortby=-rank,name: %v (%v) before %v (%v)", fs[i-1].Properties["name"], a, fs[i].Properties["name"], b)
		}
	}
	if fs[0].Properties["name"] != "苏州市" {
		t.Errorf("highest rank first: %v", fs[0].Properties["name"])
	}
	acc := c.all(t, "/ogc/collections/places/items?sortby=%2Baccuracy_m&filter="+url.QueryEscape("category <> 'x'"))
	if last := acc[len(acc)-1]; last.Properties["accuracy_m"] != nil {
		t.Errorf("a place without accuracy sorts last: %v", last.Properties)
	}
	for _, bad := range []string{"nope", "geometry", "-"} {
		c.wantError(t, "/ogc/collections/places/items?sortby="+url.QueryEscape(bad), "sortby")
	}
}

// compileSchema checks that b is a JSON Schema (draft 2020-12, validated
// against its meta-schema by santhosh-tekuri/jsonschema).
func compileSchema(t *testing.T, id string, b []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(id, doc); err != nil {
		t.Fatalf("queryables %s: %v", id, err)
	}
	if _, err := comp.Compile(id); err != nil {
		t.Errorf("queryables %s are not a valid JSON Schema: %v", id, err)
	}
}
