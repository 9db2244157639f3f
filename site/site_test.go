package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/geo/pmtiles"
	"wumen/search"
	"wumen/site/internal/seeded"
)

// The fixture: one store seeded from the shipped dataset and its search
// index, shared by the tests of this package (they only read, except
// TestEscaping, which adds its own place).
var fix seeded.Fixture

// shantang is 山塘街 in the shipped dataset (data/heritage.jsonl).
const shantang = 51

// scratch is a folder for what the tests of this package build once and
// share (the static site); TestMain removes it.
var scratch string

func TestMain(m *testing.M) {
	var err error
	if scratch, err = os.MkdirTemp("", "wumen-site-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	fix.Close()
	os.RemoveAll(scratch)
	os.Exit(code)
}

func fixture(t testing.TB) (*gazetteer.Store, *search.Index) { return fix.Get(t) }

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newServer(t testing.TB, mod func(*Config)) *Server {
	t.Helper()
	st, ix := fixture(t)
	cfg := Config{Store: st, Index: ix, Logger: quietLog()}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type response struct {
	code int
	h    http.Header
	body string
}

func get(t testing.TB, h http.Handler, path string, hdr ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Result().Header, rec.Body.String()}
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func TestPages(t *testing.T) {
	h := newServer(t, nil).Handler()
	for _, tc := range []struct {
		path  string
		code  int
		wants []string
	}{
		{"/", 200, []string{`<html lang="zh-Hans"`, "跟着地名看苏州", `href="/walk/qili-shantang"`, "江苏省地名文化遗产保护名录", `name="q"`}},
		{"/en/", 200, []string{`<html lang="en"`, "Suzhou through its place names", "Featured walks", `hreflang="zh-Hans"`,
			"Jiangsu list of place-name cultural heritage: historic towns"}},
		{"/place/51/shantang-jie", 200, []string{
			`<h1 lang="zh-Hans" class="standard-name">山塘街</h1>`, "Shāntáng Jiē", "SHANTANG JIE",
			"姑苏区", "苏州市", "待核实", "白居易", "七里山塘", "俗称", "江苏省地名文化遗产保护名录",
			"31.320102, 120.597450", "31.317922, 120.601622", "±30 m", "/place/51.geojson", "引用本条目",
			`id="map"`, "maplibre-gl.js", `<link rel="canonical" href="http://example.com/place/51/shantang-jie">`,
			`property="og:title"`, `name="description"`}},
		{"/en/place/51/shantang-jie", 200, []string{`<html lang="en"`, "Names through time", `<span lang="zh-Hans">待核实</span> unverified`, "(Chinese only)", "Shāntáng Jiē",
			`<h1 lang="en" class="english-name">Shantang Street</h1>`, "China Daily"}},
		// a district reads in pinyin beside its characters on the English pages
		{"/en/browse/district/320508", 200, []string{`<h1><span lang="zh-Hans">姑苏区</span> <span class="pinyin" lang="zh-Latn-pinyin">Gūsū Qū</span></h1>`}},
		{"/en/browse", 200, []string{`<span lang="zh-Hans">姑苏区</span> <span class="pinyin" lang="zh-Latn-pinyin">Gūsū Qū</span>`,
			"Jiangsu list of place-name cultural heritage: historic towns"}},
		// a lane with no published English name: pinyin with its generic translated by GB/T 30240
		{"/en/place/1404/niujia-xiang", 200, []string{`<html lang="en"`, "Niǔjiā Xiàng", "Niujia Xiang (lane)", "Described (GB/T 30240)"}},
		{"/map", 200, []string{`data-tiles="/tiles/{z}/{x}/{y}.mvt"`, "maplibre-gl.js", "© OpenStreetMap contributors"}},
		{"/walks", 200, []string{"七里山塘：从阊门到虎丘"}},
		{"/walk/qili-shantang", 200, []string{`data-route="/walk/qili-shantang.geojson"`, "山塘街", `<ol class="stops">`}},
		{"/en/walk/qili-shantang", 200, []string{"Stops", `<span class="english-name" lang="en">Tiger Hill</span> <span lang="zh-Hans">虎丘</span>`,
			"Chinese only", `<span class="english-name" lang="en">Shantang Street</span>`, `<span class="description" lang="en">Wuren Mu (tomb)</span>`}},
		// English pages: the English name first, the characters and the pinyin beside it
		{"/en/place/1000/zhuozheng-yuan", 200, []string{`<h1 lang="en" class="english-name">Humble Administrator&#39;s Garden</h1>`,
			`<span lang="zh-Hans" class="standard-name">拙政园</span>`, "Zhuōzhèng Yuán", "official English name",
			"UNESCO World Heritage List 813", "World Heritage List: Classical Gardens of Suzhou"}},
		{"/en/place/1001/liu-yuan", 200, []string{`<h1 lang="en" class="english-name">Lingering Garden</h1>`, `<span class="name" lang="zh-Hans">东园</span>`, "Ming dynasty"}},
		{"/en/browse/category/%E5%85%AC%E5%9B%AD%E9%A3%8E%E6%99%AF%E5%8C%BA", 200, []string{
			`<span class="english-name" lang="en">Lingering Garden</span> <span class="name" lang="zh-Hans">留园</span>`}},
		{"/en/search?q=tiger+hill", 200, []string{`<span class="english-name" lang="en">Tiger Hill</span> <span class="name" lang="zh-Hans">虎丘</span>`}},
		{"/en/search?q=Shantang+street", 200, []string{`href="/en/place/51/shantang-jie"`}},
		{"/search?q=shantang", 200, []string{`<mark>山塘</mark>街`, `href="/place/51/shantang-jie"`}},
		{"/search", 200, []string{`<meta name="api-base" content="/api/v1">`, `data-autocomplete`}},
		{"/browse", 200, []string{"/browse/az/S", "/browse/district/320508"}},
		{"/browse/az/S", 200, []string{"山塘街"}},
		{"/browse/district/320508", 200, []string{"山塘街"}},
		{"/browse/category/%E9%81%93%E8%B7%AF%E8%A1%97%E5%B7%B7", 200, []string{"山塘街"}},
		{"/about", 200, []string{"© OpenStreetMap contributors", "CC BY 4.0", "国家统计局", `id="report"`}},
		{"/en/about", 200, []string{"How to report an error in a name"}},
		{"/place/999999999/x", 404, []string{"找不到这个页面"}},
		{"/browse/az/1", 404, nil},
		{"/no/such/page", 404, nil},
		{"/sitemap.xml", 200, []string{"<loc>http://example.com/place/51/shantang-jie</loc>", "http://example.com/en/place/51/shantang-jie"}},
		{"/robots.txt", 200, []string{"Sitemap: http://example.com/sitemap.xml"}},
	} {
		r := get(t, h, tc.path)
		if r.code != tc.code {
			t.Errorf("GET %s: status %d, want %d", tc.path, r.code, tc.code)
			continue
		}
		mustContain(t, tc.path, r.body, tc.wants...)
		if strings.HasPrefix(r.h.Get("Content-Type"), "text/html") {
			checkHTML(t, tc.path, r.body)
		}
	}
	// The map script loads only on pages with a map.
	if r := get(t, h, "/about"); strings.Contains(r.body, "maplibre-gl.js") {
		t.Error("/about loads the map script")
	}
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	scriptTag    = regexp.MustCompile(`<script[^>]*>`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
)

// checkHTML checks what every page must have: a title, a description, a
// canonical link, Open Graph tags, a skip link, and no inline script or
// style (the CSP forbids them).
func checkHTML(t *testing.T, path, body string) {
	t.Helper()
	mustContain(t, path, body, "<title>", `name="description"`, `rel="canonical"`, `property="og:title"`, `class="skip" href="#main"`, `<main id="main"`)
	if inlineScript.MatchString(body) {
		t.Errorf("%s: inline script", path)
	}
	for _, tag := range scriptTag.FindAllString(body, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("%s: script without src: %s", path, tag)
		}
	}
	if styleAttr.MatchString(body) {
		t.Errorf("%s: style attribute (blocked by the CSP)", path)
	}
}

func TestRedirects(t *testing.T) {
	h := newServer(t, nil).Handler()
	for path, want := range map[string]string{
		"/place/51":            "/place/51/shantang-jie",
		"/en/place/51":         "/en/place/51/shantang-jie",
		"/place/51/wrong-slug": "/place/51/shantang-jie",
		"/en":                  "/en/",
	} {
		r := get(t, h, path)
		if r.code != http.StatusMovedPermanently || r.h.Get("Location") != want {
			t.Errorf("GET %s: %d → %q, want 301 → %q", path, r.code, r.h.Get("Location"), want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Shāntáng Jiē": "shantang-jie", "Xī'ān": "xian", "Lǜ Hú": "lu-hu", "Dì-9 Lòng": "di-9-long", "": "place", "  ": "place",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// A place named like markup shows as text everywhere: page, lists, search,
// API.
func TestEscaping(t *testing.T) {
	st, _ := fixture(t)
	ctx := context.Background()
	evil := `<script>alert("x")</script>`
	pt := orb.Point{120.6, 31.3}
	p := &gazetteer.Place{Name: evil, Category: gazetteer.Category{Class: "建筑物"}, Geometry: pt, Label: &pt, Coord: &gazetteer.Coord{Method: "estimated", AccuracyM: 500},
		History: &gazetteer.Text{Text: `<img src=x onerror=alert(1)>`, Source: `<b>bold</b>`}}
	if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "escaping test"}); err != nil {
		t.Fatal(err)
	}
	h := newServer(t, nil).Handler()
	r := get(t, h, placePath(p))
	if r.code != 200 {
		t.Fatalf("status %d", r.code)
	}
	for _, bad := range []string{evil, `<img src=x`, `<b>bold</b>`} {
		if strings.Contains(r.body, bad) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	mustContain(t, "place page", r.body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, `&lt;img src=x onerror=alert(1)&gt;`)
	lst := get(t, h, "/browse/category/%E5%BB%BA%E7%AD%91%E7%89%A9")
	if strings.Contains(lst.body, evil) || !strings.Contains(lst.body, `&lt;script&gt;`) {
		t.Error("list page does not escape the name")
	}
	srch := get(t, h, "/search?q=script")
	if strings.Contains(srch.body, evil) {
		t.Error("search page contains the raw name")
	}
}

func TestHeaders(t *testing.T) {
	h := newServer(t, nil).Handler()
	r := get(t, h, "/")
	csp := r.h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "worker-src 'self' blob:", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe code: %q", csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Content-Language": "zh"} {
		if r.h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, r.h.Get(k), v)
		}
	}
	etag := r.h.Get("ETag")
	if etag == "" || !strings.Contains(r.h.Get("Cache-Control"), "max-age") {
		t.Fatalf("no ETag/Cache-Control: %v", r.h)
	}
	if r2 := get(t, h, "/", "If-None-Match", etag); r2.code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", r2.code)
	}
	// gzip: compressed body, its own ETag, and a 304 for it.
	gz := get(t, h, "/", "Accept-Encoding", "gzip")
	if gz.h.Get("Content-Encoding") != "gzip" || !strings.Contains(gz.h.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("not gzipped: %v", gz.h)
	}
	zr, err := gzip.NewReader(strings.NewReader(gz.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != r.body {
		t.Error("gzipped body differs from the plain one")
	}
	if ge := gz.h.Get("ETag"); ge == etag || !strings.HasSuffix(ge, `-gzip"`) {
		t.Errorf("gzip ETag %q", ge)
	} else if r3 := get(t, h, "/", "Accept-Encoding", "gzip", "If-None-Match", ge); r3.code != http.StatusNotModified {
		t.Errorf("gzip If-None-Match: %d", r3.code)
	}
	// Static assets: long-lived when versioned.
	js := get(t, h, "/static/js/site.js?v="+assetVersion("js/site.js"))
	if js.code != 200 || !strings.Contains(js.h.Get("Cache-Control"), "immutable") || !strings.HasPrefix(js.h.Get("Content-Type"), "text/javascript") {
		t.Errorf("static js: %d %v", js.code, js.h)
	}
	if r := get(t, h, "/static/vendor/VENDORED.md"); r.code != 404 {
		t.Errorf("VENDORED.md served: %d", r.code)
	}
}

func TestAPI(t *testing.T) {
	h := newServer(t, nil).Handler()
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Total int `json:"total"`
	}
	r := get(t, h, "/api/v1/autocomplete?text=shantang")
	if r.code != 200 || r.h.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("autocomplete: %d %v", r.code, r.h)
	}
	if err := json.Unmarshal([]byte(r.body), &fc); err != nil || len(fc.Features) == 0 {
		t.Fatalf("autocomplete: %v %s", err, r.body)
	}
	if p := fc.Features[0].Properties; p["name"] != "山塘街" || p["path"] != "/place/51/shantang-jie" {
		t.Errorf("first suggestion %v", p)
	}
	for path, code := range map[string]int{
		"/api/v1/search?text=pingjiang":                     200,
		"/api/v1/search?text=x&size=1000":                   400,
		"/api/v1/autocomplete?text=":                        400,
		"/api/v1/reverse?point.lat=31.32&point.lon=120.597": 200,
		"/api/v1/reverse?point.lat=abc&point.lon=1":         400,
		"/api/v1/places/51/nearby?size=3":                   200,
		"/api/v1/places/999999999/nearby":                   404,
		"/api/v1/places/51":                                 200,
		"/api/v1/walks":                                     200,
		"/place/51.geojson":                                 200,
		"/walk/qili-shantang.geojson":                       200,
		"/healthz":                                          200,
	} {
		r := get(t, h, path)
		if r.code != code {
			t.Errorf("GET %s: %d, want %d: %s", path, r.code, code, r.body)
		}
		if code == 400 {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal([]byte(r.body), &e) != nil || e.Error.Code != "invalid" || e.Error.Message == "" {
				t.Errorf("GET %s: error body %s", path, r.body)
			}
		}
	}
	var gj struct {
		Geometry struct {
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal([]byte(get(t, h, "/place/51.geojson").body), &gj); err != nil || gj.Properties["name"] != "山塘街" || len(gj.Geometry.Coordinates) != 2 {
		t.Errorf("place GeoJSON: %v %+v", err, gj)
	}
	m := get(t, h, "/metrics")
	mustContain(t, "/metrics", m.body, "wumen_http_requests_total", `route="GET /api/v1/autocomplete"`)
}

func TestSearchWithoutIndex(t *testing.T) {
	h := newServer(t, func(c *Config) { c.Index = nil }).Handler()
	if r := get(t, h, "/api/v1/search?text=x"); r.code != http.StatusServiceUnavailable {
		t.Errorf("search without index: %d", r.code)
	}
	if r := get(t, h, "/search?q=x"); r.code != 200 || !strings.Contains(r.body, "搜索服务暂时不可用") {
		t.Errorf("search page without index: %d", r.code)
	}
}

func TestRateLimit(t *testing.T) {
	h := newServer(t, func(c *Config) { c.RateLimit, c.Burst = 0.001, 3 }).Handler()
	for i := 0; i < 3; i++ {
		if r := get(t, h, "/api/v1/places/51"); r.code != 200 {
			t.Fatalf("request %d: %d", i, r.code)
		}
	}
	r := get(t, h, "/api/v1/places/51")
	if r.code != http.StatusTooManyRequests || r.h.Get("Retry-After") == "" || !strings.Contains(r.body, `"code":"too_many"`) {
		t.Errorf("over the limit: %d %v %s", r.code, r.h, r.body)
	}
	if r := get(t, h, "/"); r.code != 200 { // pages are not limited
		t.Errorf("page after API limit: %d", r.code)
	}
}

func TestBodyLimit(t *testing.T) {
	s := newServer(t, func(c *Config) {
		c.Mounts = map[string]http.Handler{"POST /echo": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.ReadAll(r.Body); err != nil {
				http.Error(w, "too big", http.StatusRequestEntityTooLarge)
			}
		})}
	})
	req := httptest.NewRequest(http.MethodPost, "/echo", bytes.NewReader(make([]byte, maxBody+1)))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", rec.Code)
	}
}

