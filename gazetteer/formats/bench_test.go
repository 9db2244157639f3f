package formats_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/gazetteer/sqlite"
)

// benchN is the number of generated places the export benchmarks use:
// WUMEN_BENCH_N (e.g. 1000000), default 2000 so `go test -bench .` stays
// quick.
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("WUMEN_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 2000
}

var (
	benchOnce  sync.Once
	benchStore *gazetteer.Store
	benchDir   string
	benchErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// generated returns a store of benchN generated places (points, lines and
// polygons around Suzhou with two names each), written with PutAll in
// batches of 10,000 and shared by the benchmarks.
func generated(b *testing.B) *gazetteer.Store {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "wumen-bench-")
		if benchErr != nil {
			return
		}
		benchStore, benchErr = sqlite.Open(filepath.Join(benchDir, "bench.db"))
		if benchErr != nil {
			return
		}
		n := benchN()
		stems := []string{"山塘", "平江", "观前", "十全", "凤凰", "干将", "人民", "学士", "东北", "养育"}
		generics := []string{"街", "路", "巷", "桥", "弄"}
		classes := []string{"交通运输设施", "纪念地旅游景点", "建筑物", "居民点", "陆地水系"}
		var batch []gazetteer.Input
		for i := 1; i <= n; i++ {
			x := 120.4 + float64(i%1000)*0.0004
			y := 31.2 + float64((i/1000)%1000)*0.0003
			p := &gazetteer.Place{ID: int64(i), Name: fmt.Sprintf("%s%d%s", stems[i%len(stems)], i, generics[i%len(generics)]),
				Category: gazetteer.Category{Class: classes[i%len(classes)]}, Status: gazetteer.StatusCurrent, Rank: float64(i%100) / 100,
				Admin: []string{"320500", "320508"}, Coord: &gazetteer.Coord{Method: "osm"},
				Names: []gazetteer.Name{{Text: fmt.Sprintf("旧名%d", i), Script: gazetteer.ScriptHans, Kind: gazetteer.KindHistorical, Start: "明", End: "1912"}}}
			switch i % 10 {
			case 0:
				p.Geometry = orb.LineString{{x, y}, {x + 0.0002, y + 0.0001}, {x + 0.0003, y + 0.0003}}
			case 1:
				p.Geometry = orb.Polygon{{{x, y}, {x + 0.0002, y}, {x + 0.0002, y + 0.0002}, {x, y}}}
			default:
				p.Geometry = orb.Point{x, y}
			}
			p.Specific, p.Generic, p.Pinyin, p.Sign = p.Name, "", "Bench", "BENCH" // skip romanizing generated names
			batch = append(batch, gazetteer.Input{Place: p})
			if len(batch) == 10000 || i == n {
				if _, benchErr = benchStore.PutAll(context.Background(), batch, gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{}); benchErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

// peakHeap samples the in-use heap until stop is closed.
func peakHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	var ms runtime.MemStats
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// BenchmarkExport measures export throughput (records/s) and peak in-use
// heap (MB) per format. WUMEN_BENCH_N=1000000 for the 1M-record figures.
func BenchmarkExport(b *testing.B) {
	s := generated(b)
	ctx := context.Background()
	for _, format := range formats.Exports() {
		f, _ := formats.Get(format)
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			go peakHeap(stop, &peak)
			records := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var n int
				var err error
				if f.File {
					n, err = f.WriteFile(ctx, s, filepath.Join(dir, fmt.Sprintf("b%d%s", i, f.Ext())), export.Options{})
				} else {
					n, err = f.Write(ctx, s, io.Discard, export.Options{})
				}
				if err != nil {
					b.Fatal(err)
				}
				records += n
			}
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		})
	}
}
