//go:build unix

package osmbasemap

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/paulmach/osm"

	geosm "wumen/geo/osm"
	"wumen/geo/osm/osmtest"
)

// countWriter counts the bytes of the archive.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// benchBuild builds the basemap of file and reports tiles/s, the archive's
// size, nodes/s and the peak heap; the read alone (geo/osm, the same
// objects kept) is measured in the same run as the floor.
func benchBuild(b *testing.B, file string) {
	tb := table(b)
	var tiles int
	var size int64
	var nodes int64
	var total, read time.Duration
	var peak uint64
	for i := 0; i < b.N; i++ {
		r0 := time.Now()
		st, err := readOnly(file, tb, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		read += time.Since(r0)
		nodes = st
		stop := osmtest.PeakHeap()
		t0 := time.Now()
		w := &countWriter{}
		bs, err := Build(context.Background(), file, tb, w, Options{TempDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		if p, _ := stop(); p > peak {
			peak = p
		}
		tiles, size = bs.Tiles, w.n
	}
	b.ReportMetric(float64(tiles)*float64(b.N)/total.Seconds(), "tiles/s")
	b.ReportMetric(float64(tiles), "tiles")
	b.ReportMetric(float64(size)/(1<<20), "archive-MB")
	b.ReportMetric(float64(nodes)*float64(b.N)/total.Seconds(), "nodes/s")
	b.ReportMetric(float64(nodes)*float64(b.N)/read.Seconds(), "read-only-nodes/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// readOnly reads file as Build does (the same objects kept, matched and
// given geometry), drawing nothing, and returns the nodes read.
func readOnly(file string, tb *Table, dir string) (int64, error) {
	rd := &geosm.Reader{TempDir: dir, Keep: func(_ string, tags osm.Tags) bool { return tb.Match(tags) != nil }}
	st, err := rd.ReadFile(context.Background(), file, func(o *geosm.Object) error {
		tb.Match(o.Tags)
		return nil
	})
	return st.Nodes, err
}

func BenchmarkBuildFixture(b *testing.B) { benchBuild(b, fixture("oldcity.osm")) }

func BenchmarkBuild1M(b *testing.B) {
	dir, err := os.MkdirTemp("", "wumen-basemap-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	benchBuild(b, osmtest.GeneratePBF(b, dir, 1_000_000))
}
