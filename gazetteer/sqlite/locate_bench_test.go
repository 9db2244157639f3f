package sqlite_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// Reverse-lookup benchmarks: the store's Locator (its in-memory snapshot:
// R-tree prefilter, exact point-in-polygon test, estimate from the nearest
// places) against the baseline of the SQLite R*Tree bounding-box test alone,
// on the same points in the same run, on the shipped data and on 100,000
// generated polygons. Each reports p50 and p99 per lookup in microseconds;
// "snapshot" reports the heap the Locator's snapshot takes and the wall-clock
// and process CPU time of its first load.
//
//	go test ./gazetteer/sqlite -run '^$' -bench 'LocateShipped' -benchtime 2000x
//	go test ./gazetteer/sqlite -run '^$' -bench 'LocateGenerated100k' -benchtime 2000x
//
// The generated store takes a minute or two to build.

// suzhouPoints are n reproducible random points over Suzhou's bbox.
func suzhouPoints(n int, b orb.Bound) []orb.Point {
	r := rand.New(rand.NewPCG(11, 17))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts
}

var suzhouBound = orb.Bound{Min: orb.Point{120.2, 30.8}, Max: orb.Point{121.3, 32.0}}

// quantiles runs op b.N times over pts and reports p50, p99 and p99.9 of
// the wall-clock time and, where the thread's CPU clock can be read, p50
// and p99 of the CPU time (the same lookups without the time the thread
// waited for a core: on a shared machine the wall-clock tail is mostly that).
func quantiles(b *testing.B, pts []orb.Point, op func(orb.Point) error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	d := make([]time.Duration, b.N)
	cpu := make([]time.Duration, b.N)
	_, cpuOK := threadCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0, _ := threadCPU()
		t := time.Now()
		if err := op(pts[i%len(pts)]); err != nil {
			b.Fatal(err)
		}
		d[i] = time.Since(t)
		c1, _ := threadCPU()
		cpu[i] = time.Duration(c1 - c0)
	}
	b.StopTimer()
	q := func(d []time.Duration, p float64) float64 {
		return float64(d[int(math.Min(float64(len(d)-1), p*float64(len(d))))].Nanoseconds()) / 1e3
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(q(d, 0.50), "p50-µs")
	b.ReportMetric(q(d, 0.99), "p99-µs")
	b.ReportMetric(q(d, 0.999), "p99.9-µs")
	if cpuOK {
		sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
		b.ReportMetric(q(cpu, 0.50), "cpu-p50-µs")
		b.ReportMetric(q(cpu, 0.99), "cpu-p99-µs")
	}
}

