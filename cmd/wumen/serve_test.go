package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a serve trial")
	}
	db := seeded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"serve", "--quiet", "--db", db, "--addr", "127.0.0.1:0"}, io.Discard, &stderr)
	}()
	addrRE := regexp.MustCompile(`"addr":"(http://127\.0\.0\.1:\d+)"`)
	var base string
	for i := 0; i < 300 && base == ""; i++ {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d: %s", c, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := get("/healthz"); st != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthz: %d %s", st, body)
	}
	st, body := get("/api/v1/places?category=城墙堡&limit=50")
	var fc struct {
		Type     string
		Features []struct{ Properties map[string]any }
	}
	if err := json.Unmarshal([]byte(body), &fc); st != 200 || err != nil || fc.Type != "FeatureCollection" || len(fc.Features) < 10 {
		t.Fatalf("places: %d %v %.300s", st, err, body)
	}
	if st, body := get("/api/v1/search?text=changmen"); st != 200 || !strings.Contains(body, "阊门") {
		t.Errorf("search: %d %.300s", st, body)
	}
	for path, want := range map[string]int{"/ogc/conformance": 200, "/notices": 200, "/officer/login": 200, "/api/v1/export?format=kml&category=城墙堡": 200,
		"/api/v1/places/0": 400, "/api/v1/places/999999999": 404, "/api/v1/search?text=": 400,
		"/reconcile": 200, "/reconcile/preview?id=51": 200,
		"/reconcile?queries=" + url.QueryEscape(`{"q0":{"query":"破楚门"}}`): 200} {
		if st, body := get(path); st != want {
			t.Errorf("%s: %d, want %d: %.200s", path, st, want, body)
		}
	}
	if _, body := get("/browse/az/T"); strings.Contains(body, "桃坞新巷") {
		t.Fatal("the browse list shows a place before it was imported")
	}
	// A write by another process — a command-line import while the server
	// runs — reaches the server's search index.
	rec := filepath.Join(t.TempDir(), "new.jsonl")
	os.WriteFile(rec, []byte(`{"id":900001,"name":"桃坞新巷","category":{"class":"交通运输设施","subclass":"道路街巷"},"status":"current","admin":["3205","320508"]}`+"\n"), 0o644)
	if c, _, errs := wumen(t, "import", "--quiet", "--db", db, rec); c != 0 {
		t.Fatalf("import while serving: %d %s", c, errs)
	}
	found := false
	for i := 0; i < 100 && !found; i++ {
		_, body := get("/api/v1/search?text=%E6%A1%83%E5%9D%9E%E6%96%B0%E5%B7%B7")
		found = strings.Contains(body, "900001")
		if !found {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !found {
		t.Error("a place imported by another process never became searchable")
	}
	// … and the browse list of its letter, made before the import, lists it.
	listed := false
	for i := 0; i < 100 && !listed; i++ {
		_, body := get("/browse/az/T")
		if listed = strings.Contains(body, "桃坞新巷"); !listed {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !listed {
		t.Error("a place imported by another process never reached its browse list")
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("serve exit %d: %s", c, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Error("no graceful shutdown logged")
	}
}

func TestBuildSiteWritesAStaticSite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the whole static site")
	}
	db := seeded(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := wumen(t, "build-site", "--quiet", "--db", db, "--base-url", "https://wumen.example.org", out); code != 0 {
		t.Fatalf("build-site: %d %s", code, stderr)
	}
	for _, f := range []string{"index.html", "tiles.pmtiles", "sitemap.xml", "robots.txt", "place/51.geojson", "en/index.html"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s missing from the static build", f)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "sitemap.xml")); !strings.Contains(string(b), "<loc>https://wumen.example.org/place/51/") {
		t.Error("sitemap locations are not absolute URLs of the base")
	}
	// Without a base URL nothing may point at a build-time host.
	rel := filepath.Join(t.TempDir(), "rel")
	if code, _, stderr := wumen(t, "build-site", "--quiet", "--db", db, rel); code != 0 {
		t.Fatalf("build-site: %d %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(rel, "index.html")); strings.Contains(string(b), "localhost") || !strings.Contains(string(b), `rel="canonical"`) {
		t.Error("a build without --base-url links to a host, or lost its canonical link")
	}
	if _, err := os.Stat(filepath.Join(rel, "sitemap.xml")); err == nil {
		t.Error("a sitemap with relative locations was written")
	}
	if code, _, _ := wumen(t, "build-site", "--db", db); code != exitUsage {
		t.Errorf("build-site without DIR: exit %d", code)
	}
}
