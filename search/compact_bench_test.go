package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkCompactGenerated builds the compact index of a static site
// (WriteCompact, what the browser downloads) for 100,000 generated names
// (genPlaces; WUMEN_BENCH_N changes the number) and reports its size raw
// and gzip-compressed (issue 22's budget: ≤ 8 MB), the time to open it
// (OpenCompact, natively) and autocomplete latency on it, natively; the
// browser's figures are site's BenchmarkBrowserStaticSearch's.
func BenchmarkCompactGenerated(b *testing.B) {
	n := 100_000
	if s := os.Getenv("WUMEN_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ps := genPlaces(b, n)
	ix, err := Build(filepath.Join(b.TempDir(), "ix"), eachOf(ps))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var raw bytes.Buffer
	if err := ix.WriteCompact(&raw, nil); err != nil {
		b.Fatal(err)
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(raw.Bytes())
	zw.Close()
	t0 := time.Now()
	cx, err := OpenCompact(bytes.NewReader(raw.Bytes()))
	if err != nil {
		b.Fatal(err)
	}
	open := time.Since(t0)
	qs := makeQueries(ps, 2000)
	ctx := context.Background()
	var typed []string
	for _, q := range qs.prefix {
		rs := []rune(q)
		for k := 1; k <= len(rs); k++ {
			typed = append(typed, string(rs[:k]))
		}
	}
	b.ResetTimer()
	latencies(b, typed, func(q string) error {
		_, err := cx.Autocomplete(ctx, Query{Text: q, Size: 8})
		return err
	})
	b.ReportMetric(float64(nameCount(ps)), "names")
	b.ReportMetric(float64(raw.Len())/1e6, "raw-MB")
	b.ReportMetric(float64(z.Len())/1e6, "gzip-MB")
	b.ReportMetric(open.Seconds(), "open-s")
}
