package ogc

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	"wumen/gazetteer/storetest"
)

// BenchmarkItems times one items page of the shipped dataset: the plain
// first page (SQL pages it), the same page filtered by CQL2 (every place
// decoded and tested), sorted by sortby, and in EPSG:4490. It reports p50
// and p99 per request; the plain page is the baseline.
func BenchmarkItems(b *testing.B) {
	h := New(storetest.Shipped(b), Options{Logf: b.Logf})
	for _, bc := range []struct{ name, query string }{
		{"plain", "limit=100"},
		{"filter", "limit=100&filter=" + url.QueryEscape("category = '交通运输设施' OR admin LIKE '320508%'")},
		{"sortby", "limit=100&sortby=-rank,name"},
		{"crs4490", "limit=100&crs=" + url.QueryEscape(EPSG4490)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var d []time.Duration
			for b.Loop() {
				start := time.Now()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ogc/collections/places/items?"+bc.query, nil))
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
				d = append(d, time.Since(start))
			}
			sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
			b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
		})
	}
}
