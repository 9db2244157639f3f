package site

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/formats"
	"wumen/search"
	"wumen/site/ogc"
	"wumen/site/reconcile"
)

// The OpenAPI document is checked against the code both ways: the routes it
// lists are the GET /api/v1/ routes in the source, the query parameters of
// each operation are the names its handler reads, every documented example
// answers 200 with a body matching the documented schema (no undocumented
// property), and every documented status is produced.

type oaDoc map[string]any

func loadOpenAPI(t *testing.T) oaDoc {
	t.Helper()
	var d oaDoc
	if err := json.Unmarshal(openAPIDoc, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// resolve follows a local $ref ("#/components/…").
func (d oaDoc) resolve(t *testing.T, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	for i := 0; m != nil && i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var cur any = map[string]any(d)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		if m, _ = cur.(map[string]any); m == nil {
			t.Fatalf("unresolved $ref %s", ref)
		}
	}
	return m
}

// oaOp is one documented GET operation.
type oaOp struct {
	path      string
	op        map[string]any
	params    []map[string]any // resolved
	responses map[string]any
}

func (d oaDoc) ops(t *testing.T) []oaOp {
	t.Helper()
	paths, _ := d["paths"].(map[string]any)
	var out []oaOp
	for p, item := range paths {
		get, _ := item.(map[string]any)["get"].(map[string]any)
		if get == nil {
			t.Errorf("%s: no get operation", p)
			continue
		}
		o := oaOp{path: p, op: get}
		ps, _ := get["parameters"].([]any)
		for _, x := range ps {
			o.params = append(o.params, d.resolve(t, x))
		}
		o.responses, _ = get["responses"].(map[string]any)
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func (o oaOp) param(name, in string) map[string]any {
	for _, p := range o.params {
		if p["name"] == name && p["in"] == in {
			return p
		}
	}
	return nil
}

func (o oaOp) queryNames() []string {
	var out []string
	for _, p := range o.params {
		if p["in"] == "query" {
			out = append(out, p["name"].(string))
		}
	}
	sort.Strings(out)
	return out
}

// exampleValue writes a parameter example as it goes in a URL (arrays as
// the form style without explode: comma-separated).
func exampleValue(t *testing.T, p map[string]any) string {
	t.Helper()
	ex, ok := p["example"]
	if !ok {
		t.Fatalf("parameter %v has no example", p["name"])
	}
	var one func(v any) string
	one = func(v any) string {
		switch v := v.(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(v)
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = one(x)
			}
			return strings.Join(parts, ",")
		}
		t.Fatalf("parameter %v: example %v of unexpected type", p["name"], v)
		return ""
	}
	return one(ex)
}

// request builds the URL of o from its path parameters' examples and the
// query parameters named (nil: every one).
func (o oaOp) request(t *testing.T, names []string) string {
	t.Helper()
	path := o.path
	q := url.Values{}
	for _, p := range o.params {
		name := p["name"].(string)
		switch p["in"] {
		case "path":
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(exampleValue(t, p)))
		case "query":
			if names == nil || slices.Contains(names, name) {
				q.Set(name, exampleValue(t, p))
			}
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path
}

// companions are the parameters a parameter needs to be valid: the other
// coordinate of its point or rectangle, the centre of a radius, and the text
// of a search (unless it is the text's alias).
func (o oaOp) companions(name string) []string {
	out := []string{name}
	for _, x := range o.params {
		n := x["name"].(string)
		if x["in"] != "query" || n == name {
			continue
		}
		if x["required"] == true {
			out = append(out, n)
		}
		if i, j := strings.LastIndex(name, "."), strings.LastIndex(n, "."); i > 0 && j > 0 && name[:i] == n[:j] {
			out = append(out, n)
		}
		if (name == "radius" || name == "boundary.circle.radius") && strings.HasPrefix(n, "point.") {
			out = append(out, n)
		}
		// A reverse lookup needs its point: point.lat/lon, or lat with lon.
		if o.path == "/api/v1/reverse" && (strings.HasPrefix(n, "point.") && name != "lat" && name != "lon" ||
			name == "lat" && n == "lon" || name == "lon" && n == "lat") {
			out = append(out, n)
		}
		if n == "text" && name != "q" {
			out = append(out, n)
		}
	}
	return out
}

// openAPIServer is the seeded test server with the export endpoint mounted
// as cmd/wumen mounts it, and no rate limit to speak of.
func openAPIServer(t *testing.T, mod func(*Config)) *Server {
	t.Helper()
	return newServer(t, func(c *Config) {
		c.RateLimit, c.Burst = 1e6, 1<<20 // this test asks a lot
		if mod != nil {
			mod(c)
		}
		c.Mounts = map[string]http.Handler{"GET /api/v1/export": ogc.New(c.Store, ogc.Options{Logf: t.Logf})}
		var idx reconcile.Index
		if c.Index != nil {
			idx = c.Index
		}
		rc := reconcile.New(c.Store, idx, reconcile.Options{Logf: t.Logf})
		for _, p := range reconcile.Routes() {
			c.Mounts[p] = rc
		}
	})
}

func TestOpenAPIDocument(t *testing.T) {
	d := loadOpenAPI(t)
	if v, _ := d["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", v)
	}
	info, _ := d["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil || info["license"] == nil {
		t.Errorf("info needs title, version and license: %v", info)
	}
	if desc, _ := info["description"].(string); !strings.Contains(desc, gazetteer.Attribution) || !strings.Contains(desc, "/ogc/api") {
		t.Error("info.description must carry the data attribution and point to /ogc/api")
	}
	if !reflect.DeepEqual(d["servers"], []any{map[string]any{"url": "/"}}) {
		t.Errorf("servers = %v", d["servers"])
	}
	// Every $ref resolves.
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["$ref"]; ok {
				d.resolve(t, v)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(map[string]any(d))
	ids := map[string]bool{}
	for _, o := range d.ops(t) {
		id, _ := o.op["operationId"].(string)
		if id == "" || ids[id] {
			t.Errorf("%s: operationId %q missing or repeated", o.path, id)
		}
		ids[id] = true
		seen := map[string]bool{}
		for _, p := range o.params {
			name, _ := p["name"].(string)
			in, _ := p["in"].(string)
			if name == "" || p["schema"] == nil || p["description"] == nil || seen[in+" "+name] {
				t.Errorf("%s: parameter %v lacks a name, schema or description, or is repeated", o.path, p)
			}
			seen[in+" "+name] = true
			if in == "path" && (p["required"] != true || !strings.Contains(o.path, "{"+name+"}")) {
				t.Errorf("%s: path parameter %s must be required and in the path", o.path, name)
			}
		}
		for _, seg := range strings.Split(o.path, "/") {
			if strings.HasPrefix(seg, "{") && o.param(strings.Trim(seg, "{}"), "path") == nil {
				t.Errorf("%s: path parameter %s is not declared", o.path, seg)
			}
		}
		for code, r := range o.responses {
			if d.resolve(t, r)["description"] == nil {
				t.Errorf("%s %s: response without a description", o.path, code)
			}
		}
		if o.responses["200"] == nil || o.responses["429"] == nil {
			t.Errorf("%s: 200 and 429 must be documented", o.path)
		}
	}
}

// apiRoutesInSource lists the GET /api/v1/ patterns the source registers:
// the site's routes, the OGC package's, and the mounts cmd/wumen adds.
func apiRoutesInSource(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, glob := range []string{"*.go", "ogc/*.go", "reconcile/*.go", "../cmd/wumen/serve.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	set := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && (strings.HasPrefix(s, "GET /api/v1/") || strings.HasPrefix(s, "GET /reconcile")) {
					set[strings.TrimPrefix(s, "GET ")] = true
				}
			}
			return true
		})
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) < 8 {
		t.Fatalf("found only %d API routes in the source: %v", len(out), out)
	}
	return out
}

