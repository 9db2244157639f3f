package osm

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
)

// wayRecord is one way of the on-disk way index: id, offset of its first
// node reference in the reference file, and the number of references.
const wayRecord = 24

// WayIndex keeps the node references of every way in temporary files, so
// that a relation, which comes after its ways in the file, can be assembled
// from them without keeping ways on the heap. Like NodeIndex it is read
// through a memory map after Freeze.
type WayIndex struct {
	idx, refs *spool
	last      int64
	frozen    bool
}

// NewWayIndex creates an empty way index in dir ("" for the system's
// temporary directory).
func NewWayIndex(dir string) (*WayIndex, error) {
	idx, err := newSpool(dir, "way index", wayRecord, 1<<18)
	if err != nil {
		return nil, err
	}
	refs, err := newSpool(dir, "way index", 8, 1<<20)
	if err != nil {
		idx.close()
		return nil, err
	}
	return &WayIndex{idx: idx, refs: refs, last: math.MinInt64}, nil
}

// Add records the node references of way id.
func (x *WayIndex) Add(id int64, refs []int64) error {
	if x.frozen {
		return fmt.Errorf("way %d comes after the relations: the file is not sorted; sort it with `osmium sort`", id)
	}
	var b [wayRecord]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(id))
	binary.LittleEndian.PutUint64(b[8:], uint64(x.refs.n))
	binary.LittleEndian.PutUint64(b[16:], uint64(len(refs)))
	if err := x.idx.write(b[:]); err != nil {
		return err
	}
	for _, r := range refs {
		binary.LittleEndian.PutUint64(b[:8], uint64(r))
		if err := x.refs.write(b[:8]); err != nil {
			return err
		}
	}
	if id <= x.last {
		x.idx.sorted = false
	}
	x.last = id
	return nil
}

// Freeze ends adding and maps the files.
func (x *WayIndex) Freeze() error {
	if x.frozen {
		return nil
	}
	x.frozen = true
	if err := x.idx.freeze(); err != nil {
		return err
	}
	return x.refs.freeze()
}

// Refs returns the node references of way id (appended to buf), false when
// the extract does not hold the way.
func (x *WayIndex) Refs(id int64, buf []int64) ([]int64, bool) {
	d := x.idx.data
	n := len(d) / wayRecord
	at := func(i int) int64 { return int64(binary.LittleEndian.Uint64(d[i*wayRecord:])) }
	i := sort.Search(n, func(i int) bool { return at(i) >= id })
	if i == n || at(i) != id {
		return buf, false
	}
	r := d[i*wayRecord:]
	off := int(binary.LittleEndian.Uint64(r[8:]))
	cnt := int(binary.LittleEndian.Uint64(r[16:]))
	for k := off; k < off+cnt; k++ {
		buf = append(buf, int64(binary.LittleEndian.Uint64(x.refs.data[k*8:])))
	}
	return buf, true
}

// Close unmaps and removes the files.
func (x *WayIndex) Close() error {
	err := x.idx.close()
	if e := x.refs.close(); err == nil {
		err = e
	}
	return err
}
