package site

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestGlyphRangesAreNotServed: every glyph range is a 404, which makes
// MapLibre draw the labels with local fonts (the browser test sees them).
func TestGlyphRangesAreNotServed(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	for _, p := range []string{"/fonts/Noto%20Sans%20CJK%20SC/0-255.pbf", "/fonts/wumen/../../etc/passwd", "/fonts/wumen/abc.pbf"} {
		if r := get(t, h, p); r.code == 200 {
			t.Errorf("%s: %d", p, r.code)
		}
	}
}

func TestReadsAreOpenToEveryOriginAndCached(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	r := get(t, h, "/api/v1/places/51")
	if r.code != 200 || r.h.Get("Access-Control-Allow-Origin") != "*" || r.h.Get("Etag") == "" || r.h.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("place: %d %v", r.code, r.h)
	}
	if r2 := get(t, h, "/api/v1/places/51", "If-None-Match", r.h.Get("Etag")); r2.code != 304 {
		t.Errorf("conditional GET: %d", r2.code)
	}
	req := httptest.NewRequest(http.MethodOptions, "/api/v1/search?text=shantang", nil)
	req.Header.Set("Origin", "https://example.org")
	req.Header.Set("Access-Control-Request-Method", "GET")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
	if r := get(t, h, "/about"); r.h.Get("Access-Control-Allow-Origin") != "" {
		t.Error("pages need no CORS header")
	}
}

func TestSearchPageRejectsBadInputWith400(t *testing.T) {
	s := newServer(t, nil)
	r := get(t, s.Handler(), "/search?q="+strings.Repeat("长", 300))
	if r.code != 400 || r.h.Get("Cache-Control") != "no-store" || !strings.Contains(r.body, "text") {
		t.Errorf("long query: %d %q", r.code, r.h.Get("Cache-Control"))
	}
	if r := get(t, s.Handler(), "/search?q=shantang"); r.code != 200 || !strings.Contains(r.body, "山塘街") {
		t.Errorf("good query: %d", r.code)
	}
}
