//go:build unix

package osm

import (
	"context"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/osm"

	"wumen/geo/osm/osmtest"
)

// benchDir keeps the generated extracts for the process (they take a few
// seconds to make); TestMain removes it.
var (
	benchDirOnce sync.Once
	benchDirName string
)

func benchDir() string {
	benchDirOnce.Do(func() {
		d, err := os.MkdirTemp("", "wumen-osm-bench")
		if err != nil {
			panic(err)
		}
		benchDirName = d
	})
	return benchDirName
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDirName != "" {
		os.RemoveAll(benchDirName)
	}
	os.Exit(code)
}

// benchRead reads a generated extract of n nodes as an import does (named
// objects get geometry) and reports nodes/s and the peak heap, beside
// `osmium cat` of the same file in the same run.
func benchRead(b *testing.B, n int) {
	name := osmtest.GeneratePBF(b, benchDir(), n)
	var nodes int64
	var osmiumTime, ours, osmiumCPU, oursCPU time.Duration
	var peak, live uint64
	for i := 0; i < b.N; i++ {
		w, c := osmtest.OsmiumCat(b, name)
		osmiumTime += w
		osmiumCPU += c
		runtime.GC()
		stop := osmtest.PeakHeap()
		c0 := osmtest.CPUTime()
		t0 := time.Now()
		rd := &Reader{TempDir: b.TempDir(), Keep: func(_ string, t osm.Tags) bool { return t.Find("name") != "" }}
		st, err := rd.ReadFile(context.Background(), name, func(*Object) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(t0)
		oursCPU += osmtest.CPUTime() - c0
		if p, l := stop(); p > peak {
			peak, live = p, l
		}
		nodes = st.Nodes
	}
	b.ReportMetric(float64(nodes)*float64(b.N)/ours.Seconds(), "nodes/s")
	b.ReportMetric(float64(nodes)*float64(b.N)/osmiumTime.Seconds(), "osmium-nodes/s")
	// The machine is shared: CPU time says what each costs, wall time
	// what a user waits.
	b.ReportMetric(float64(nodes)*float64(b.N)/oursCPU.Seconds(), "nodes/cpu-s")
	b.ReportMetric(float64(nodes)*float64(b.N)/osmiumCPU.Seconds(), "osmium-nodes/cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(live)/(1<<20), "peak-live-MB")
	b.ReportMetric(float64(nodes), "nodes")
}

func BenchmarkRead250k(b *testing.B) { benchRead(b, 250_000) }
func BenchmarkRead1M(b *testing.B)   { benchRead(b, 1_000_000) }
func BenchmarkRead2M(b *testing.B)   { benchRead(b, 2_000_000) }
