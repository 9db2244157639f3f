package reconcile

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wumen/gazetteer"
	"wumen/search"
	"wumen/site/internal/seeded"
)

// The fixture: a store seeded from the shipped dataset and its search index,
// shared by the tests of this package (they only read, but for the one
// admin unit TestAdminNamesFollowTheStore adds).
var fix seeded.Fixture

func TestMain(m *testing.M) {
	code := m.Run()
	fix.Close()
	os.Exit(code)
}

func fixture(t testing.TB) (*gazetteer.Store, *search.Index) { return fix.Get(t) }

func testServer(t testing.TB) *httptest.Server {
	st, ix := fixture(t)
	srv := httptest.NewServer(New(st, ix, Options{Logf: t.Logf}))
	t.Cleanup(srv.Close)
	return srv
}

// schemas compiles the vendored Reconciliation API 0.2 schemas.
func schemas(t testing.TB) map[string]*jsonschema.Schema {
	t.Helper()
	const base = "https://reconciliation-api.github.io/specs/0.2/schemas/"
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	files, err := filepath.Glob("testdata/schemas/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in testdata/schemas: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// "$schema": "http://json-schema.org/schema#" means "the latest
		// draft" and cannot be loaded offline: the schemas are draft-07.
		b = []byte(strings.Replace(string(b), `"http://json-schema.org/schema#"`, `"http://json-schema.org/draft-07/schema#"`, 1))
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(f)
		if name == "reconciliation-query-batch.json" {
			name = "reconciliation-query.json" // its $id
		}
		if err := c.AddResource(base+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	// The manifest's authentication member refers to Swagger 2.0's schema;
	// the service declares no authentication (README in testdata/schemas).
	if err := c.AddResource("http://swagger.io/v2/schema.json", map[string]any{
		"definitions": map[string]any{"securityDefinitions": map[string]any{"additionalProperties": map[string]any{}}}}); err != nil {
		t.Fatal(err)
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range []string{"manifest", "reconciliation-result-batch", "reconciliation-query", "suggest-entities-response",
		"suggest-types-response", "suggest-properties-response", "data-extension-query", "data-extension-response"} {
		s, err := c.Compile(base + n + ".json")
		if err != nil {
			t.Fatalf("compile %s: %v", n, err)
		}
		out[n] = s
	}
	return out
}

// fetch gets or posts a request and returns the status, headers and body.
func fetch(t testing.TB, method, u string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = http.PostForm(u, form)
	} else {
		if form != nil {
			u += "?" + form.Encode()
		}
		resp, err = http.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func validate(t *testing.T, s *jsonschema.Schema, what string, b []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, b)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("%s does not follow its schema: %v\n%s", what, err, b)
	}
}

// TestResponsesFollowTheSchemas sends every kind of request OpenRefine sends
// and validates each answer (and each query sent) against the published
// schemas.
func TestResponsesFollowTheSchemas(t *testing.T) {
	srv := testServer(t)
	sch := schemas(t)
	base := srv.URL + "/reconcile"

	code, h, b := fetch(t, http.MethodGet, base, nil)
	if code != 200 || h.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("manifest: %d, CORS %q", code, h.Get("Access-Control-Allow-Origin"))
	}
	validate(t, sch["manifest"], "manifest", b)
	var man map[string]any
	json.Unmarshal(b, &man)
	if len(man["defaultTypes"].([]any)) != 11 {
		t.Errorf("manifest lists %d default types, want the 11 census classes", len(man["defaultTypes"].([]any)))
	}

	// JSONP, as OpenRefine asks for the manifest from the browser.
	_, h, b = fetch(t, http.MethodGet, base, url.Values{"callback": {"jsonp123"}})
	if !strings.HasPrefix(string(b), "/**/jsonp123({") || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
		t.Errorf("JSONP manifest: %s %.60s", h.Get("Content-Type"), b)
	}

	queries := `{"q0": {"query": "平江府", "type": "行政区域", "limit": 3},
		"q1": {"query": "新湖村", "properties": [{"pid": "admin", "v": "吴江区"}]},
		"q2": {"query": "枫桥", "type": ["交通运输设施/桥梁", "居民点"], "type_strict": "any"},
		"q3": {"query": "長洲縣"},
		"q4": {"query": "no such place at all"}}`
	validate(t, sch["reconciliation-query"], "the query batch", []byte(queries))
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		code, _, b = fetch(t, method, base, url.Values{"queries": {queries}})
		if code != 200 {
			t.Fatalf("%s queries: %d %s", method, code, b)
		}
		validate(t, sch["reconciliation-result-batch"], method+" result batch", b)
		var res map[string]Result
		json.Unmarshal(b, &res)
		if len(res) != 5 {
			t.Fatalf("%s: %d results for 5 queries", method, len(res))
		}
		if top := res["q0"].Result; len(top) == 0 || top[0].ID != "100001" || !top[0].Match {
			t.Errorf("%s 平江府 (行政区域): %+v, want 100001 苏州市 as a match", method, top)
		}
		if top := res["q1"].Result; len(top) == 0 || top[0].ID != "100727" || !top[0].Match {
			t.Errorf("%s 新湖村 in 吴江区: %+v, want 100727 as a match", method, top)
		}
		if got := res["q2"].Result; len(got) != 2 || got[0].Match {
			t.Errorf("%s 枫桥 as bridge or settlement: %+v, want both, no match", method, got)
		}
		if top := res["q3"].Result; len(top) == 0 || top[0].ID != "1951" || !top[0].Match || top[0].Name != "长洲县" {
			t.Errorf("%s 長洲縣: %+v, want 1951 长洲县 as a match", method, top)
		}
		if got := res["q4"].Result; got == nil || len(got) > 0 && got[0].Match {
			t.Errorf("%s nonsense: %+v, want a list and no match", method, got)
		}
	}

	for _, q := range []url.Values{{"prefix": {"平江"}}, {"prefix": {"shantang"}}, {"prefix": {"平江"}, "cursor": {"2"}}} {
		code, _, b = fetch(t, http.MethodGet, base+"/suggest/entity", q)
		if code != 200 {
			t.Fatalf("suggest entity %v: %d %s", q, code, b)
		}
		validate(t, sch["suggest-entities-response"], "suggest entity "+q.Encode(), b)
	}
	_, _, b = fetch(t, http.MethodGet, base+"/suggest/entity", url.Values{"prefix": {"平江"}})
	if !strings.Contains(string(b), `"平江路"`) {
		t.Errorf("suggest 平江 lacks 平江路: %s", b)
	}
	_, _, b = fetch(t, http.MethodGet, base+"/suggest/type", url.Values{"prefix": {"湖"}})
	validate(t, sch["suggest-types-response"], "suggest type", b)
	if !strings.Contains(string(b), `"陆地水系/湖泊"`) {
		t.Errorf("suggest type 湖 lacks 陆地水系/湖泊: %s", b)
	}
	_, _, b = fetch(t, http.MethodGet, base+"/suggest/property", url.Values{"prefix": {"pin"}})
	validate(t, sch["suggest-properties-response"], "suggest property", b)
	if !strings.Contains(string(b), `"pinyin"`) {
		t.Errorf("suggest property pin lacks pinyin: %s", b)
	}

	ext := `{"ids": ["1400", "100001", "999999999"], "properties": [{"id": "pinyin"}, {"id": "category"}, {"id": "admin"},
		{"id": "lat"}, {"id": "lon"}, {"id": "coord_method"}, {"id": "other_names"}, {"id": "standard_name"}]}`
	validate(t, sch["data-extension-query"], "the extension query", []byte(ext))
	code, _, b = fetch(t, http.MethodPost, base, url.Values{"extend": {ext}})
	if code != 200 {
		t.Fatalf("extend: %d %s", code, b)
	}
	validate(t, sch["data-extension-response"], "data extension", b)
	var er struct {
		Rows map[string]map[string][]map[string]any `json:"rows"`
	}
	json.Unmarshal(b, &er)
	if v := er.Rows["1400"]["pinyin"]; len(v) != 1 || v[0]["str"] != "Píngjiāng Lù" {
		t.Errorf("pinyin of 平江路: %v", v)
	}
	if v := er.Rows["1400"]["admin"]; len(v) != 2 || v[1]["name"] != "姑苏区" {
		t.Errorf("admin of 平江路: %v", v)
	}
	if v := er.Rows["100001"]["other_names"]; !strings.Contains(jsonText(v), "平江府 (historical, 1113–1276)") {
		t.Errorf("other names of 苏州市: %v", v)
	}
	if len(er.Rows["999999999"]) != 8 || len(er.Rows["999999999"]["pinyin"]) != 0 {
		t.Errorf("an unknown id must get an empty row: %v", er.Rows["999999999"])
	}

	code, _, b = fetch(t, http.MethodGet, base+"/properties", url.Values{"type": {"行政区域"}, "limit": {"3"}})
	var pp struct {
		Type       string              `json:"type"`
		Properties []map[string]string `json:"properties"`
	}
	if json.Unmarshal(b, &pp); code != 200 || pp.Type != "行政区域" || len(pp.Properties) != 3 {
		t.Errorf("proposed properties: %d %s", code, b)
	}
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestPreview checks the flyout card: the standard name first, the
// historical names with dates, a link, and headers that let OpenRefine
// frame it but run no script.
func TestPreview(t *testing.T) {
	srv := testServer(t)
	code, h, b := fetch(t, http.MethodGet, srv.URL+"/reconcile/preview", url.Values{"id": {"100001"}})
	body := string(b)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("preview: %d %s", code, h.Get("Content-Type"))
	}
	for _, want := range []string{"<h1>苏州市</h1>", "Sūzhōu Shì", "平江府 (historical, 1113–1276)", "/place/100001"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q:\n%s", want, body)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "script-src") {
		t.Errorf("preview CSP %q: must allow framing and no script", csp)
	}
	if code, _, _ := fetch(t, http.MethodGet, srv.URL+"/reconcile/preview", url.Values{"id": {"99999999"}}); code != 404 {
		t.Errorf("preview of an unknown id: %d, want 404", code)
	}
}

