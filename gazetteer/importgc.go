package gazetteer

import (
	"math"
	"runtime/debug"
)

// importGCPercent and importMemoryLimit are the collector's settings while
// a process's work is one import: the heap may grow to five times what is
// live between collections (a streamed import keeps little alive, so the
// default collected every few megabytes and spent about a tenth of the
// import's CPU), and a soft limit keeps the whole Go memory within issue
// 13's cap of 300 MiB whatever the size of the file.
const (
	importGCPercent   = 400
	importMemoryLimit = 256 << 20
)

// ImportGC sets the collector for a process that runs one import (the
// import command; BenchmarkImport measures the same) and returns the
// function that restores the settings before. A server does not call it:
// its own heap (the search index) would grow with the percentage. A lower
// memory limit already set (GOMEMLIMIT) is kept.
func ImportGC() (restore func()) {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 || limit > importMemoryLimit {
		debug.SetMemoryLimit(importMemoryLimit)
	}
	percent := debug.SetGCPercent(importGCPercent)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
