package osm

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// nodeRecord is one node of the on-disk location index: the id, then the
// longitude and latitude as 1e-7 degree integers (the precision OSM stores).
const nodeRecord = 16

// coordScale is OSM's fixed-point scale: 1e-7 degrees (about 1 cm).
const coordScale = 1e7

// NodeIndex holds node locations in a temporary file, read back through a
// memory map: 16 bytes a node, none of them on the Go heap, so an extract of
// any size is read with the same heap (the approach of osmium's sparse
// mmap array). Nodes are added in any order; Freeze sorts them by id once
// (an extract in id order, as osmium and planet dumps write it, is already
// sorted and is not re-sorted).
type NodeIndex struct {
	s      *spool
	last   int64
	frozen bool
}

// NewNodeIndex creates an empty index in a new temporary file in dir ("" for
// the system's temporary directory).
func NewNodeIndex(dir string) (*NodeIndex, error) {
	s, err := newSpool(dir, "node location index", nodeRecord, 1<<20)
	if err != nil {
		return nil, err
	}
	return &NodeIndex{s: s, last: math.MinInt64}, nil
}

// Add records the location of node id.
func (x *NodeIndex) Add(id int64, p orb.Point) error {
	if x.frozen {
		return fmt.Errorf("node %d comes after the ways: the file is not sorted (nodes, then ways, then relations); sort it with `osmium sort`", id)
	}
	var b [nodeRecord]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(id))
	binary.LittleEndian.PutUint32(b[8:], uint32(int32(math.Round(p[0]*coordScale))))
	binary.LittleEndian.PutUint32(b[12:], uint32(int32(math.Round(p[1]*coordScale))))
	if id <= x.last {
		x.s.sorted = false
	}
	x.last = id
	return x.s.write(b[:])
}

// Len is the number of nodes added.
func (x *NodeIndex) Len() int { return x.s.n }

// Freeze ends adding: the file is flushed, mapped and, if nodes came out of
// id order, sorted in place.
func (x *NodeIndex) Freeze() error {
	if x.frozen {
		return nil
	}
	x.frozen = true
	return x.s.freeze()
}

// Get returns the location of node id, false when the extract does not hold
// it (a way clipped at the edge of the extract).
func (x *NodeIndex) Get(id int64) (orb.Point, bool) {
	d := x.s.data
	n := len(d) / nodeRecord
	at := func(i int) int64 { return int64(binary.LittleEndian.Uint64(d[i*nodeRecord:])) }
	i := sort.Search(n, func(i int) bool { return at(i) >= id })
	if i == n || at(i) != id {
		return orb.Point{}, false
	}
	r := d[i*nodeRecord:]
	lon := int32(binary.LittleEndian.Uint32(r[8:]))
	lat := int32(binary.LittleEndian.Uint32(r[12:]))
	return orb.Point{float64(lon) / coordScale, float64(lat) / coordScale}, true
}

// Close unmaps and removes the file.
func (x *NodeIndex) Close() error { return x.s.close() }

// recordSorter sorts fixed-size records by their leading little-endian id.
type recordSorter struct {
	b    []byte
	size int
}

func (s recordSorter) Len() int { return len(s.b) / s.size }
func (s recordSorter) Less(i, j int) bool {
	return int64(binary.LittleEndian.Uint64(s.b[i*s.size:])) < int64(binary.LittleEndian.Uint64(s.b[j*s.size:]))
}
func (s recordSorter) Swap(i, j int) {
	var t [32]byte
	a, b := s.b[i*s.size:(i+1)*s.size], s.b[j*s.size:(j+1)*s.size]
	copy(t[:], a)
	copy(a, b)
	copy(b, t[:s.size])
}