// TestBadRequests: every mistake a user or a client can make is a 400 that
// names the parameter and says what to write.
func TestBadRequests(t *testing.T) {
	srv := testServer(t)
	base := srv.URL + "/reconcile"
	many := map[string]Query{}
	for i := 0; i <= MaxBatch; i++ {
		many["q"+itoa(int64(i))] = Query{Query: "平江路"}
	}
	tooMany, _ := json.Marshal(many)
	cases := []struct {
		form        url.Values
		field, want string
	}{
		{url.Values{"queries": {`{"q0": {"query": "平江路"`}}, "queries", "JSON object"},
		{url.Values{"queries": {`{"q0": {"text": "平江路"}}`}}, "queries", "unknown member \"text\""},
		{url.Values{"queries": {`{"q0": {"query": 5}}`}}, "queries", "wrong kind of value"},
		{url.Values{"queries": {`{"q0": {"query": "平江路", "type": "街道街巷"}}`}}, "queries.q0.type", "unknown type"},
		{url.Values{"queries": {`{"q0": {"query": "平江路", "properties": [{"pid": "colour", "v": "red"}]}}`}}, "queries.q0.properties[0].pid", "admin, year, point"},
		{url.Values{"queries": {`{"q0": {"query": "平江路", "properties": [{"pid": "year", "v": "Ming"}]}}`}}, "queries.q0.properties[0].v", "year must be"},
		{url.Values{"queries": {`{"q0": {"query": "平江路", "properties": [{"pid": "point", "v": "120.6"}]}}`}}, "queries.q0.properties[0].v", "lat,lon"},
		{url.Values{"queries": {`{"q0": {"query": ""}}`}}, "queries.q0.query", "give the text"},
		{url.Values{"queries": {string(tooMany)}}, "queries", "at most 100"},
		{url.Values{"extend": {`{"ids": ["1"], "properties": [{"id": "colour"}]}`}}, "extend.properties[0].id", "unknown property"},
		{url.Values{"callback": {"alert(1)//"}}, "callback", "JavaScript identifier"},
	}
	for _, c := range cases {
		code, _, b := fetch(t, http.MethodPost, base, c.form)
		var e struct {
			Error struct{ Code, Message, Field string }
		}
		json.Unmarshal(b, &e)
		if code != 400 || e.Error.Field != c.field || !strings.Contains(e.Error.Message, c.want) {
			t.Errorf("%v: %d %s; want 400 naming %s with %q", c.form, code, b, c.field, c.want)
		}
		if strings.Contains(e.Error.Message, "reconcile.") || strings.Contains(e.Error.Message, "json.") {
			t.Errorf("message shows a Go name: %s", e.Error.Message)
		}
	}
	if code, _, b := fetch(t, http.MethodGet, base+"/suggest/entity", nil); code != 400 || !strings.Contains(string(b), "prefix") {
		t.Errorf("suggest without prefix: %d %s", code, b)
	}
}

