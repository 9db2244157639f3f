package reconcile

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"wumen/search"
)

// benchBatch is 100 queries from the relevance table (cycled), as one
// OpenRefine batch.
func benchBatch(b *testing.B) map[string]Query {
	t := &testing.T{}
	cases := readRelevance(t)
	batch := map[string]Query{}
	for i := 0; len(batch) < MaxBatch; i++ {
		batch[fmt.Sprint(i)] = cases[i%len(cases)].query
	}
	return batch
}

// BenchmarkBatch100 answers a batch of 100 reconciliation queries on the
// shipped data and reports the p50/p99 of one batch. BenchmarkSearch100 is
// the baseline in the same run: the same 100 texts through the site's
// search alone, no scoring, constraints or admin names.
//
//	go test ./site/reconcile -run '^$' -bench . -benchtime 200x
func BenchmarkBatch100(b *testing.B) {
	st, ix := fixture(b)
	s := New(st, ix, Options{}).(*service)
	batch := benchBatch(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := s.Reconcile(ctx, batch); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

func BenchmarkSearch100(b *testing.B) {
	_, ix := fixture(b)
	batch := benchBatch(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		for _, q := range batch {
			if _, err := ix.Search(ctx, search.Query{Text: q.Query, Size: search.MaxSize / 2}); err != nil {
				b.Fatal(err)
			}
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms/batch")
	b.ReportMetric(q(0.99), "p99-ms/batch")
}
