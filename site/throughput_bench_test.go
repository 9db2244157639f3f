package site

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wumen/gazetteer"
)

// BenchmarkThroughput serves place pages and /api/v1/places/{id} over
// loopback to 16 concurrent keep-alive clients, cycling through every place
// of the shipped dataset, and beside each the same bytes from net/http's
// file server (the baseline of the same run). It reports requests a second
// and the p50/p99 latency; the clients share the machine's cores with the
// server, as a load generator on the same host does.
//
//	go test ./site -run '^$' -bench Throughput -benchtime 30000x
func BenchmarkThroughput(b *testing.B) {
	st, _ := fixture(b)
	srv := httptest.NewServer(newServer(b, func(c *Config) { c.RateLimit, c.Burst = 1e9, 1<<30 }).Handler())
	defer srv.Close()
	var pages, apis []string
	st.Each(context.Background(), gazetteer.Filter{}, func(p *gazetteer.Place) error {
		pages = append(pages, placePath(p))
		apis = append(apis, fmt.Sprintf("/api/v1/places/%d", p.ID))
		return nil
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	files := b.TempDir()
	for _, kind := range []struct {
		name  string
		paths []string
	}{{"place page", pages}, {"api place", apis}} {
		// The baseline: every response saved as a file and served by
		// http.FileServer.
		var names []string
		for i, p := range kind.paths {
			body := fetchBody(b, client, srv.URL+p)
			name := fmt.Sprintf("/%s-%d", kind.name[:3], i)
			if err := os.WriteFile(filepath.Join(files, name), body, 0o644); err != nil {
				b.Fatal(err)
			}
			names = append(names, name)
		}
		fsrv := httptest.NewServer(http.FileServer(http.Dir(files)))
		b.Run(kind.name+"/file server", func(b *testing.B) { load(b, client, fsrv.URL, names) })
		b.Run(kind.name+"/wumen", func(b *testing.B) { load(b, client, srv.URL, kind.paths) })
		fsrv.Close()
	}
}

func fetchBody(b *testing.B, c *http.Client, url string) []byte {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %v", url, resp.StatusCode, err)
	}
	return body
}

// load makes b.N requests from 16 goroutines, cycling through paths, and
// reports req/s, p50 and p99. Any answer but 200 fails the benchmark.
func load(b *testing.B, c *http.Client, base string, paths []string) {
	const clients = 16
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for g := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				t := time.Now()
				resp, err := c.Get(base + paths[i%int64(len(paths))])
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					failed.Store(err)
					return
				}
				lat[g] = append(lat[g], time.Since(t))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/el.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
}
