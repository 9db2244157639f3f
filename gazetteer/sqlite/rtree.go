package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// A bulk load packs the R*Tree of the places in one pass instead of
// inserting its entries one by one: SQLite's R*Tree spends about 11 µs on
// each insertion (choosing a leaf, splitting, reinserting), a fifth of an
// import's time (BENCHMARKS.md, "Import"). The tree is written straight into
// the R*Tree's shadow tables in SQLite's own format (sqlite.org/rtree.html,
// "Implementation details" in ext/rtree/rtree.c): places_rtree_node holds
// one blob a node, node 1 the root; places_rtree_parent the parent of every
// other node; places_rtree_rowid the leaf of every entry. Leaves are filled
// by sort-tile-recursive packing, so boxes near each other share a node.

// rtreeBox is one entry of the R*Tree: a place's bounding box in the 32-bit
// floats the R*Tree stores, rounded outwards as it rounds them. gone marks
// a place written again without a geometry.
type rtreeBox struct {
	id                             int64
	minLon, maxLon, minLat, maxLat float32
	gone                           bool
}

// boxOf returns the R*Tree entry of place id with bound b.
func boxOf(id int64, b orb.Bound) rtreeBox {
	return rtreeBox{id: id, minLon: roundDown(b.Min.Lon()), maxLon: roundUp(b.Max.Lon()),
		minLat: roundDown(b.Min.Lat()), maxLat: roundUp(b.Max.Lat())}
}

// The R*Tree's rounding of a double to the next float no greater
// (roundDown) or no less (roundUp) than it, step for step as SQLite's
// rtreeValueDown and rtreeValueUp: one step of the float's bits away from
// the nearest float when that one lies on the wrong side.
func roundDown(d float64) float32 {
	f := float32(d)
	if float64(f) > d {
		x := math.Float32bits(f)
		if x&0x80000000 != 0 {
			x++
		} else {
			x--
		}
		f = math.Float32frombits(x)
	}
	return f
}

func roundUp(d float64) float32 {
	f := float32(d)
	if float64(f) < d {
		x := math.Float32bits(f)
		if x&0x80000000 != 0 {
			x--
		} else {
			x++
		}
		f = math.Float32frombits(x)
	}
	return f
}

// rtreeCell is one cell of a node: an entry's id (a child's node number
// above the leaves) and its box.
type rtreeCell = rtreeBox