// rtreeOnly is the baseline: the bounding boxes that contain the point.
func rtreeOnly(s *gazetteer.Store) func(orb.Point) error {
	return func(p orb.Point) error {
		rows, err := rawSQL(s).QueryContext(context.Background(), `SELECT id FROM places_rtree WHERE min_lon<=?1 AND max_lon>=?1 AND min_lat<=?2 AND max_lat>=?2`, p[0], p[1])
		if err != nil {
			return err
		}
		defer rows.Close()
		var id int64
		for rows.Next() {
			if err := rows.Scan(&id); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

func locateOp(s *gazetteer.Store) func(orb.Point) error {
	l := s.Locator()
	return func(p orb.Point) error { _, err := l.Locate(context.Background(), p); return err }
}

func reverseOp(s *gazetteer.Store) func(orb.Point) error {
	l := s.Locator()
	return func(p orb.Point) error {
		_, err := l.Reverse(context.Background(), p, gazetteer.DefaultReverseM, 10)
		return err
	}
}

// snapshotCost is what loading the Locator's snapshot took.
type snapshotCost struct {
	heapMiB, loadMs, loadCPUMs float64
}

// loadSnapshot makes the Locator load its snapshot and returns the heap it
// added (after a collection before and after), how long it took and the
// process CPU time it used.
func loadSnapshot(b *testing.B, s *gazetteer.Store) snapshotCost {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c0, _ := processCPU()
	t := time.Now()
	if _, err := s.Locator().Locate(context.Background(), orb.Point{120.6, 31.3}); err != nil {
		b.Fatal(err)
	}
	c := snapshotCost{loadMs: float64(time.Since(t).Microseconds()) / 1e3}
	c1, _ := processCPU()
	c.loadCPUMs = float64(c1-c0) / 1e6
	runtime.GC()
	runtime.ReadMemStats(&after)
	c.heapMiB = (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)
	return c
}

func benchStore(b *testing.B, s *gazetteer.Store, pts []orb.Point, c snapshotCost) {
	b.Run("snapshot", func(b *testing.B) {
		b.ReportMetric(c.heapMiB, "heap-MiB")
		b.ReportMetric(c.loadMs, "load-ms")
		if _, ok := processCPU(); ok {
			b.ReportMetric(c.loadCPUMs, "load-cpu-ms")
		}
	})
	b.Run("rtree-baseline", func(b *testing.B) { quantiles(b, pts, rtreeOnly(s)) })
	b.Run("locate", func(b *testing.B) { quantiles(b, pts, locateOp(s)) })
	b.Run("reverse", func(b *testing.B) { quantiles(b, pts, reverseOp(s)) })
}

func BenchmarkLocateShipped(b *testing.B) {
	s := storetest.Shipped(b)
	c := loadSnapshot(b, s)
	for _, p := range suzhouPoints(200, suzhouBound) {
		s.Locator().Reverse(context.Background(), p, gazetteer.DefaultReverseM, 10)
	}
	benchStore(b, s, suzhouPoints(10000, suzhouBound), c)
}

// generatedGrid is the side of the generated tiling: cols×rows polygons.
const genCols, genRows = 400, 250

// gridVertex is the shared, jittered corner (i, j) of the generated tiling:
// neighbours agree on it, so the polygons tile the area without gaps.
func gridVertex(i, j int) orb.Point {
	dx := (suzhouBound.Max[0] - suzhouBound.Min[0]) / genCols
	dy := (suzhouBound.Max[1] - suzhouBound.Min[1]) / genRows
	h := uint64(i)*2654435761 ^ uint64(j)*40503
	jx, jy := float64(h%1000)/1000-0.5, float64((h/1000)%1000)/1000-0.5
	if i == 0 || i == genCols {
		jx = 0
	}
	if j == 0 || j == genRows {
		jy = 0
	}
	return orb.Point{suzhouBound.Min[0] + (float64(i)+0.3*jx)*dx, suzhouBound.Min[1] + (float64(j)+0.3*jy)*dy}
}

// generatedPolygons are 100,000 village-like units tiling Suzhou's bbox,
// each a jittered quadrilateral with its edge midpoints (8 vertices).
func generatedPolygons() []gazetteer.Input {
	mid := func(a, c orb.Point) orb.Point { return orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2} }
	in := make([]gazetteer.Input, 0, genCols*genRows)
	for i := 0; i < genCols; i++ {
		for j := 0; j < genRows; j++ {
			a, bb, c, d := gridVertex(i, j), gridVertex(i+1, j), gridVertex(i+1, j+1), gridVertex(i, j+1)
			ring := orb.Ring{a, mid(a, bb), bb, mid(bb, c), c, mid(c, d), d, mid(d, a), a}
			n := i*genRows + j
			in = append(in, gazetteer.Input{Place: &gazetteer.Place{
				ID: int64(200000 + n), Name: fmt.Sprintf("生成村%d", n), Category: gazetteer.Category{Class: "群众自治组织"},
				Code: fmt.Sprintf("9%011d", n), Level: "village", Admin: []string{"3205"},
				Geometry: orb.Polygon{ring}, Coord: &gazetteer.Coord{Method: "estimated", AccuracyM: 1000, Note: "generated for a benchmark"},
			}})
		}
	}
	return in
}

func BenchmarkLocateGenerated100k(b *testing.B) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "gen.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.PutAll(context.Background(), generatedPolygons(), gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	pts := suzhouPoints(10000, suzhouBound)
	c := loadSnapshot(b, s)
	for _, p := range pts[:200] {
		s.Locator().Locate(context.Background(), p)
	}
	benchStore(b, s, pts, c)
}
