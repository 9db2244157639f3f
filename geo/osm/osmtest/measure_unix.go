//go:build unix

package osmtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// PeakHeap samples the Go heap every 5 ms until stop is called; stop
// returns the highest heap seen (runtime.MemStats.HeapAlloc, garbage not yet
// collected included: what the process holds) and the highest live heap
// (runtime/metrics /gc/heap/live:bytes, what survived the last collection:
// what the program needs).
func PeakHeap() (stop func() (heap, live uint64)) {
	var peak, peakLive atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() (uint64, uint64) { close(done); wg.Wait(); return peak.Load(), peakLive.Load() }
}

// CPUTime is the process's user and system time so far: on a shared
// machine it says what a run cost better than the wall clock.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// OsmiumCat times `osmium cat` of name to a PBF file in a temporary
// directory: the floor the OSM benchmarks are measured against, reading and
// writing the same file in the same run. It returns the wall time and the
// process's CPU time.
func OsmiumCat(tb testing.TB, name string) (wall, cpu time.Duration) {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "floor.osm.pbf")
	t0 := time.Now()
	cmd := exec.Command("osmium", "cat", "--overwrite", name, "-o", out)
	if o, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("osmium cat %s: %v %s", name, err, o)
	}
	return time.Since(t0), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