// paramTables maps each package variable of a file named …Params whose
// value lists strings to those strings.
func paramTables(af *ast.File) map[string][]string {
	out := map[string][]string{}
	for _, decl := range af.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasSuffix(name.Name, "Params") || i >= len(vs.Values) {
					continue
				}
				cl, ok := vs.Values[i].(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, e := range cl.Elts {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out[name.Name] = append(out[name.Name], s)
					}
				}
			}
		}
	}
	return out
}

func TestOpenAPIRoutes(t *testing.T) {
	d := loadOpenAPI(t)
	var documented []string
	for _, o := range d.ops(t) {
		documented = append(documented, o.path)
	}
	if src := apiRoutesInSource(t); !slices.Equal(src, documented) {
		t.Errorf("routes in the source:\n  %v\ndocumented paths:\n  %v", src, documented)
	}
	// Each documented path is served by exactly that pattern.
	s := openAPIServer(t, nil)
	for _, o := range d.ops(t) {
		req := httptest.NewRequest(http.MethodGet, o.request(t, []string{}), nil)
		if _, pattern := s.mux.Handler(req); pattern != "GET "+o.path {
			t.Errorf("%s is served by pattern %q", o.path, pattern)
		}
	}
}

// paramNamesInSource lists the string literals the given functions read as
// URL parameters: get("a", "b"), v.Get("a"), point("p") (p.lat, p.lon),
// and the names in a table of parameters (a package variable named
// …Params, a list of strings) the functions use.
func paramNamesInSource(t *testing.T, file string, funcs ...string) []string {
	t.Helper()
	af, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	tables := paramTables(af)
	set := map[string]bool{}
	found := 0
	for _, decl := range af.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || !slices.Contains(funcs, fd.Name.Name) {
			continue
		}
		found++
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				for _, name := range tables[id.Name] {
					set[name] = true
				}
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch f := call.Fun.(type) {
			case *ast.Ident:
				fn = f.Name
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			}
			if fn != "get" && fn != "Get" && fn != "point" {
				return true
			}
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, _ := strconv.Unquote(lit.Value)
				if fn == "point" {
					set[s+".lat"], set[s+".lon"] = true, true
				} else {
					set[s] = true
				}
			}
			return true
		})
	}
	if found != len(funcs) {
		t.Fatalf("%s: found %d of the functions %v", file, found, funcs)
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// union merges sorted name lists.
func union(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, s := range l {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIParametersMatchHandlers(t *testing.T) {
	d := loadOpenAPI(t)
	sources := map[string][]string{
		"/api/v1/search":              paramNamesInSource(t, "../search/query.go", "ParseQuery", "bbox", "point", "radius"),
		"/api/v1/autocomplete":        paramNamesInSource(t, "../search/query.go", "ParseQuery", "bbox", "point", "radius"),
		"/api/v1/places":              union(paramNamesInSource(t, "api.go", "ParseFilter"), paramNamesInSource(t, "../gazetteer/filter.go", "ParseFilter")),
		"/api/v1/reverse":             union(paramNamesInSource(t, "api_reverse.go", "handleReverse", "reversePoint"), paramNamesInSource(t, "api_search.go", "sizeParam")),
		"/api/v1/places/{id}/nearby":  paramNamesInSource(t, "api_search.go", "handleNearby", "sizeParam"),
		"/api/v1/export":              union(paramNamesInSource(t, "ogc/export.go", "export"), paramNamesInSource(t, "../gazetteer/filter.go", "ParseFilter")),
		"/api/v1/places/{id}":         paramNamesInSource(t, "api.go", "handlePlace"),
		"/api/v1/walks":               nil,
		"/api/v1/openapi.json":        nil,
		"/reconcile":                  paramNamesInSource(t, "reconcile/reconcile.go", "root", "reply"),
		"/reconcile/preview":          paramNamesInSource(t, "reconcile/suggest.go", "preview"),
		"/reconcile/suggest/entity":   paramNamesInSource(t, "reconcile/suggest.go", "suggestEntity", "cursorParam"),
		"/reconcile/suggest/type":     paramNamesInSource(t, "reconcile/suggest.go", "suggestType", "cursorParam"),
		"/reconcile/suggest/property": paramNamesInSource(t, "reconcile/suggest.go", "suggestProperty", "cursorParam"),
		"/reconcile/properties":       paramNamesInSource(t, "reconcile/extend.go", "proposeProperties"),
	}
	for _, o := range d.ops(t) {
		want, ok := sources[o.path]
		if !ok {
			t.Errorf("%s: no handler source known to this test: add it to sources", o.path)
			continue
		}
		if got := o.queryNames(); !slices.Equal(got, want) {
			t.Errorf("%s: documented query parameters\n  %v\nread by the handler\n  %v", o.path, got, want)
		}
	}
}

// TestOpenAPISearchParameters checks every documented parameter of search
// with search.ParseQuery itself: its example (with what it needs) is valid.
func TestOpenAPISearchParameters(t *testing.T) {
	d := loadOpenAPI(t)
	for _, o := range d.ops(t) {
		if o.path != "/api/v1/search" {
			continue
		}
		all, err := url.ParseQuery(strings.SplitN(o.request(t, nil), "?", 2)[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := search.ParseQuery(all); err != nil {
			t.Errorf("every example together: %v", err)
		}
		for _, p := range o.params {
			name := p["name"].(string)
			u := o.request(t, o.companions(name))
			v, _ := url.ParseQuery(strings.SplitN(u, "?", 2)[1])
			if _, err := search.ParseQuery(v); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		return
	}
	t.Fatal("/api/v1/search is not documented")
}

func TestOpenAPIExportFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: exports the dataset in every format")
	}
	d := loadOpenAPI(t)
	var exp oaOp
	for _, o := range d.ops(t) {
		if o.path == "/api/v1/export" {
			exp = o
		}
	}
	if exp.op == nil {
		t.Fatal("/api/v1/export is not documented")
	}
	p := exp.param("format", "query")
	schema := d.resolve(t, p["schema"])
	var enum []string
	for _, v := range schema["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	known := formats.Exports()
	sort.Strings(enum)
	if !slices.Equal(enum, known) {
		t.Errorf("documented formats %v, the format registry's %v", enum, known)
	}
	for _, f := range []string{"jsonl", "geojson", "geojsonl", "csv"} {
		if !slices.Contains(enum, f) {
			t.Errorf("format %s not documented", f)
		}
	}
	content := d.resolve(t, exp.responses["200"])["content"].(map[string]any)
	h := openAPIServer(t, nil).Handler()
	for _, f := range known {
		ft, _ := formats.Get(f)
		ct := mediaType(ft.MediaType)
		if content[ct] == nil {
			t.Errorf("format %s: content type %s not documented", f, ct)
		}
		r := get(t, h, "/api/v1/export?ids=51&format="+f)
		if r.code != 200 || mediaType(r.h.Get("Content-Type")) != ct {
			t.Errorf("export %s: %d %s", f, r.code, r.h.Get("Content-Type"))
		}
	}
}

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// status is a documented status seen answered.
type status struct {
	path string
	code string
}

func TestOpenAPIExamplesAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: asks every example of the OpenAPI document")
	}
	d := loadOpenAPI(t)
	ops := d.ops(t)
	s := openAPIServer(t, nil)
	h := s.Handler()
	seen := map[status]bool{}
	check := func(o oaOp, u string, r response) {
		t.Helper()
		code := strconv.Itoa(r.code)
		resp := o.responses[code]
		if resp == nil {
			t.Errorf("GET %s: status %d not documented: %s", u, r.code, r.body)
			return
		}
		seen[status{o.path, code}] = true
		content, _ := d.resolve(t, resp)["content"].(map[string]any)
		if r.code == http.StatusNotModified {
			return
		}
		ct := r.h.Get("Content-Type")
		mt, ok := content[ct].(map[string]any)
		if !ok {
			mt, ok = content[mediaType(ct)].(map[string]any)
		}
		if !ok {
			t.Errorf("GET %s: content type %q not documented for %d", u, ct, r.code)
			return
		}
		if !strings.Contains(mediaType(ct), "json") || strings.HasSuffix(ct, "-seq") || strings.HasPrefix(ct, "application/jsonl") {
			return
		}
		var body any
		if err := json.Unmarshal([]byte(r.body), &body); err != nil {
			t.Errorf("GET %s: %v", u, err)
			return
		}
		for _, e := range validate(d, mt["schema"], body, "body") {
			t.Errorf("GET %s: %s", u, e)
		}
	}
	for _, o := range ops {
		// Every example together, then each parameter with what it needs.
		u := o.request(t, nil)
		r := get(t, h, u)
		if r.code != 200 {
			t.Errorf("GET %s: %d %s", u, r.code, r.body)
		}
		check(o, u, r)
		if etag := r.h.Get("ETag"); etag != "" {
			check(o, u, get(t, h, u, "If-None-Match", etag))
		}
		if r.h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: CORS not open", u)
		}
		for _, p := range o.params {
			if p["in"] != "query" {
				continue
			}
			u := o.request(t, o.companions(p["name"].(string)))
			r := get(t, h, u)
			if r.code != 200 {
				t.Errorf("GET %s: %d %s", u, r.code, r.body)
			}
			check(o, u, r)
		}
	}

	// Every place, every walk and a search with facets match their schemas.
	byPath := map[string]oaOp{}
	for _, o := range ops {
		byPath[o.path] = o
	}
	for off := 0; ; off += 1000 {
		u := fmt.Sprintf("/api/v1/places?limit=1000&offset=%d", off)
		r := get(t, h, u)
		check(byPath["/api/v1/places"], u, r)
		var page struct{ Features []any }
		json.Unmarshal([]byte(r.body), &page)
		if len(page.Features) < 1000 {
			break
		}
	}

	// The errors.
	for _, c := range []struct {
		path, u string
		code    int
	}{
		{"/api/v1/places/{id}", "/api/v1/places/x", 400},
		{"/api/v1/places/{id}", "/api/v1/places/99999999", 404},
		{"/api/v1/places", "/api/v1/places?limit=0", 400},
		{"/api/v1/places", "/api/v1/places?bbox=1,2,3", 400},
		{"/api/v1/places/{id}/nearby", "/api/v1/places/x/nearby", 400},
		{"/api/v1/places/{id}/nearby", "/api/v1/places/51/nearby?size=101", 400},
		{"/api/v1/places/{id}/nearby", "/api/v1/places/99999999/nearby", 404},
		{"/api/v1/search", "/api/v1/search?text=a&size=1000", 400},
		{"/api/v1/search", "/api/v1/search?text=a&year=9999", 400},
		{"/api/v1/autocomplete", "/api/v1/autocomplete?category=" + url.QueryEscape("道路街巷"), 400},
		{"/api/v1/reverse", "/api/v1/reverse?point.lat=100&point.lon=0", 400},
		{"/api/v1/export", "/api/v1/export?format=shp", 400},
		{"/api/v1/export", "/api/v1/export?crs=utm", 400},
		{"/reconcile", "/reconcile?queries=" + url.QueryEscape(`{"q0": {"query": "平江路", "type": "街巷类"}}`), 400},
		{"/reconcile/preview", "/reconcile/preview?id=x", 400},
		{"/reconcile/preview", "/reconcile/preview?id=99999999", 404},
		{"/reconcile/suggest/entity", "/reconcile/suggest/entity?prefix=a&cursor=-1", 400},
		{"/reconcile/suggest/type", "/reconcile/suggest/type?cursor=x", 400},
		{"/reconcile/suggest/property", "/reconcile/suggest/property?cursor=x", 400},
		{"/reconcile/properties", "/reconcile/properties?limit=0", 400},
	} {
		r := get(t, h, c.u)
		if r.code != c.code {
			t.Errorf("GET %s: %d, want %d", c.u, r.code, c.code)
		}
		check(byPath[c.path], c.u, r)
	}
	// Without an index the search answers 503.
	noIndex := openAPIServer(t, func(c *Config) { c.Index = nil }).Handler()
	for _, o := range ops {
		if o.responses["503"] == nil {
			continue
		}
		u := o.request(t, nil)
		r := get(t, noIndex, u)
		if r.code != 503 || r.h.Get("Retry-After") == "" {
			t.Errorf("GET %s without an index: %d", u, r.code)
		}
		check(o, u, r)
	}
	// Over the rate limit every path answers 429.
	limited := openAPIServer(t, func(c *Config) { c.RateLimit, c.Burst = 1e-9, 1 }).Handler()
	get(t, limited, "/api/v1/walks")
	for i := 0; i < bulkBurstFactor; i++ { // the bulk bucket of /api/v1/export (paging.go)
		get(t, limited, "/api/v1/export?format=shp")
	}
	for _, o := range ops {
		u := o.request(t, nil)
		r := get(t, limited, u)
		if r.code != 429 || r.h.Get("Retry-After") == "" {
			t.Errorf("GET %s over the limit: %d", u, r.code)
		}
		check(o, u, r)
	}

	// Every documented status was answered.
	for _, o := range ops {
		for code := range o.responses {
			if !seen[status{o.path, code}] {
				t.Errorf("%s: documented status %s never answered by this test", o.path, code)
			}
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	h := newServer(t, nil).Handler()
	r := get(t, h, "/api/v1/openapi.json", "Origin", "https://elsewhere.example")
	if r.code != 200 || r.h.Get("Content-Type") != openAPIType || r.h.Get("Access-Control-Allow-Origin") != "*" || r.body != string(openAPIDoc) {
		t.Fatalf("GET /api/v1/openapi.json: %d %q %q", r.code, r.h.Get("Content-Type"), r.h.Get("Access-Control-Allow-Origin"))
	}
	etag := r.h.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r := get(t, h, "/api/v1/openapi.json", "If-None-Match", etag); r.code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.code)
	}
	for _, p := range []string{"/about", "/en/about"} {
		mustContain(t, p, get(t, h, p).body, `href="/api/v1/openapi.json"`)
	}
}

// validate checks v against an OpenAPI 3.0 schema: types, nullable, enum,
// required, array sizes, bounds, date-times, and, stricter than the
// specification, no property the schema does not list unless it allows
// additional properties: the document must name everything the API returns.
func validate(d oaDoc, schemaV any, v any, at string) []string {
	schema, _ := schemaV.(map[string]any)
	if ref, ok := schema["$ref"].(string); ok {
		var cur any = map[string]any(d)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		return validate(d, cur, v, at)
	}
	if v == nil {
		if schema["nullable"] == true || len(schema) == 0 {
			return nil
		}
		return []string{at + ": null"}
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	for _, sub := range anyList(schema["allOf"]) {
		errs = append(errs, validate(d, sub, v, at)...)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		bad("%v not in %v", v, enum)
	}
	switch typ, _ := schema["type"].(string); typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("not an object")
			break
		}
		for _, r := range anyList(schema["required"]) {
			if _, ok := m[r.(string)]; !ok {
				bad("missing %s", r)
			}
		}
		props, _ := schema["properties"].(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				errs = append(errs, validate(d, ps, m[k], at+"."+k)...)
			} else if props != nil && schema["additionalProperties"] != true {
				bad("undocumented property %q", k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("not an array")
			break
		}
		if n, ok := schema["minItems"].(float64); ok && float64(len(a)) < n {
			bad("fewer than %v items", n)
		}
		if n, ok := schema["maxItems"].(float64); ok && float64(len(a)) > n {
			bad("more than %v items", n)
		}
		for i, x := range a {
			if len(errs) > 20 {
				break
			}
			errs = append(errs, validate(d, schema["items"], x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("not a string: %v", v)
			break
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				bad("not a date-time: %q", s)
			}
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok {
			bad("not a number: %v", v)
			break
		}
		if typ == "integer" && f != math.Trunc(f) {
			bad("not an integer: %v", f)
		}
		if lo, ok := schema["minimum"].(float64); ok && (f < lo || f == lo && schema["exclusiveMinimum"] == true) {
			bad("%v below the minimum %v", f, lo)
		}
		if hi, ok := schema["maximum"].(float64); ok && f > hi {
			bad("%v above the maximum %v", f, hi)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("not a boolean: %v", v)
		}
	}
	return errs
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}
