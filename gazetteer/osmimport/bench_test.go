//go:build unix

package osmimport

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"wumen/geo/osm/osmtest"
)

// BenchmarkImport1M imports a generated extract of a million nodes into a
// store holding the shipped dataset (read, map, merge, conflate, write) and
// reports nodes/s and the peak heap, beside the floor of `osmium cat` of the
// same file timed in the same iteration (osmium-nodes/s). geo/osm's
// BenchmarkRead1M measures reading alone.
func BenchmarkImport1M(b *testing.B) {
	dir, err := os.MkdirTemp("", "wumen-osmimport-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	name := osmtest.GeneratePBF(b, dir, 1_000_000)
	m := mapping(b)
	var wall, cpu, osmiumWall, osmiumCPU time.Duration
	var nodes int64
	var peak, live uint64
	var written int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, c := osmtest.OsmiumCat(b, name)
		osmiumWall += w
		osmiumCPU += c
		s := seeded(b)
		imp := &Importer{Mapping: m, AccuracyM: 30, TempDir: b.TempDir()}
		runtime.GC()
		stop := osmtest.PeakHeap()
		c0 := osmtest.CPUTime()
		b.StartTimer()
		t0 := time.Now()
		rep, err := imp.Import(context.Background(), s, name, change, false)
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(t0)
		b.StopTimer()
		cpu += osmtest.CPUTime() - c0
		if p, l := stop(); p > peak {
			peak, live = p, l
		}
		nodes, written = rep.Nodes, rep.Created+rep.Updated
		b.StartTimer()
	}
	b.ReportMetric(float64(nodes)*float64(b.N)/wall.Seconds(), "nodes/s")
	b.ReportMetric(float64(nodes)*float64(b.N)/cpu.Seconds(), "nodes/cpu-s")
	b.ReportMetric(float64(nodes)*float64(b.N)/osmiumWall.Seconds(), "osmium-nodes/s")
	b.ReportMetric(float64(nodes)*float64(b.N)/osmiumCPU.Seconds(), "osmium-nodes/cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(live)/(1<<20), "peak-live-MB")
	b.ReportMetric(float64(written), "places")
}