// The tile over 山塘街 at zoom 15 holds it in its class's layer; zoomed out,
// places come as clusters with counts.
func TestTiles(t *testing.T) {
	h := newServer(t, nil).Handler()
	tl := maptile.At(orb.Point{120.59745, 31.3201022}, 14)
	r := get(t, h, "/tiles/14/"+itoa(tl.X)+"/"+itoa(tl.Y)+".mvt")
	if r.code != 200 || r.h.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("tile: %d %v", r.code, r.h)
	}
	layers, err := mvt.Unmarshal([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range layers {
		for _, f := range l.Features {
			if f.Properties["name"] == "山塘街" && l.Name == "places" && f.Properties["class"] == "交通运输设施" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("山塘街 (交通运输设施) not in its tile's places layer")
	}
	// A place with an established English name carries it, for the English
	// map's labels and cards.
	tl = maptile.At(orb.Point{120.5751805, 31.332118}, 14)
	r = get(t, h, "/tiles/14/"+itoa(tl.X)+"/"+itoa(tl.Y)+".mvt")
	if layers, err = mvt.Unmarshal([]byte(r.body)); err != nil {
		t.Fatal(err)
	}
	en := map[any]any{}
	for _, l := range layers {
		for _, f := range l.Features {
			en[f.Properties["name"]] = f.Properties["name_en"]
		}
	}
	if en["虎丘"] != "Tiger Hill" || en["五人墓"] != nil {
		t.Errorf("Tiger Hill's tile gives English names %v", en)
	}
	low := maptile.At(orb.Point{120.62, 31.31}, 8)
	r = get(t, h, "/tiles/8/"+itoa(low.X)+"/"+itoa(low.Y)+".mvt")
	layers, err = mvt.Unmarshal([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, l := range layers {
		if l.Name == "clusters" {
			for _, f := range l.Features {
				n, _ := f.Properties["count"].(float64)
				total += int(n)
			}
		}
	}
	if total < 100 {
		t.Errorf("zoom 8 clusters count %d places, want the city's hundreds", total)
	}
	for _, bad := range []string{"/tiles/15/0/0.mvt", "/tiles/2/9/0.mvt", "/tiles/a/0/0.mvt", "/tiles/1/0/0.png"} {
		if r := get(t, h, bad); r.code != 404 {
			t.Errorf("%s: %d", bad, r.code)
		}
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

// The static build holds every page as dir/index.html, GeoJSON per place, a
// readable PMTiles archive, and a search page that says there is no API.
func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the whole static site")
	}
	st, _ := fixture(t)
	dir := t.TempDir()
	bs, err := Build(context.Background(), Config{Store: st, Logger: quietLog(), BaseURL: "https://wumen.example"}, dir, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bs.Pages < 2000 || bs.Tiles == 0 {
		t.Errorf("stats %+v", bs)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	mustContain(t, "index.html", read("index.html"), "跟着地名看苏州", `<link rel="canonical" href="https://wumen.example/">`)
	mustContain(t, "place page", read("place/51/shantang-jie/index.html"), "Shāntáng Jiē", `data-tiles="pmtiles:/tiles.pmtiles"`, "pmtiles.js")
	mustContain(t, "en place page", read("en/place/51/shantang-jie/index.html"), `<html lang="en"`)
	mustContain(t, "redirect page", read("place/51/index.html"), `http-equiv="refresh" content="0; url=/place/51/shantang-jie"`)
	mustContain(t, "search page", read("search/index.html"), `<meta name="api-base" content="">`, `id="noapi"`)
	mustContain(t, "place geojson", read("place/51.geojson"), `"name":"山塘街"`)
	mustContain(t, "walk geojson", read("walk/qili-shantang.geojson"), `"LineString"`)
	mustContain(t, "heritage list", read("browse/heritage/江苏省地名文化遗产保护名录/index.html"), "山塘街")
	mustContain(t, "sitemap", read("sitemap.xml"), "https://wumen.example/place/51/shantang-jie")
	mustContain(t, "404", read("404.html"), "找不到这个页面")
	read("static/vendor/maplibre-gl.js")
	// The service worker's list: the entry pages, the Wu-culture places, the
	// search and the tiles; not the villages; and sw.js of the same version.
	mustContain(t, "offline page", read("offline/index.html"), "离线")
	mustContain(t, "en offline page", read("en/offline/index.html"), `<html lang="en"`, "Offline")
	var pc Precache
	if err := json.Unmarshal([]byte(read("precache.json")), &pc); err != nil {
		t.Fatal(err)
	}
	urls := map[string]precacheFile{}
	var sum int64
	for _, f := range pc.Files {
		urls[f.URL] = f
		sum += f.Bytes
	}
	for _, u := range []string{"/", "/en/", "/place/51/shantang-jie/", "/en/walk/qili-shantang/", "/search/index.json", "/tiles.pmtiles", "/offline/", "/en/offline/", "/styles/large-en.json"} {
		if _, ok := urls[u]; !ok {
			t.Errorf("precache.json does not list %s", u)
		}
	}
	if f := urls["/tiles.pmtiles"]; f.Bytes != int64(len(read("tiles.pmtiles"))) || len(f.SHA256) != 64 {
		t.Errorf("precache.json lists the archive as %+v", f)
	}
	if bs.Precached != pc.Bytes || sum != pc.Bytes || pc.Bytes > 15_000_000 {
		t.Errorf("precache.json: %d bytes in its files, %d in its total, %d in the stats (at most 15 MB)", sum, pc.Bytes, bs.Precached)
	}
	mustContain(t, "sw.js", read("sw.js"), `var PRECACHE_VERSION = "`+pc.Version+`";`)
	// The shell, saved at install: the offline pages, styles, public
	// scripts, manifest and icons, under 200 KB; nothing of the search,
	// the map or the other pages until the visitor asks.
	var shell []string
	var shellBytes int64
	for _, f := range pc.Files {
		if f.Shell {
			shell = append(shell, f.URL)
			shellBytes += f.Bytes
		}
	}
	for _, u := range []string{"/offline/", "/en/offline/", "/static/css/site.css?v=" + assetVersion("css/site.css"), "/static/js/site.js?v=" + assetVersion("js/site.js"),
		"/static/manifest.webmanifest?v=" + assetVersion("manifest.webmanifest"), "/static/img/icon-192.png?v=" + assetVersion("img/icon-192.png")} {
		if !slices.Contains(shell, u) {
			t.Errorf("the shell (precache.json's files marked shell) does not hold %s: %v", u, shell)
		}
	}
	for _, u := range shell {
		if strings.Contains(u, "/search/") || strings.Contains(u, "/vendor/") || strings.Contains(u, "pmtiles") || u == "/" {
			t.Errorf("the shell holds %s", u)
		}
	}
	if shellBytes != pc.ShellBytes || shellBytes > 200_000 {
		t.Errorf("precache.json: the shell is %d bytes in its files, %d in its total (at most 200 KB)", shellBytes, pc.ShellBytes)
	}
	// The compact search index opens and finds what the server finds.
	cx, err := search.OpenCompact(strings.NewReader(read("search/index.json")))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := cx.Search(context.Background(), search.Query{Text: "shantang", Size: 3}); err != nil || len(r.Hits) == 0 || r.Hits[0].Name != "山塘街" {
		t.Errorf("compact index: shantang → %+v, %v", r, err)
	}
	f, err := os.Open(filepath.Join(dir, "tiles.pmtiles"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := pmtiles.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tl := maptile.At(orb.Point{120.59745, 31.3201022}, 14)
	tile, err := pr.Tile(14, tl.X, tl.Y)
	if err != nil || len(tile) == 0 {
		t.Fatalf("tile from archive: %v (%d bytes)", err, len(tile))
	}
	if layers, err := mvt.UnmarshalGzipped(tile); err != nil || len(layers) == 0 {
		t.Errorf("archive tile: %v", err)
	}
	// With an API configured, the static search page points at it.
	ss := newServer(t, func(c *Config) { c.APIBase, c.static = "https://api.example/", true })
	b := get(t, ss.mux, "/search").body
	if !strings.Contains(b, `<meta name="api-base" content="https://api.example/api/v1">`) || strings.Contains(b, `id="noapi"`) {
		t.Error("static search page ignores the configured API")
	}
}
