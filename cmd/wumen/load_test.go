package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load smoke runs for -load.duration (5 s in CI; the long version is
// -load.duration=30m, README "Reliability").
var loadDuration = flag.Duration("load.duration", 5*time.Second, "how long the load smoke runs")

// loadPaths are what the public asks of a server: pages in both languages,
// search, autocomplete, reverse, the API, tiles, OGC API items and the
// reconciliation service.
var loadPaths = []string{
	"/", "/en/", "/place/51/shantang-jie", "/en/place/51/shantang-jie", "/map", "/walks", "/browse/az/S",
	"/search?q=%E5%B1%B1%E5%A1%98", "/api/v1/search?text=shantang", "/api/v1/autocomplete?text=hu",
	"/api/v1/search?text=%E6%A1%A5&facets=1", "/api/v1/reverse?lat=31.3&lon=120.62",
	"/api/v1/places/51", "/api/v1/places?limit=50", "/tiles/12/3420/1672.mvt", "/tiles/9/427/209.mvt",
	"/ogc/collections/places/items?limit=20", "/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22%E5%B1%B1%E5%A1%98%E8%A1%97%22%7D%7D",
	"/healthz",
}

// TestLoadSmoke loads a real server with 16 clients for -load.duration
// while an import writes to its store, and wants no error at all: no
// refused connection, no 5xx, no 4xx (the rate limit is raised for the
// run, as an operator behind a proxy would), and search agreeing with the
// store afterwards.
func TestLoadSmoke(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.json")
	os.WriteFile(cfg, []byte(`{"rate_limit": 1000000, "burst": 1000000}`), 0o644)
	srv := startServer(t, db, "--config", cfg)
	defer srv.stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), *loadDuration)
	defer cancel()
	var n, failed atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, 16)
	var wg sync.WaitGroup
	for g := range lat {
		wg.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for i := g; ctx.Err() == nil; i++ {
				path := loadPaths[i%len(loadPaths)]
				start := time.Now()
				resp, err := client.Get(srv.base + path)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 400 {
						err = fmt.Errorf("%s: HTTP %d", path, resp.StatusCode)
					}
				}
				if err != nil && ctx.Err() == nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				lat[g] = append(lat[g], time.Since(start))
				n.Add(1)
			}
		})
	}
	// A write while the load runs: the import lands and search finds it.
	time.Sleep(*loadDuration / 3)
	if code, _, errs := wumen(t, "import", "--quiet", "--db", db, batchFile(t, dir, 9000, 5)); code != 0 {
		t.Errorf("import during the load: %d %s", code, errs)
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		t.Errorf("%d of %d requests failed; the first: %v", f, n.Load()+f, firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		t.Fatal("no request was answered")
	}
	t.Logf("%d requests in %v (%.0f/s), p50 %v, p99 %v, 0 errors wanted, %d seen", len(all), *loadDuration,
		float64(len(all))/loadDuration.Seconds(), all[len(all)/2], all[len(all)*99/100], failed.Load())
	deadline := time.Now().Add(10 * time.Second)
	for !srv.found(t, testName(9000), 809000) && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if !srv.found(t, testName(9000), 809000) {
		t.Error("the place imported during the load is not found")
	}
	srv.agrees(t)
}
