package pmtiles

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/geo/gdaltest"
)

// Vectors from the spec's tile ID table (z/x/y → id), and one more from an
// independent implementation's tests.
var idVectors = []struct {
	z    uint8
	x, y uint32
	id   uint64
}{
	{0, 0, 0, 0},
	{1, 0, 0, 1},
	{1, 0, 1, 2},
	{1, 1, 1, 3},
	{1, 1, 0, 4},
	{2, 0, 0, 5},
	{12, 3423, 1763, 19078479},
	{15, 27360, 15138, 1222593891},
}

func TestZxyToID(t *testing.T) {
	for _, v := range idVectors {
		if got := ZxyToID(v.z, v.x, v.y); got != v.id {
			t.Errorf("ZxyToID(%d,%d,%d) = %d, want %d", v.z, v.x, v.y, got, v.id)
		}
		if z, x, y := IDToZxy(v.id); z != v.z || x != v.x || y != v.y {
			t.Errorf("IDToZxy(%d) = %d/%d/%d, want %d/%d/%d", v.id, z, x, y, v.z, v.x, v.y)
		}
	}
}

// TestIDBijection checks every tile up to z7 gets consecutive IDs in order
// and maps back, and samples deep zooms.
func TestIDBijection(t *testing.T) {
	var want uint64
	for z := uint8(0); z <= 7; z++ {
		n := uint32(1) << z
		seen := make([]bool, uint64(n)*uint64(n))
		base := want
		for x := range n {
			for y := range n {
				id := ZxyToID(z, x, y)
				if id < base || id-base >= uint64(len(seen)) || seen[id-base] {
					t.Fatalf("ZxyToID(%d,%d,%d) = %d out of range or repeated", z, x, y, id)
				}
				seen[id-base] = true
				if gz, gx, gy := IDToZxy(id); gz != z || gx != x || gy != y {
					t.Fatalf("IDToZxy(%d) = %d/%d/%d", id, gz, gx, gy)
				}
			}
		}
		want += uint64(len(seen))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		z := uint8(r.IntN(MaxZoom + 1))
		x, y := uint32(r.Uint64N(1<<z)), uint32(r.Uint64N(1<<z))
		if gz, gx, gy := IDToZxy(ZxyToID(z, x, y)); gz != z || gx != x || gy != y {
			t.Fatalf("round trip of %d/%d/%d gave %d/%d/%d", z, x, y, gz, gx, gy)
		}
	}
}

func TestDirectoryEncoding(t *testing.T) {
	entries := []Entry{
		{TileID: 1, Offset: 0, Length: 10, RunLength: 1},
		{TileID: 2, Offset: 10, Length: 5, RunLength: 1}, // contiguous → 0
		{TileID: 3, Offset: 0, Length: 10, RunLength: 2}, // back-reference → offset+1
		{TileID: 300, Offset: 15, Length: 7, RunLength: 1},
	}
	b, err := encodeDirectory(entries)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Gunzip(b)
	if err != nil {
		t.Fatal(err)
	}
	// The delta 300−3 = 297 = 0x129 is the varint a9 02.
	want := []byte{4, 1, 1, 1, 0xa9, 0x02, 1, 1, 2, 1, 10, 5, 10, 7, 1, 0, 1, 16}
	if !bytes.Equal(raw, want) {
		t.Errorf("raw directory % x, want % x", raw, want)
	}
	got, err := decodeDirectory(b)
	if err != nil || !slices.Equal(got, entries) {
		t.Errorf("decode = %v, %v", got, err)
	}
	for _, tt := range []struct {
		id   uint64
		want bool
		tile uint64
	}{{0, false, 0}, {1, true, 1}, {4, true, 3}, {5, false, 0}, {300, true, 300}, {301, false, 0}} {
		e, ok := findEntry(entries, tt.id)
		if ok != tt.want || ok && e.TileID != tt.tile {
			t.Errorf("findEntry(%d) = %v, %v", tt.id, e, ok)
		}
	}
	if _, err := decodeDirectory([]byte("junk")); err == nil {
		t.Error("decodeDirectory(junk) succeeded")
	}
}

