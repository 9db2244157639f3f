package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The binary files of an index directory (the snapshot, snapshot.go; the
// name table, names.go) share these primitives: strings and byte slices are
// a uvarint length and the bytes, integers varints, floats their IEEE-754
// bytes, little-endian.

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// snapReader reads the fields of one record, a substring of the file; the
// first error sticks and names the field.
type snapReader struct {
	s     string
	at    int
	field string
	err   error
}

var errShort = errors.New("truncated")

func (r *snapReader) fail(field string, err error) {
	if r.err == nil {
		r.field, r.err = field, err
	}
}

func (r *snapReader) uvarint(field string) uint64 {
	var v uint64
	for shift := uint(0); r.err == nil; shift += 7 {
		if r.at >= len(r.s) || shift > 63 {
			r.fail(field, errShort)
			break
		}
		c := r.s[r.at]
		r.at++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	return 0
}

func (r *snapReader) varint(field string) int64 {
	u := r.uvarint(field)
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a length of at most what is left, so a corrupt count cannot
// make a huge allocation.
func (r *snapReader) count(field string) int {
	n := r.uvarint(field)
	if n > uint64(len(r.s)-r.at) {
		r.fail(field, fmt.Errorf("length %d beyond the record", n))
		return 0
	}
	return int(n)
}

func (r *snapReader) str(field string) string {
	n := r.count(field)
	if r.err != nil {
		return ""
	}
	v := r.s[r.at : r.at+n]
	r.at += n
	return v
}

func (r *snapReader) float(field string) float64 {
	if r.err != nil || len(r.s)-r.at < 8 {
		r.fail(field, errShort)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64([]byte(r.s[r.at : r.at+8])))
	r.at += 8
	return v
}

// take hands out n elements of *buf, first making a new slab of at least
// size elements when too few are left.
func take[T any](buf *[]T, n, size int) []T {
	if len(*buf) < n {
		*buf = make([]T, max(n, size))
	}
	v := (*buf)[:n:n]
	*buf = (*buf)[n:]
	return v
}
