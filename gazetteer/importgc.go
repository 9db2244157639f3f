//go:build !js

package gazetteer

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// importGCPercent is the collector's percentage while a process's work is
// one import: the heap may grow to five times what is live between
// collections (a streamed import keeps little alive, so the default
// collected every few megabytes and spent about a tenth of the import's
// CPU).
const importGCPercent = 400

// importMemoryLimit is the soft memory limit of an import, which keeps the
// whole Go memory within issue 13's cap of 300 MiB whatever the size of the
// file. It is raised when more than two thirds of it is live (an import
// that matches links into a very large store holds their maps): a limit
// below the live heap would make the collector run without pause.
var importMemoryLimit int64 = 256 << 20

// importGCTick is how often ImportGC looks at the live heap.
var importGCTick = time.Second

// ImportGC sets the collector for a process that runs one import (the
// import command; BenchmarkImport measures the same) and returns the
// function that restores the settings before. A server does not call it:
// its own heap (the search index) would grow with the percentage. A lower
// memory limit already set (GOMEMLIMIT) is kept.
func ImportGC() (restore func()) {
	before := debug.SetMemoryLimit(-1)
	own := before == math.MaxInt64 || before > importMemoryLimit
	if own {
		debug.SetMemoryLimit(importMemoryLimit)
	}
	percent := debug.SetGCPercent(importGCPercent)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		if !own {
			return
		}
		t := time.NewTicker(importGCTick)
		defer t.Stop()
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			metrics.Read(live)
			if l := int64(live[0].Value.Uint64()); l*3/2 > importMemoryLimit {
				debug.SetMemoryLimit(l * 3 / 2)
			} else {
				debug.SetMemoryLimit(importMemoryLimit)
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(before)
	}
}
