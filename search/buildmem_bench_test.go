package search

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wumen/gazetteer"
)

// BenchmarkBuildMemory measures what building costs in memory. The
// generated places are streamed to Build, as BuildStore streams a store's,
// so the process holds only what the build does:
//
//	WUMEN_BENCH_N=1000000 go test ./search -run '^$' -bench 'BuildMemory' -benchtime 1x -timeout 60m
//
// It reports the RSS before the build, the build's peak RSS
// (VmHWM, reset just before Build), the peak of the Go heap (live and
// total, sampled every 100 ms), the peak of scorch's in-memory segments at
// the root, and the build rate. WUMEN_BENCH_PROF=DIR writes a heap profile
// into DIR whenever the sampled RSS passes a new high by 100 MB;
// WUMEN_BENCH_TRACE=1 prints the samples every second.
func BenchmarkBuildMemory(b *testing.B) {
	n := 200_000
	if s := os.Getenv("WUMEN_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	g := newPlaceGen(b)
	nNames := 0
	each := func(f func(*gazetteer.Place) error) error {
		for range n {
			p := g.next()
			nNames += 1 + len(p.Names)
			if err := f(p); err != nil {
				return err
			}
		}
		return nil
	}
	runtime.GC()
	before := procStatusMB("VmRSS:")
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("VmHWM not reset (%v): peak-rss-MB includes the generation", err)
	}
	s := startMemSampler(os.Getenv("WUMEN_BENCH_PROF"))
	t0 := time.Now()
	ix, err := Build(filepath.Join(b.TempDir(), "ix"), each)
	build := time.Since(t0)
	s.stop()
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportMetric(float64(nNames)/build.Seconds(), "names/s")
	b.ReportMetric(before, "rss-before-MB")
	b.ReportMetric(procStatusMB("VmHWM:"), "peak-rss-MB")
	b.ReportMetric(s.peakLive, "peak-live-heap-MB")
	b.ReportMetric(s.peakHeap, "peak-heap-MB")
	b.ReportMetric(s.peakRSS, "peak-sampled-rss-MB")
	b.ReportMetric(float64(nNames), "names")
}

// memSampler samples the process's memory while a build runs.
type memSampler struct {
	done                        chan struct{}
	wg                          sync.WaitGroup
	peakLive, peakHeap, peakRSS float64
}

func startMemSampler(profDir string) *memSampler {
	s := &memSampler{done: make(chan struct{})}
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	s.wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		lastProf, nprof := 0.0, 0
		trace, t0, ticks := os.Getenv("WUMEN_BENCH_TRACE") != "", time.Now(), 0
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
			metrics.Read(samples)
			s.peakLive = max(s.peakLive, float64(samples[0].Value.Uint64())/(1<<20))
			s.peakHeap = max(s.peakHeap, float64(samples[1].Value.Uint64())/(1<<20))
			rss := procStatusMB("VmRSS:")
			s.peakRSS = max(s.peakRSS, rss)
			if trace && ticks%10 == 0 {
				fmt.Fprintf(os.Stderr, "%5.1fs rss %6.0f anon %6.0f file %6.0f live %6.0f heap %6.0f MB\n", time.Since(t0).Seconds(), rss,
					procStatusMB("RssAnon:"), procStatusMB("RssFile:"), float64(samples[0].Value.Uint64())/(1<<20), float64(samples[1].Value.Uint64())/(1<<20))
			}
			ticks++
			if profDir != "" && rss > lastProf+100 {
				lastProf = rss
				nprof++
				if f, err := os.Create(filepath.Join(profDir, fmt.Sprintf("heap-%02d-%.0fMB.pprof", nprof, rss))); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	})
	return s
}

func (s *memSampler) stop() {
	close(s.done)
	s.wg.Wait()
}

// procStatusMB is a field of /proc/self/status in MB (Linux; 0 elsewhere).
func procStatusMB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field) {
			if f := strings.Fields(line); len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
