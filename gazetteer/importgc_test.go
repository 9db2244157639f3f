package gazetteer

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestImportGCFollowsTheLiveHeap: ImportGC sets its percentage and limit,
// raises the limit above a live heap that outgrows two thirds of it (a
// limit below what is live would keep the collector running), and restore
// puts the settings back.
func TestImportGCFollowsTheLiveHeap(t *testing.T) {
	defer func(l int64, tick time.Duration) { importMemoryLimit, importGCTick = l, tick }(importMemoryLimit, importGCTick)
	importMemoryLimit, importGCTick = 32<<20, 5*time.Millisecond
	limit0 := debug.SetMemoryLimit(-1)
	percent0 := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent0)

	restore := ImportGC()
	if l := debug.SetMemoryLimit(-1); l != 32<<20 {
		t.Fatalf("limit %d during the import, want %d", l, 32<<20)
	}
	var hold [][]byte
	for range 64 { // 64 MiB live, twice the limit
		hold = append(hold, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 64<<20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l < 64<<20 { // two thirds of 64 MiB live is over 32
		t.Errorf("with 64 MiB live the limit stayed at %d", l)
	}
	runtime.KeepAlive(hold)
	restore()
	if l, p := debug.SetMemoryLimit(-1), debug.SetGCPercent(percent0); l != limit0 || p != percent0 {
		t.Errorf("after restore: limit %d, percent %d; want %d, %d", l, p, limit0, percent0)
	}
}
