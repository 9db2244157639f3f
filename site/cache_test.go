package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// TestCachedAnswersFollowTheStore: place pages and API answers come from
// the response cache, but a write through the store, or by another process
// on the same file, is shown at once (in process) or within the version
// poll (another process); a kept ETag gives 304 and a gzip answer decodes
// to the identity one.
func TestCachedAnswersFollowTheStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &gazetteer.Place{ID: 990001, Name: "缓存桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"},
		Status: gazetteer.StatusCurrent, Meaning: &gazetteer.Text{Text: "第一版含义", Source: "test"}}
	if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "cache test"}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(ctx, Config{Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	api := ts.URL + "/api/v1/places/990001"
	body := func(url string) string {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if b := body(api); !strings.Contains(b, "第一版含义") {
		t.Fatalf("first answer: %s", b)
	}
	body(api) // now kept

	// A write in this process shows at once.
	p.Meaning.Text = "第二版含义"
	if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "cache test"}); err != nil {
		t.Fatal(err)
	}
	if b := body(api); !strings.Contains(b, "第二版含义") {
		t.Errorf("after a write in process the API still answers %s", b)
	}

	// A write by another process (another store on the same file) shows
	// within the poll.
	other, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p.Meaning.Text = "第三版含义"
	if _, err := other.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "cache test"}); err != nil {
		t.Fatal(err)
	}
	other.Close()
	seen := false
	for deadline := time.Now().Add(10 * time.Second); !seen && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		seen = strings.Contains(body(api), "第三版含义")
	}
	if !seen {
		t.Errorf("a write by another process never reached the cached API answer")
	}

	// Conditional and compressed answers from the cache.
	resp, err := http.Get(api)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, api, nil)
	req.Header.Set("If-None-Match", etag)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: %v %v %v", etag, resp.StatusCode, err, resp.Header)
	}
	plain := body(api)
	for range 2 { // made, then kept
		req, _ = http.NewRequest(http.MethodGet, api, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("gzip answer: %v", resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		dec, _ := io.ReadAll(zr)
		if string(dec) != plain {
			t.Errorf("the gzip answer decodes to %q, the plain one is %q", dec, plain)
		}
	}

	// The place page follows too.
	page := ts.URL + "/place/990001"
	resp, err = http.Get(page) // redirected to the slug
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	final := resp.Request.URL.String()
	body(final)
	p.Meaning.Text = "第四版含义"
	if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "cache test"}); err != nil {
		t.Fatal(err)
	}
	if b := body(final); !strings.Contains(b, "第四版含义") {
		t.Errorf("after a write the place page is still the old one")
	}
}

// TestRequestBudget: a request that needs more than its time budget is
// stopped — the store's queries and the search honour the deadline — and
// answered 503 with what to do, as JSON on the API and as text on a page.
// (A budget of a nanosecond is spent before any handler starts.)
func TestRequestBudget(t *testing.T) {
	h := newServer(t, func(c *Config) { c.Budget = time.Nanosecond }).Handler()
	for _, path := range []string{"/api/v1/search?text=shantang", "/api/v1/places?limit=5", "/api/v1/reverse?lat=31.3&lon=120.62", "/place/51/shantang-jie"} {
		r := get(t, h, path)
		if r.code != http.StatusServiceUnavailable || r.h.Get("Retry-After") == "" || !strings.Contains(r.body, "narrow it") {
			t.Errorf("%s over its budget: %d %q", path, r.code, r.body)
		}
		if strings.HasPrefix(path, "/api/") && !strings.Contains(r.body, `"code":"timeout"`) {
			t.Errorf("%s: not a JSON timeout error: %s", path, r.body)
		}
	}
	if r := get(t, newServer(t, nil).Handler(), "/api/v1/search?text=shantang"); r.code != http.StatusOK {
		t.Errorf("with the default budget: %d", r.code)
	}
}
