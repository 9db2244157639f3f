package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"syscall"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// genRecords and writeRecords generate census-shaped records
// (storetest.WriteRecords).
var (
	genRecords   = storetest.GenRecords
	writeRecords = storetest.WriteRecords
)

// BenchmarkImport measures a streamed import of generated records (100,000
// by default, WUMEN_BENCH_N to change) from a JSON Lines file into a fresh
// store — decoding, validation, romanization, revisions, names, admin
// parents and the R*Tree all kept — against the baseline measured in the
// same run: the same lines inserted as bare documents into a one-table
// SQLite file with one prepared statement. It reports both rates, their
// ratio, the import's records per CPU second of the process and its peak
// Go heap (sampled every 20 ms).
//
//	go test -run '^$' -bench 'BenchmarkImport$' -benchtime 1x ./gazetteer/sqlite/
//	WUMEN_BENCH_N=1000000 go test -run '^$' -bench 'BenchmarkImport$' -benchtime 1x -timeout 30m ./gazetteer/sqlite/
func BenchmarkImport(b *testing.B) {
	n := 100000
	if v := os.Getenv("WUMEN_BENCH_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "gen.jsonl")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	writeRecords(bw, n, 42)
	bw.Flush()
	f.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		raw := storetest.BareInserts(b, file, filepath.Join(dir, fmt.Sprintf("raw%d.db", i)), 0)
		s, err := sqlite.Open(filepath.Join(dir, fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		in, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		peak, stop := peakHeap()
		b.StartTimer()
		start := time.Now()
		cpu0 := cpuTime()
		restore := gazetteer.ImportGC() // as the import command sets the collector
		rep, err := s.Import(context.Background(), gazetteer.JSONLRecords(in, "gen.jsonl", 0), gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{})
		restore()
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.ReportMetric(float64(n)/(cpuTime()-cpu0).Seconds(), "records/cpu-s")
		b.StopTimer()
		stop()
		in.Close()
		if rep.Created != n {
			b.Fatalf("created %d", rep.Created)
		}
		rate := float64(n) / took.Seconds()
		b.ReportMetric(rate, "records/s")
		b.ReportMetric(raw, "sqlite-raw-records/s")
		b.ReportMetric(rate/raw, "ratio")
		b.ReportMetric(float64(*peak)/(1<<20), "peak-heap-MiB")
		s.Close()
		b.StartTimer()
	}
}

// peakHeap samples the Go heap in use (its spans' bytes, as
// runtime.MemStats.HeapInuse counts them) every 20 ms until stop is called.
// It reads runtime/metrics, which does not stop the world as ReadMemStats
// does: stopping it every 20 ms preempted the import's goroutines a
// thousand times in a million-record run.
func peakHeap() (*uint64, func()) {
	var peak uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		m := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		for {
			metrics.Read(m)
			peak = max(peak, m[0].Value.Uint64()+m[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return &peak, func() { close(done); <-finished }
}

// BenchmarkGet measures reading one place by id (the /api/v1/places/{id}
// path) against a bare SQLite primary-key lookup of the same row, the
// hand-rolled baseline.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	in, _ := gazetteer.ReadJSONL(bytes.NewReader(genRecords(20000, 7)), "gen.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("store.Get", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Get(ctx, int64(1+i%20000)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sqlite-raw", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var doc string
			if err := rawSQL(s).QueryRowContext(ctx, `SELECT doc FROM places WHERE id=?`, 1+i%20000).Scan(&doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work, records per CPU second move less with
// the load than records per second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportMatchLinks imports records that carry an OSM id and no id
// with MatchLinks (the command's default) into a fresh store, at two sizes:
// the time per record stays the same when the file doubles (each record
// used to be matched with a scan of every stored one).
//
//	go test -run '^$' -bench 'BenchmarkImportMatchLinks' -benchtime 1x ./gazetteer/sqlite/
func BenchmarkImportMatchLinks(b *testing.B) {
	for _, n := range []int{10000, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var in bytes.Buffer
			for i := 1; i <= n; i++ {
				fmt.Fprintf(&in, `{"name":"丁香巷","category":{"class":"非行政区域"},"status":"current","links":{"osm":"node/%d"}}`+"\n", i)
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				rep, err := s.Import(context.Background(), gazetteer.JSONLRecords(bytes.NewReader(in.Bytes()), "links.jsonl", 0),
					gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{MatchLinks: true})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/float64(n), "µs/record")
				b.StopTimer()
				if rep.Created != n {
					b.Fatalf("created %d", rep.Created)
				}
				s.Close()
				b.StartTimer()
			}
		})
	}
}
