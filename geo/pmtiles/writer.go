package pmtiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// VectorLayer describes one MVT layer for the metadata's vector_layers
// (TileJSON 3.0 §3.3), which spec §5 requires for MVT archives.
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description,omitempty"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// Metadata is the archive's JSON metadata (spec §5).
type Metadata struct {
	Name         string        `json:"name,omitempty"`
	Description  string        `json:"description,omitempty"`
	Attribution  string        `json:"attribution,omitempty"`
	Type         string        `json:"type,omitempty"` // overlay or baselayer
	Version      string        `json:"version,omitempty"`
	VectorLayers []VectorLayer `json:"vector_layers,omitempty"`
}

// Options configure a Writer. Zero Bounds and Center are computed from the
// tiles added.
type Options struct {
	TileType        TileType    // default MVT
	TileCompression Compression // compression of the bytes given to Add; default Gzip
	Bounds          orb.Bound   // WGS84; default: the union of the tiles' bounds
	Center          orb.Point   // default: centre of Bounds
	CenterZoom      uint8       // default: the minimum zoom
	Metadata        Metadata
}

// Writer collects tiles in memory and writes a clustered, deduplicated
// archive with WriteTo. Suzhou's tile set is a few megabytes, so holding it
// is cheaper than a temporary file.
type Writer struct {
	opts     Options
	tiles    map[uint64][32]byte // tile ID → content hash
	contents map[[32]byte][]byte
	minZ     uint8
	maxZ     uint8

	// rootLimit and leafStart are the directory budget and first leaf size;
	// tests shrink them to exercise leaf directories.
	rootLimit int
	leafStart int
}

// NewWriter returns an empty Writer.
func NewWriter(opts Options) *Writer {
	if opts.TileType == UnknownTileType {
		opts.TileType = MVT
	}
	if opts.TileCompression == UnknownCompression {
		opts.TileCompression = Gzip
	}
	return &Writer{
		opts: opts, tiles: map[uint64][32]byte{}, contents: map[[32]byte][]byte{},
		minZ: 255, rootLimit: rootBudget - HeaderLen, leafStart: 4096,
	}
}

// Add stores tile z/x/y. data must already be compressed as
// Options.TileCompression says (gzip by default, checked by its magic
// bytes). Adding the same tile twice replaces it; empty data is an error
// (leave empty tiles out).
func (w *Writer) Add(z uint8, x, y uint32, data []byte) error {
	if err := checkTile(z, x, y); err != nil {
		return err
	}
	if len(data) == 0 {
		return fmt.Errorf("pmtiles: tile %d/%d/%d is empty", z, x, y)
	}
	if w.opts.TileCompression == Gzip && !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return fmt.Errorf("pmtiles: tile %d/%d/%d is not gzip-compressed", z, x, y)
	}
	h := sha256.Sum256(data)
	if _, ok := w.contents[h]; !ok {
		w.contents[h] = slices.Clone(data)
	}
	w.tiles[ZxyToID(z, x, y)] = h
	w.minZ, w.maxZ = min(w.minZ, z), max(w.maxZ, z)
	return nil
}

// Len returns the number of tiles added.
func (w *Writer) Len() int { return len(w.tiles) }

// WriteTo writes the archive: header, root directory, metadata, leaf
// directories, tile data (spec §2 order).
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	if len(w.tiles) == 0 {
		return 0, fmt.Errorf("pmtiles: no tiles")
	}
	ids := make([]uint64, 0, len(w.tiles))
	for id := range w.tiles {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	// Lay tile data out in tile-ID order (clustered), each distinct content
	// once; consecutive IDs with the same content become one run.
	var data bytes.Buffer
	offsets := map[[32]byte]uint64{}
	var entries []Entry
	var addressed uint64
	for _, id := range ids {
		h := w.tiles[id]
		off, seen := offsets[h]
		if !seen {
			off = uint64(data.Len())
			offsets[h] = off
			data.Write(w.contents[h])
		}
		addressed++
		if n := len(entries); n > 0 {
			last := &entries[n-1]
			if last.Offset == off && last.TileID+uint64(last.RunLength) == id {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, Entry{TileID: id, Offset: off, Length: uint32(len(w.contents[h])), RunLength: 1})
	}

	root, leaves, err := w.directories(entries)
	if err != nil {
		return 0, err
	}
	meta, err := json.Marshal(w.opts.Metadata)
	if err != nil {
		return 0, err
	}
	if meta, err = GzipBytes(meta); err != nil {
		return 0, err
	}

	h := Header{
		RootOffset: HeaderLen, RootLength: uint64(len(root)),
		InternalCompression: Gzip, TileCompression: w.opts.TileCompression, TileType: w.opts.TileType,
		Clustered:      true,
		AddressedTiles: addressed, TileEntries: uint64(len(entries)), TileContents: uint64(len(offsets)),
		MinZoom: w.minZ, MaxZoom: w.maxZ,
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafOffset = h.MetadataOffset + h.MetadataLength
	h.LeafLength = uint64(len(leaves))
	h.DataOffset = h.LeafOffset + h.LeafLength
	h.DataLength = uint64(data.Len())
	b := w.opts.Bounds
	if b == (orb.Bound{}) {
		b = w.tileBounds(ids)
	}
	h.MinLon, h.MinLat, h.MaxLon, h.MaxLat = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	c := w.opts.Center
	if c == (orb.Point{}) {
		c = b.Center()
	}
	h.CenterLon, h.CenterLat = c[0], c[1]
	h.CenterZoom = w.opts.CenterZoom
	if h.CenterZoom == 0 {
		h.CenterZoom = w.minZ
	}

	var n int64
	for _, part := range [][]byte{h.marshal(), root, meta, leaves, data.Bytes()} {
		m, err := out.Write(part)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// tileBounds is the WGS84 union of the bounds of the tiles at the deepest
// zoom.
func (w *Writer) tileBounds(ids []uint64) orb.Bound {
	var b orb.Bound
	first := true
	for _, id := range ids {
		z, x, y := IDToZxy(id)
		if z != w.maxZ {
			continue
		}
		tb := maptile.New(x, y, maptile.Zoom(z)).Bound()
		if first {
			b, first = tb, false
		} else {
			b = b.Union(tb)
		}
	}
	return b
}

// directories returns the compressed root directory and leaf section. The
// root holds every entry when it fits the 16 KiB budget; otherwise entries
// go to leaf directories of leafSize entries, growing leafSize by 20% until
// the root of leaf pointers fits (one leaf level, as spec §4 advises).
func (w *Writer) directories(entries []Entry) (root, leaves []byte, err error) {
	root, err = encodeDirectory(entries)
	if err != nil || len(root) <= w.rootLimit {
		return root, nil, err
	}
	leafSize := max(w.leafStart, len(entries)/3500)
	for {
		var rootEntries []Entry
		var leafBuf bytes.Buffer
		for i := 0; i < len(entries); i += leafSize {
			chunk := entries[i:min(i+leafSize, len(entries))]
			leaf, err := encodeDirectory(chunk)
			if err != nil {
				return nil, nil, err
			}
			rootEntries = append(rootEntries, Entry{TileID: chunk[0].TileID, Offset: uint64(leafBuf.Len()), Length: uint32(len(leaf))})
			leafBuf.Write(leaf)
		}
		if root, err = encodeDirectory(rootEntries); err != nil {
			return nil, nil, err
		}
		if len(root) <= w.rootLimit {
			return root, leafBuf.Bytes(), nil
		}
		leafSize += leafSize/5 + 1
	}
}