// storedBoxes reads the entries of the R*Tree.
func storedBoxes(ctx context.Context, tx *sql.Tx) ([]rtreeBox, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, min_lon, max_lon, min_lat, max_lat FROM places_rtree`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rtreeBox
	for rows.Next() {
		var b rtreeBox
		var c [4]float64
		if err := rows.Scan(&b.id, &c[0], &c[1], &c[2], &c[3]); err != nil {
			return nil, err
		}
		b.minLon, b.maxLon, b.minLat, b.maxLat = float32(c[0]), float32(c[1]), float32(c[2]), float32(c[3])
		out = append(out, b)
	}
	return out, rows.Err()
}

// latest keeps, of the entries of each id, the last one, and drops those
// that are gone. It sorts boxes by id.
func latest(boxes []rtreeBox) []rtreeBox {
	slices.SortStableFunc(boxes, func(a, b rtreeBox) int { return cmp.Compare(a.id, b.id) })
	out := boxes[:0]
	for i, b := range boxes {
		if i+1 < len(boxes) && boxes[i+1].id == b.id {
			continue
		}
		if !b.gone {
			out = append(out, b)
		}
	}
	return out
}

// packRTree replaces the content of the R*Tree with boxes (one entry an id).
// It reorders boxes.
func packRTree(ctx context.Context, tx *sql.Tx, boxes []rtreeBox) error {
	var nodeSize int
	if err := tx.QueryRowContext(ctx, `SELECT length(data) FROM places_rtree_node WHERE nodeno=1`).Scan(&nodeSize); err != nil {
		return fmt.Errorf("reading the R*Tree's node size: %w", err)
	}
	const cellSize = 8 + 4*4
	fanout := (nodeSize - 4) / cellSize
	if fanout < 4 {
		return fmt.Errorf("an R*Tree node of %d bytes", nodeSize)
	}
	for _, q := range []string{`DELETE FROM places_rtree_node`, `DELETE FROM places_rtree_parent`, `DELETE FROM places_rtree_rowid`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	w := &rtreeWriter{ctx: ctx, tx: tx, nodeSize: nodeSize, next: 2}
	cells := boxes
	for depth := 0; ; depth++ {
		nodes := tile(cells, fanout)
		if len(nodes) <= 1 {
			var root []rtreeCell
			if len(nodes) == 1 {
				root = nodes[0]
			}
			if err := w.node(1, depth, root, depth == 0); err != nil {
				return err
			}
			return w.finish()
		}
		up := make([]rtreeCell, len(nodes))
		for i, n := range nodes {
			no := w.next
			w.next++
			if err := w.node(no, -1, n, depth == 0); err != nil {
				return err
			}
			up[i] = bound(no, n)
		}
		cells = up
	}
}

// tile groups cells into nodes of at most fanout cells, sort-tile-recursive:
// sorted by the centre's longitude into vertical slices of whole nodes, each
// slice sorted by the centre's latitude.
func tile(cells []rtreeCell, fanout int) [][]rtreeCell {
	if len(cells) == 0 {
		return nil
	}
	nodes := (len(cells) + fanout - 1) / fanout
	perSlice := fanout * int(math.Ceil(math.Sqrt(float64(nodes))))
	slices.SortFunc(cells, func(a, b rtreeCell) int { return cmp.Compare(a.minLon+a.maxLon, b.minLon+b.maxLon) })
	var out [][]rtreeCell
	for s := 0; s < len(cells); s += perSlice {
		sl := cells[s:min(s+perSlice, len(cells))]
		slices.SortFunc(sl, func(a, b rtreeCell) int { return cmp.Compare(a.minLat+a.maxLat, b.minLat+b.maxLat) })
		for n := 0; n < len(sl); n += fanout {
			out = append(out, sl[n:min(n+fanout, len(sl))])
		}
	}
	return out
}

// bound returns the cell of node no: the box bounding its cells.
func bound(no int64, cells []rtreeCell) rtreeCell {
	b := cells[0]
	b.id = no
	for _, c := range cells[1:] {
		b.minLon, b.maxLon = min(b.minLon, c.minLon), max(b.maxLon, c.maxLon)
		b.minLat, b.maxLat = min(b.minLat, c.minLat), max(b.maxLat, c.maxLat)
	}
	return b
}

// rtreeWriter writes the rows of the shadow tables as multi-row INSERTs.
type rtreeWriter struct {
	ctx      context.Context
	tx       *sql.Tx
	nodeSize int
	next     int64 // the next free node number

	nodes, parents, rowids []any
	// leaves are the (entry, leaf node) pairs of places_rtree_rowid,
	// written last in the order of the entries' ids: inserted in the order
	// of the tiles, each went to a random page of a table as large as the
	// tree (a fifth of the packing time at a million entries).
	leaves [][2]int64
}

// node queues node no with cells (depth ≥ 0 for the root, which records
// the tree's depth); the cells of a leaf are entries, whose rows of
// places_rtree_rowid it queues, and those of an inner node are nodes, whose
// parent it is.
func (w *rtreeWriter) node(no int64, depth int, cells []rtreeCell, leaf bool) error {
	blob := make([]byte, w.nodeSize)
	if depth >= 0 {
		binary.BigEndian.PutUint16(blob, uint16(depth))
	}
	binary.BigEndian.PutUint16(blob[2:], uint16(len(cells)))
	p := blob[4:]
	for _, c := range cells {
		binary.BigEndian.PutUint64(p, uint64(c.id))
		for i, f := range [4]float32{c.minLon, c.maxLon, c.minLat, c.maxLat} {
			binary.BigEndian.PutUint32(p[8+4*i:], math.Float32bits(f))
		}
		p = p[24:]
		if leaf {
			w.leaves = append(w.leaves, [2]int64{c.id, no})
		} else {
			w.parents = append(w.parents, c.id, no)
		}
	}
	w.nodes = append(w.nodes, no, blob)
	if len(w.nodes) >= 2*rowsPerInsert || len(w.parents) >= 2*4*rowsPerInsert {
		return w.flush()
	}
	return nil
}

// finish writes the queued nodes and parents, then the leaves' rows in the
// order of the entries' ids.
func (w *rtreeWriter) finish() error {
	if err := w.flush(); err != nil {
		return err
	}
	slices.SortFunc(w.leaves, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	for len(w.leaves) > 0 {
		n := min(len(w.leaves), 4*rowsPerInsert)
		for _, l := range w.leaves[:n] {
			w.rowids = append(w.rowids, l[0], l[1])
		}
		w.leaves = w.leaves[n:]
		if err := w.flush(); err != nil {
			return err
		}
	}
	return nil
}

// flush writes the queued rows.
func (w *rtreeWriter) flush() error {
	for _, t := range []struct {
		table string
		rows  *[]any
	}{{"places_rtree_node", &w.nodes}, {"places_rtree_parent", &w.parents}, {"places_rtree_rowid", &w.rowids}} {
		for len(*t.rows) > 0 {
			n := min(len(*t.rows), 2*4*rowsPerInsert)
			q := `INSERT INTO ` + t.table + ` VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?),", n/2), ",")
			if _, err := w.tx.ExecContext(w.ctx, q, (*t.rows)[:n]...); err != nil {
				return fmt.Errorf("writing %s: %w", t.table, err)
			}
			*t.rows = (*t.rows)[n:]
		}
		*t.rows = nil
	}
	return nil
}
