//go:build !js

package search

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// spatialFile holds the k-d tree of a build (kdtree.go) in its layout, so
// opening an index reads it instead of indexing every point again:
// spatialMagic (whose last byte is the version), the number of points as a
// uvarint, then per point its longitude and latitude (8 IEEE-754 bytes
// each) and the place's position in the snapshot (4 bytes), little-endian.
const spatialFile = "points.bin"

const spatialMagic = "wumen-points\x01"

const spatialRecord = 8 + 8 + 4

// saveSpatial writes the k-d tree of s; pos is each place's position in the
// snapshot.
func saveSpatial(dir string, s *spatial, pos map[*entry]int) error {
	b := binary.AppendUvarint(append(make([]byte, 0, len(spatialMagic)+10+spatialRecord*len(s.kd)), spatialMagic...), uint64(len(s.kd)))
	for _, it := range s.kd {
		b = appendFloat(appendFloat(b, it.p[0]), it.p[1])
		b = binary.LittleEndian.AppendUint32(b, uint32(pos[it.e]))
	}
	return writeSynced(filepath.Join(dir, spatialFile), b)
}

// loadSpatial reads the k-d tree saved by saveSpatial; ents are the places
// of the snapshot in its order.
func loadSpatial(dir string, ents []*entry) (*spatial, error) {
	b, err := os.ReadFile(filepath.Join(dir, spatialFile))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(string(b), spatialMagic) {
		return nil, fmt.Errorf("search: %s: not a spatial index of this version (want %q at the start)", spatialFile, spatialMagic)
	}
	r := snapReader{s: string(b[len(spatialMagic):min(len(b), len(spatialMagic)+binary.MaxVarintLen64)])}
	n := r.uvarint("count")
	b = b[len(spatialMagic)+r.at:]
	if r.err != nil || n != uint64(len(b)/spatialRecord) || len(b)%spatialRecord != 0 {
		return nil, fmt.Errorf("search: %s: %d bytes of points for a count of %d (the file is damaged: rebuild the index)", spatialFile, len(b), n)
	}
	kd := make(kdTree, n)
	for i := range kd {
		rec := b[i*spatialRecord : (i+1)*spatialRecord]
		pos := binary.LittleEndian.Uint32(rec[16:])
		if int(pos) >= len(ents) {
			return nil, fmt.Errorf("search: %s: point %d: place %d beyond the snapshot's %d (the file is damaged: rebuild the index)", spatialFile, i, pos, len(ents))
		}
		kd[i] = kdItem{p: [2]float64{math.Float64frombits(binary.LittleEndian.Uint64(rec)), math.Float64frombits(binary.LittleEndian.Uint64(rec[8:]))}, e: ents[pos]}
	}
	return &spatial{kd: kd, tree: newQuadtree()}, nil
}
