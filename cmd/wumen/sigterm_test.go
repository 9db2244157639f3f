//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"wumen/gazetteer/sqlite"
)

// largePolygons writes an import of n generated ponds (ids 810000+k), each a
// regular polygon of v vertices about 200 m across near the old city: test
// geometry, not any real pond's outline.
func largePolygons(t *testing.T, name string, n, v int) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for k := 0; k < n; k++ {
		cx, cy := 120.60+0.004*float64(k%10), 31.30+0.004*float64(k/10)
		fmt.Fprintf(w, `{"id":%d,"name":%q,"category":{"class":"陆地水系","subclass":"池塘"},"status":"current","admin":["3205","320508"],`+
			`"coord":{"method":"estimated","accuracy_m":100,"source":"test","note":"generated test geometry"},"geometry":{"type":"Polygon","coordinates":[[`,
			810000+k, strings.TrimSuffix(testName(k), "巷")+"塘")
		for i := 0; i <= v; i++ {
			a := 2 * math.Pi * float64(i%v) / float64(v)
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString("[" + strconv.FormatFloat(cx+0.001*math.Cos(a), 'f', 7, 64) + "," + strconv.FormatFloat(cy+0.001*math.Sin(a), 'f', 7, 64) + "]")
		}
		w.WriteString("]]}}\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// SIGTERM during an import of large boundaries stops it promptly and writes
// nothing (issue: "SIGTERM is honoured"). The signal is sent a third of the way
// through an import timed uninterrupted just before (a second run is often
// faster: caches are warm); the import
// must exit non-zero saying it was interrupted and wrote nothing, within a
// quarter of the import's time (at least 1.5 s), and the store must hold
// none of its places. The reader stops at its next record and the writer
// between batches, which are cut by their vertices as well as their count
// (a batch of 256 large boundaries would hold gigabytes).
func TestSIGTERMStopsALargeImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 18 MB of polygons twice (-short)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "ponds.jsonl")
	const n, v = 24, 20000 // 480,000 vertices, about 18 MB
	largePolygons(t, file, n, v)
	run := func(db string, signalAfter time.Duration) (code int, took, afterSignal time.Duration, stderr string) {
		cmd := exec.Command(binary(t), "import", "--quiet", "--db", db, file)
		var errb strings.Builder
		cmd.Stderr = &errb
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var signalled time.Time
		if signalAfter > 0 {
			timer := time.AfterFunc(signalAfter, func() { signalled = time.Now(); cmd.Process.Signal(syscall.SIGTERM) })
			defer timer.Stop()
		}
		err := cmd.Wait()
		took = time.Since(t0)
		if !signalled.IsZero() {
			afterSignal = time.Since(signalled)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, took, afterSignal, errb.String()
	}

	// The whole import, uninterrupted, on a copy: every record is valid, so
	// only the signal can stop the second run.
	code, full, _, stderr := run(seeded(t), 0)
	if code != 0 {
		t.Fatalf("import without a signal: exit %d: %s", code, stderr)
	}
	t.Logf("uninterrupted import of %d polygons of %d vertices: %v", n, v, full)

	db := seeded(t)
	code, took, after, stderr := run(db, full/3)
	if after == 0 {
		t.Fatalf("the import ended after %v, before the signal at %v", took, full/3)
	}
	t.Logf("SIGTERM at %v: exit %d %v later: %s", full/3, code, after, strings.TrimSpace(stderr))
	if code == 0 {
		t.Fatalf("import exited 0 after SIGTERM (it wrote the file regardless)")
	}
	if !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("stderr does not say the import was interrupted and wrote nothing: %s", stderr)
	}
	if limit := max(full/4, 1500*time.Millisecond); after > limit {
		t.Errorf("import took %v to stop after SIGTERM (limit %v; the whole import takes %v)", after, limit, full)
	}
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k := 0; k < n; k++ {
		if _, err := s.Get(context.Background(), int64(810000+k)); err == nil {
			t.Fatalf("place %d was written by an interrupted import", 810000+k)
		}
	}
}
