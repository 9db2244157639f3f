// Package pmtiles writes and reads PMTiles v3 archives (the published
// protomaps specification, spec/v3/spec.md): a single file holding a tile
// pyramid addressed by Hilbert tile IDs, served with HTTP range requests
// from any static host.
//
// It is written from the specification instead of importing
// github.com/protomaps/go-pmtiles, whose dependency tree (cloud storage
// SDKs) is far larger than the format.
package pmtiles

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// HeaderLen is the fixed header size (spec §3).
const HeaderLen = 127

// rootBudget is the limit on header plus root directory (spec §2: the root
// directory must lie in the first 16,384 bytes).
const rootBudget = 16384

// Compression is a compression enum value (spec §3).
type Compression uint8

// Compression values.
const (
	UnknownCompression Compression = 0
	NoCompression      Compression = 1
	Gzip               Compression = 2
	Brotli             Compression = 3
	Zstd               Compression = 4
)

// TileType is the tile type enum (spec §3).
type TileType uint8

// Tile types.
const (
	UnknownTileType TileType = 0
	MVT             TileType = 1
	PNG             TileType = 2
	JPEG            TileType = 3
	WEBP            TileType = 4
	AVIF            TileType = 5
)

// Header is the decoded 127-byte header. Longitudes and latitudes are in
// degrees (stored as int32 × 1e7).
type Header struct {
	RootOffset, RootLength         uint64
	MetadataOffset, MetadataLength uint64
	LeafOffset, LeafLength         uint64
	DataOffset, DataLength         uint64
	AddressedTiles                 uint64
	TileEntries                    uint64
	TileContents                   uint64
	Clustered                      bool
	InternalCompression            Compression
	TileCompression                Compression
	TileType                       TileType
	MinZoom, MaxZoom               uint8
	MinLon, MinLat, MaxLon, MaxLat float64
	CenterZoom                     uint8
	CenterLon, CenterLat           float64
}

func e7(v float64) uint32 {
	if v < 0 {
		return uint32(int32(v*1e7 - 0.5))
	}
	return uint32(int32(v*1e7 + 0.5))
}

func fromE7(b []byte) float64 { return float64(int32(binary.LittleEndian.Uint32(b))) / 1e7 }

// marshal encodes h (spec §3 table).
func (h Header) marshal() []byte {
	b := make([]byte, HeaderLen)
	copy(b, "PMTiles")
	b[7] = 3
	le := binary.LittleEndian
	for i, v := range []uint64{h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength,
		h.LeafOffset, h.LeafLength, h.DataOffset, h.DataLength,
		h.AddressedTiles, h.TileEntries, h.TileContents} {
		le.PutUint64(b[8+8*i:], v)
	}
	if h.Clustered {
		b[96] = 1
	}
	b[97], b[98], b[99] = byte(h.InternalCompression), byte(h.TileCompression), byte(h.TileType)
	b[100], b[101] = h.MinZoom, h.MaxZoom
	le.PutUint32(b[102:], e7(h.MinLon))
	le.PutUint32(b[106:], e7(h.MinLat))
	le.PutUint32(b[110:], e7(h.MaxLon))
	le.PutUint32(b[114:], e7(h.MaxLat))
	b[118] = h.CenterZoom
	le.PutUint32(b[119:], e7(h.CenterLon))
	le.PutUint32(b[123:], e7(h.CenterLat))
	return b
}

func unmarshalHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen || string(b[:7]) != "PMTiles" {
		return Header{}, errors.New("pmtiles: not a PMTiles archive (bad magic)")
	}
	if b[7] != 3 {
		return Header{}, fmt.Errorf("pmtiles: spec version %d, want 3", b[7])
	}
	le := binary.LittleEndian
	u := func(i int) uint64 { return le.Uint64(b[8+8*i:]) }
	return Header{
		RootOffset: u(0), RootLength: u(1), MetadataOffset: u(2), MetadataLength: u(3),
		LeafOffset: u(4), LeafLength: u(5), DataOffset: u(6), DataLength: u(7),
		AddressedTiles: u(8), TileEntries: u(9), TileContents: u(10),
		Clustered:           b[96] == 1,
		InternalCompression: Compression(b[97]), TileCompression: Compression(b[98]), TileType: TileType(b[99]),
		MinZoom: b[100], MaxZoom: b[101],
		MinLon: fromE7(b[102:]), MinLat: fromE7(b[106:]), MaxLon: fromE7(b[110:]), MaxLat: fromE7(b[114:]),
		CenterZoom: b[118], CenterLon: fromE7(b[119:]), CenterLat: fromE7(b[123:]),
	}, nil
}
