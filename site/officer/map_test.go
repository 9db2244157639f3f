package officer

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestMapPages checks what the maps read: the map CSP only on the pages
// with a map, the drawing map beside a still-visible location field, and on
// the proposal page the geometry and the conflicting places, numbered like
// the findings, with the coordinates list as the static fallback.
func TestMapPages(t *testing.T) {
	srv, _, _ := testServer(t)
	ed := newClient(t, srv)
	ed.login("ed1")

	csp := func(path string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for _, c := range ed.c.Jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
		res, err := ed.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("Content-Security-Policy")
	}
	for _, path := range []string{"/officer/queue", "/officer/login", "/notices"} {
		if c := csp(path); !strings.Contains(c, "script-src 'none'") {
			t.Errorf("%s: CSP %q, want no script", path, c)
		}
	}
	c := csp("/officer/proposals/new")
	for _, want := range []string{"script-src 'self'", "worker-src 'self' blob:", "img-src 'self' data: blob:", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(c, want) {
			t.Errorf("form CSP %q lacks %q", c, want)
		}
	}
	if strings.Contains(c, "unsafe") {
		t.Errorf("form CSP %q allows unsafe sources", c)
	}

	_, body := ed.get("/officer/proposals/new")
	for _, want := range []string{`<textarea id="geometry" name="geometry"`, `<label for="geometry">`, `id="draw-wrap" hidden`,
		`src="/static/vendor/maplibre-gl.js"`, `src="/officer/static/map.js"`, `data-tiles="/tiles/{z}/{x}/{y}.mvt"`, `data-mode="draw"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %s", want)
		}
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(body) {
		t.Error("the form has an inline script")
	}
	if st, js := ed.get("/officer/static/map.js"); st != 200 || !strings.Contains(js, "maplibregl") {
		t.Errorf("/officer/static/map.js: %d", st)
	}

	// 山塘街 next to the fixture's 山塘街 (place 12) is a duplicate.
	st, _ := ed.post("/officer/proposals", form(ed.csrf, "kind", "naming", "name", "山塘街", "class", "交通运输设施", "subclass", "道路街巷",
		"geometry", `{"type":"Point","coordinates":[120.6,31.32]}`, "admin", "320508", "applicant", "姑苏区民政局", "reasons", "测试"))
	if st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	for _, path := range []string{"/officer/proposals/1", "/officer/proposals/1/report"} {
		_, body = ed.get(path)
		m := regexp.MustCompile(`data-places="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no data-places", path)
		}
		var places []struct {
			N        string
			ID       int64
			Name     string
			Lat, Lon float64
		}
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &places); err != nil {
			t.Fatalf("%s: data-places %s: %v", path, m[1], err)
		}
		found := false
		for _, p := range places {
			found = found || p.Name == "山塘街" && p.Lat > 31 && p.Lon > 120
			for _, n := range strings.Split(p.N, ", ") {
				if !strings.Contains(body, `id="finding-`+n+`"`) {
					t.Errorf("%s: place %s numbered %q, no such finding", path, p.Name, p.N)
				}
			}
		}
		if !found {
			t.Errorf("%s: 山塘街 not among the map's places %+v", path, places)
		}
		for _, want := range []string{`data-geometry="{&#34;type&#34;:&#34;Point&#34;`, `id="map-list"`, `31.320000, 120.600000`, `id="show-wrap" hidden`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
	}
	// The edit form hands the saved geometry to the drawing map.
	_, body = ed.get("/officer/proposals/1/edit")
	if !strings.Contains(body, `data-geometry="{&#34;type&#34;:&#34;Point&#34;,&#34;coordinates&#34;:[120.6,31.32]}"`) {
		t.Error("the edit form does not pass the saved geometry to the map")
	}
}