// TestPreflight: a browser client's CORS preflight is answered without
// touching the service.
func TestPreflight(t *testing.T) {
	srv := testServer(t)
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/reconcile", nil)
	req.Header.Set("Origin", "http://openrefine.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestNoIndex: while the search index is being built, queries answer 503
// with Retry-After, and the manifest is still served.
func TestNoIndex(t *testing.T) {
	st, _ := fixture(t)
	srv := httptest.NewServer(New(st, nil, Options{Logf: t.Logf}))
	defer srv.Close()
	if code, _, _ := fetch(t, http.MethodGet, srv.URL+"/reconcile", nil); code != 200 {
		t.Errorf("manifest without index: %d", code)
	}
	code, h, _ := fetch(t, http.MethodGet, srv.URL+"/reconcile", url.Values{"queries": {`{"q0":{"query":"平江路"}}`}})
	if code != 503 || h.Get("Retry-After") == "" {
		t.Errorf("queries without index: %d, Retry-After %q", code, h.Get("Retry-After"))
	}
}

// TestAdminNamesFollowTheStore: the admin names the service keeps are read
// again once the store changes, so a county added by an import is
// understood by the next batch.
func TestAdminNamesFollowTheStore(t *testing.T) {
	st, ix := fixture(t)
	s := New(st, ix, Options{}).(*service)
	ctx := context.Background()
	raw, _ := json.Marshal("测试新区")
	q := map[string]Query{"q": {Query: "破楚门", Properties: []PropertyValue{{PID: "admin", V: raw}}}}
	res, err := s.Reconcile(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := res["q"].Result; len(got) == 0 || got[0].Match {
		t.Fatalf("an unknown county: %+v, want candidates and no match", got)
	}
	p := &gazetteer.Place{ID: 990001, Name: "测试新区", Code: "320599", Level: "county", Status: gazetteer.StatusCurrent,
		Category: gazetteer.Category{Class: "行政区域", Subclass: "市辖区"}, Admin: []string{"3205"}}
	if _, err := st.PutAll(ctx, []gazetteer.Input{{Place: p}}, gazetteer.Change{Actor: "test"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err = s.Reconcile(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := res["q"].Result; len(got) != 0 {
		t.Errorf("破楚门 within the new county 测试新区: %+v, want none (it lies in 姑苏区)", got)
	}
}
