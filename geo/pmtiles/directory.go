package pmtiles

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Entry is a directory entry (spec §4.2). RunLength 0 marks a pointer to a
// leaf directory; otherwise the entry covers RunLength consecutive tile IDs
// sharing one tile's bytes.
type Entry struct {
	TileID    uint64
	Offset    uint64
	Length    uint32
	RunLength uint32
}

// encodeDirectory serializes entries (sorted by TileID) as spec §4.2
// columns of varints — entry count, delta-coded tile IDs, run lengths,
// lengths, offsets — and gzips the result (InternalCompression gzip). An
// offset equal to the previous entry's offset+length is written as 0,
// any other as offset+1.
func encodeDirectory(entries []Entry) ([]byte, error) {
	var raw []byte
	raw = binary.AppendUvarint(raw, uint64(len(entries)))
	var last uint64
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, e.TileID-last)
		last = e.TileID
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.RunLength))
	}
	for _, e := range entries {
		raw = binary.AppendUvarint(raw, uint64(e.Length))
	}
	for i, e := range entries {
		if i > 0 && e.Offset == entries[i-1].Offset+uint64(entries[i-1].Length) {
			raw = binary.AppendUvarint(raw, 0)
		} else {
			raw = binary.AppendUvarint(raw, e.Offset+1)
		}
	}
	return GzipBytes(raw)
}

// GzipBytes compresses b as this package writes tiles, directories and metadata
// (gzip, best compression): an archive declaring gzip tile compression needs
// its tiles in this form.
func GzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Gunzip decompresses gzipped bytes (tiles, directories, metadata).
func Gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// decodeDirectory is the inverse of encodeDirectory.
func decodeDirectory(compressed []byte) ([]Entry, error) {
	raw, err := Gunzip(compressed)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	r := bytes.NewReader(raw)
	next := func() uint64 {
		v, e := binary.ReadUvarint(r)
		if e != nil && err == nil {
			err = errors.New("directory: truncated")
		}
		return v
	}
	n := next()
	if n > uint64(len(raw)) { // every entry takes at least one byte per column
		return nil, fmt.Errorf("directory: %d entries in %d bytes", n, len(raw))
	}
	entries := make([]Entry, n)
	var last uint64
	for i := range entries {
		last += next()
		entries[i].TileID = last
	}
	for i := range entries {
		entries[i].RunLength = uint32(next())
	}
	for i := range entries {
		entries[i].Length = uint32(next())
	}
	for i := range entries {
		v := next()
		if v == 0 && i > 0 {
			entries[i].Offset = entries[i-1].Offset + uint64(entries[i-1].Length)
		} else {
			entries[i].Offset = v - 1
		}
	}
	return entries, err
}

// findEntry returns the entry covering id: the last entry with TileID ≤ id
// if it is a leaf pointer or its run reaches id.
func findEntry(entries []Entry, id uint64) (Entry, bool) {
	lo, hi := 0, len(entries)-1
	for lo <= hi {
		mid := (lo + hi) / 2
		switch {
		case entries[mid].TileID < id:
			lo = mid + 1
		case entries[mid].TileID > id:
			hi = mid - 1
		default:
			return entries[mid], true
		}
	}
	if hi >= 0 {
		e := entries[hi]
		if e.RunLength == 0 || id-e.TileID < uint64(e.RunLength) {
			return e, true
		}
	}
	return Entry{}, false
}
