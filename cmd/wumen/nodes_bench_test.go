package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/stores"
)

// BenchmarkNodes measures search as visitors see it on each serving node
// while an officer positions villages through node 1: one node on a SQLite
// file, and three nodes on one PostgreSQL database, in the same run. Four
// clients per node search the names of the shipped places (and their first
// two characters, as autocomplete does) for three seconds; it reports each
// node's searches/s and p50/p99, and the writes made meanwhile.
//
//	go test -run '^$' -bench BenchmarkNodes -benchtime 1x ./cmd/wumen/
func BenchmarkNodes(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			dir := b.TempDir()
			db, nodes := seeded(b), 1
			if kind == "postgres" {
				db, nodes = initPostgres(b), 3
			}
			tok := officerToken(b, db, dir)
			queries := searchQueries(b, db)
			villages := awaitingVillages(b, db, 100)
			cfg := filepath.Join(dir, "serve.json")
			os.WriteFile(cfg, []byte(`{"rate_limit": 1000000, "burst": 1000000}`), 0o644)
			var ps []*process
			for i := range nodes {
				p := startServer(b, db, "--config", cfg, "--index", filepath.Join(dir, fmt.Sprintf("node%d.index", i+1)))
				b.Cleanup(p.kill)
				ps = append(ps, p)
			}
			b.ResetTimer()
			for range b.N {
				stop := make(chan struct{})
				writes := make(chan int, 1)
				go func() { writes <- positionVillages(ps[0], tok, villages, stop) }()
				lat := make([][]time.Duration, nodes)
				var wg sync.WaitGroup
				var mu sync.Mutex
				for i, p := range ps {
					for c := range 4 {
						wg.Go(func() {
							got := searchFor(b, p, queries, c, 3*time.Second)
							mu.Lock()
							lat[i] = append(lat[i], got...)
							mu.Unlock()
						})
					}
				}
				wg.Wait()
				close(stop)
				b.ReportMetric(float64(<-writes), "writes")
				for i, l := range lat {
					slices.Sort(l)
					q := func(f float64) float64 { return float64(l[int(f*float64(len(l)-1))].Microseconds()) / 1000 }
					b.ReportMetric(float64(len(l))/3, fmt.Sprintf("node%d-searches/s", i+1))
					b.ReportMetric(q(0.5), fmt.Sprintf("node%d-p50-ms", i+1))
					b.ReportMetric(q(0.99), fmt.Sprintf("node%d-p99-ms", i+1))
				}
			}
		})
	}
}

// initPostgres returns the URL of a new database with the embedded dataset
// (wumen init).
func initPostgres(tb testing.TB) string {
	tb.Helper()
	db := pgtest.URL(tb)
	if code, _, errs := wumen(tb, "init", "--quiet", "--db", db); code != 0 {
		tb.Fatalf("init: %d %s", code, errs)
	}
	return db
}

// officerToken adds an officer to the store at db and returns an API token.
func officerToken(tb testing.TB, db, dir string) string {
	tb.Helper()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("桥下流水人家 2026\n"), 0o600)
	if code, _, errs := wumen(tb, "user", "add", "wang", "--role", "admin", "--password-file", pw, "--db", db); code != 0 {
		tb.Fatalf("user add: %d %s", code, errs)
	}
	code, tok, errs := wumen(tb, "user", "token", "wang", "--label", "bench", "--db", db)
	if code != 0 {
		tb.Fatalf("user token: %d %s", code, errs)
	}
	return strings.TrimSpace(tok)
}

// searchQueries returns the names of the places of the store at db and
// their first two characters.
func searchQueries(tb testing.TB, db string) []string {
	tb.Helper()
	ctx := context.Background()
	st, _, err := stores.Open(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	var qs []string
	err = st.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
		qs = append(qs, p.Name)
		if r := []rune(p.Name); len(r) > 2 {
			qs = append(qs, string(r[:2]))
		}
		return nil
	})
	if err != nil || len(qs) == 0 {
		tb.Fatalf("reading the names to search: %v", err)
	}
	return qs
}

// searchFor searches node p for queries (starting at the c-th) for d and
// returns each answer's latency.
func searchFor(tb testing.TB, p *process, queries []string, c int, d time.Duration) []time.Duration {
	var out []time.Duration
	client := &http.Client{Timeout: 10 * time.Second}
	for i, end := c*97, time.Now().Add(d); time.Now().Before(end); i++ {
		t := time.Now()
		resp, err := client.Get(p.base + "/api/v1/search?q=" + url.QueryEscape(queries[i%len(queries)]))
		if err != nil {
			tb.Error(err)
			return out
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			tb.Errorf("search on %s: %s", p.base, resp.Status)
			return out
		}
		out = append(out, time.Since(t))
	}
	return out
}

// positionVillages positions villages through node until stop is closed
// or none is left, and returns how many writes it made.
func positionVillages(node *process, tok string, villages []villageToPlace, stop <-chan struct{}) int {
	client := &http.Client{Timeout: 10 * time.Second}
	for i, v := range villages {
		select {
		case <-stop:
			return i
		default:
		}
		if !officerPost(client, fmt.Sprintf("%s/officer/api/positions/%d", node.base, v.place.ID), tok, v.positionBody(), http.StatusOK, nil) {
			return i
		}
	}
	return len(villages)
}
