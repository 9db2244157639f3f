package site

import "testing"

func TestGlyphRangesAreEmptyAndCacheable(t *testing.T) {
	s := newServer(t, nil)
	h := s.Handler()
	r := get(t, h, "/fonts/wumen/0-255.pbf")
	if r.code != 200 || len(r.body) != 0 || r.h.Get("Content-Type") != "application/x-protobuf" || r.h.Get("Cache-Control") == "" {
		t.Errorf("glyph range: %d %q %v", r.code, r.body, r.h)
	}
	if r := get(t, h, "/fonts/wumen/../../etc/passwd"); r.code == 200 {
		t.Error("a path that is not a glyph range was served")
	}
	if r := get(t, h, "/fonts/wumen/abc.pbf"); r.code != 404 {
		t.Errorf("bad range: %d", r.code)
	}
	if n := len(glyphRanges()); n != 256 {
		t.Errorf("%d glyph ranges, want 256", n)
	}
}
