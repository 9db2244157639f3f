package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"wumen/gazetteer"
	"wumen/geo/gdaltest"
	"wumen/site/ogc"
)

// TestOGR2OGRReadsWholeService is the GIS user's bulk read: ogr2ogr with
// its default options (GDAL asks for 10 items a page and follows the next
// links) copies every collection of the OGC service, under the default rate
// limits, into a GeoPackage that holds every place.
func TestOGR2OGRReadsWholeService(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs ogr2ogr over the whole service")
	}
	s := withOGC(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "all.gpkg")
	gdaltest.Run(t, "ogr2ogr", "-f", "GPKG", out, "OAPIF:"+srv.URL+"/ogc")
	info, _ := gdaltest.Ogrinfo(t, "-so", out, "places")
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("no feature count in ogrinfo output:\n%s", info)
	}
	want, err := s.store.Count(context.Background(), gazetteer.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := strconv.Atoi(m[1]); got != want {
		t.Errorf("places layer has %d features, the store %d", got, want)
	}
}

// TestRateLimitStillStopsFloods: fresh queries (not the next page of the
// previous one) each cost a whole token, so a client hammering the items
// endpoint is told to wait, with Retry-After, once its burst is spent.
func TestRateLimitStillStopsFloods(t *testing.T) {
	s := withOGC(t, func(c *Config) { c.RateLimit, c.Burst = 1e-9, 4 }) // no refill during the test
	h := s.Handler()
	limited := 0
	for i := 0; i < 4*bulkBurstFactor+5; i++ {
		// A different bbox each time: never the continuation of the last page.
		r := get(t, h, fmt.Sprintf("/ogc/collections/places/items?f=json&bbox=120,31,121,%d.%d", 31, i+1))
		if r.code == http.StatusTooManyRequests {
			limited++
			if r.h.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		}
	}
	if limited < 5 {
		t.Errorf("%d of %d fresh queries refused; want at least 5", limited, 4*bulkBurstFactor+5)
	}
	// Another client paging through the collection by its next links is
	// not refused: 100 pages cost three tokens.
	for off := 0; off < 1000; off += 10 {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/ogc/collections/places/items?f=json&limit=10&offset=%d", off), nil)
		req.RemoteAddr = "198.51.100.7:4000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("page at offset %d: %d", off, rec.Code)
		}
	}
}

// withOGC is the test server with the OGC service mounted as wumen serve
// mounts it.
func withOGC(t *testing.T, mod func(*Config)) *Server {
	st, _ := fixture(t)
	o := ogc.New(st, ogc.Options{Logf: t.Logf})
	return newServer(t, func(c *Config) {
		c.Mounts = map[string]http.Handler{"/ogc": o, "/ogc/": o, "GET /api/v1/export": o}
		if mod != nil {
			mod(c)
		}
	})
}