func gz(t testing.TB, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

type tile struct {
	z    uint8
	x, y uint32
	body string
}

func build(t *testing.T, w *Writer, tiles []tile) *Reader {
	t.Helper()
	for _, tl := range tiles {
		if err := w.Add(tl.z, tl.x, tl.y, gz(t, tl.body)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	n, err := w.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v (wrote %d)", n, err, buf.Len())
	}
	rd, err := NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range tiles {
		b, err := rd.Tile(tl.z, tl.x, tl.y)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := Gunzip(b)
		if err != nil || string(raw) != tl.body {
			t.Fatalf("tile %d/%d/%d = %q, %v; want %q", tl.z, tl.x, tl.y, raw, err, tl.body)
		}
	}
	return rd
}

func TestWriteRead(t *testing.T) {
	// 北寺塔 (OSM way/206076447) and its z10 tile; a run of identical tiles
	// checks run-length coding and a repeat elsewhere checks dedup.
	beisita := orb.Point{120.6154018, 31.3245428}
	bt := maptile.At(beisita, 10)
	next := func(d uint64) (uint32, uint32) { _, x, y := IDToZxy(ZxyToID(10, bt.X, bt.Y) + d); return x, y }
	x1, y1 := next(1)
	x2, y2 := next(2)
	tiles := []tile{
		{0, 0, 0, "world"},
		{10, bt.X, bt.Y, "gusu"},
		{10, x1, y1, "same"},
		{10, x2, y2, "same"},
		{1, 1, 0, "same"},
		{2, 3, 1, "other"},
	}
	w := NewWriter(Options{Metadata: Metadata{Name: "wumen", Attribution: "© OpenStreetMap contributors",
		VectorLayers: []VectorLayer{{ID: "historic", MinZoom: 0, MaxZoom: 10, Fields: map[string]string{"name": "String"}}}}})
	rd := build(t, w, tiles)
	h := rd.Header()
	if !h.Clustered || h.TileType != MVT || h.TileCompression != Gzip || h.InternalCompression != Gzip {
		t.Errorf("header flags %+v", h)
	}
	if h.MinZoom != 0 || h.MaxZoom != 10 || h.CenterZoom != 0 {
		t.Errorf("zooms %d–%d centre %d", h.MinZoom, h.MaxZoom, h.CenterZoom)
	}
	if h.AddressedTiles != 6 || h.TileContents != 4 || h.TileEntries != 5 {
		t.Errorf("addressed %d contents %d entries %d, want 6, 4, 5", h.AddressedTiles, h.TileContents, h.TileEntries)
	}
	if h.RootOffset != HeaderLen || h.RootOffset+h.RootLength > rootBudget || h.LeafLength != 0 {
		t.Errorf("root at %d+%d, leaves %d", h.RootOffset, h.RootLength, h.LeafLength)
	}
	if !(orb.Bound{Min: orb.Point{h.MinLon, h.MinLat}, Max: orb.Point{h.MaxLon, h.MaxLat}}).Contains(beisita) {
		t.Errorf("bounds %v %v %v %v", h.MinLon, h.MinLat, h.MaxLon, h.MaxLat)
	}
	if b, err := rd.Tile(10, 0, 0); b != nil || err != nil {
		t.Errorf("missing tile = %v, %v", b, err)
	}
	m, err := rd.Metadata()
	if err != nil || m.Name != "wumen" || m.VectorLayers[0].ID != "historic" {
		t.Errorf("metadata %+v, %v", m, err)
	}
	checkClustered(t, rd)
}

// checkClustered verifies spec §3's clustered rule: each offset follows
// the previous blob or points back to an earlier one, and IDs ascend.
func checkClustered(t *testing.T, rd *Reader) {
	t.Helper()
	var end, lastID uint64
	first := true
	var entries uint64
	rd.Entries(func(e Entry) error {
		entries++
		if !first && e.TileID <= lastID {
			t.Errorf("tile IDs not ascending at %d", e.TileID)
		}
		if e.Offset == end {
			end += uint64(e.Length)
		} else if e.Offset > end {
			t.Errorf("entry %d offset %d jumps past %d", e.TileID, e.Offset, end)
		}
		first, lastID = false, e.TileID
		return nil
	})
	if h := rd.Header(); entries != h.TileEntries || end != h.DataLength {
		t.Errorf("entries %d (header %d), data end %d (header %d)", entries, h.TileEntries, end, h.DataLength)
	}
}

func TestLeafDirectories(t *testing.T) {
	var tiles []tile
	for x := range uint32(64) {
		for y := range uint32(8) {
			tiles = append(tiles, tile{12, 3400 + x, 1700 + y, fmt.Sprintf("tile %d %d", x, y)})
		}
	}
	w := NewWriter(Options{})
	w.rootLimit, w.leafStart = 50, 16
	rd := build(t, w, tiles)
	h := rd.Header()
	if h.LeafLength == 0 || h.RootLength > 50 {
		t.Errorf("no leaves: root %d leaves %d", h.RootLength, h.LeafLength)
	}
	checkClustered(t, rd)
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter(Options{})
	for _, tt := range []struct {
		z    uint8
		x, y uint32
		data []byte
		want string
	}{
		{1, 2, 0, gz(t, "x"), "out of range"},
		{32, 0, 0, gz(t, "x"), "out of range"},
		{1, 0, 0, nil, "empty"},
		{1, 0, 0, []byte("plain"), "not gzip"},
	} {
		if err := w.Add(tt.z, tt.x, tt.y, tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%d/%d/%d) = %v, want %q", tt.z, tt.x, tt.y, err, tt.want)
		}
	}
	if _, err := w.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("WriteTo with no tiles succeeded")
	}
	if _, err := NewReader(bytes.NewReader(make([]byte, 200))); err == nil {
		t.Error("NewReader of zeros succeeded")
	}
}

// TestGDAL reads the archive with GDAL's PMTiles driver when this GDAL has
// one (GDAL ≥ 3.8); older GDALs (Debian 12 ships 3.6) are checked through
// this package's reader only. ogrinfo itself must be present.
func TestGDAL(t *testing.T) {
	formats, _ := gdaltest.Ogrinfo(t, "--formats")
	if !strings.Contains(formats, "PMTiles") {
		t.Logf("GDAL has no PMTiles driver; archive checked with the package reader only")
		return
	}
	w := NewWriter(Options{Metadata: Metadata{VectorLayers: []VectorLayer{{ID: "x", Fields: map[string]string{}}}}})
	w.Add(0, 0, 0, gz(t, ""))
	path := filepath.Join(t.TempDir(), "t.pmtiles")
	f, _ := os.Create(path)
	w.WriteTo(f)
	f.Close()
	out, stderr := gdaltest.Ogrinfo(t, "-ro", "-so", path)
	if stderr != "" || !strings.Contains(out, "PMTiles") {
		t.Errorf("ogrinfo: %s\n%s", out, stderr)
	}
}
