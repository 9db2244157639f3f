package shp

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Kind is the one shape type a layer holds (the specification allows
// null shapes beside it).
type Kind int32

// The kinds a Writer writes: 2D points, multipoints, polylines (lines and
// multilines) and polygons (polygons and multipolygons).
const (
	Point      Kind = typePoint
	MultiPoint Kind = typeMultiPoint
	PolyLine   Kind = typePolyLine
	Polygon    Kind = typePolygon
)

// KindOf is the layer kind that holds g, and false for a geometry no
// layer kind holds (a collection).
func KindOf(g orb.Geometry) (Kind, bool) {
	switch g.(type) {
	case orb.Point:
		return Point, true
	case orb.MultiPoint:
		return MultiPoint, true
	case orb.LineString, orb.MultiLineString:
		return PolyLine, true
	case orb.Polygon, orb.MultiPolygon, orb.Ring:
		return Polygon, true
	}
	return 0, false
}

// maxText is the longest dBASE character field.
const maxText = 254

// Writer writes one layer: the .shp, its .shx index, the .dbf attribute
// table in UTF-8 (said by a .cpg), and the .prj when one is given. Text
// fields have the widths given (at most 254 bytes); a longer value is an
// error, never cut silently. Close writes the headers.
type Writer struct {
	base          string
	kind          Kind
	fields        []Field
	shpF, shxF    *os.File
	dbfF          *os.File
	shp, shx, dbf *bufio.Writer
	n             int
	offset        int64 // in 16-bit words, as the specification counts
	box           orb.Bound
	empty         bool
	recLen        int
}

// Create starts a layer at base (a path without extension; ".shp" is
// trimmed). fields are character ('C', Length bytes) or numeric ('N',
// Length digits with Decimals) columns; names of at most 10 bytes.
func Create(base string, kind Kind, fields []Field, prj string) (*Writer, error) {
	base = strings.TrimSuffix(base, ".shp")
	w := &Writer{base: base, kind: kind, fields: slices.Clone(fields), offset: 50, empty: true, recLen: 1}
	for _, f := range w.fields {
		if len(f.Name) == 0 || len(f.Name) > 10 {
			return nil, fmt.Errorf("field name %q must have 1 to 10 bytes", f.Name)
		}
		if (f.Type != 'C' && f.Type != 'N') || f.Length < 1 || f.Length > maxText {
			return nil, fmt.Errorf("field %s: type %c of %d bytes is not written", f.Name, f.Type, f.Length)
		}
		w.recLen += f.Length
	}
	var err error
	if w.shpF, err = os.Create(base + ".shp"); err != nil {
		return nil, err
	}
	if w.shxF, err = os.Create(base + ".shx"); err != nil {
		w.shpF.Close()
		return nil, err
	}
	if w.dbfF, err = os.Create(base + ".dbf"); err != nil {
		w.shpF.Close()
		w.shxF.Close()
		return nil, err
	}
	w.shp, w.shx, w.dbf = bufio.NewWriter(w.shpF), bufio.NewWriter(w.shxF), bufio.NewWriter(w.dbfF)
	// Headers are written again with the counts and the extent by Close.
	w.shp.Write(make([]byte, 100))
	w.shx.Write(make([]byte, 100))
	w.dbf.Write(make([]byte, 32+32*len(w.fields)+1))
	side := map[string]string{".cpg": "UTF-8"}
	if prj != "" {
		side[".prj"] = prj
	}
	for ext, text := range side {
		if err := os.WriteFile(base+ext, []byte(text), 0o644); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// Write appends a feature: its geometry (nil for a null shape) and its
// attributes in field order ("" is an empty value).
func (w *Writer) Write(g orb.Geometry, attrs []string) error {
	if len(attrs) != len(w.fields) {
		return fmt.Errorf("%d attributes for %d fields", len(attrs), len(w.fields))
	}
	rec, err := w.shape(g)
	if err != nil {
		return fmt.Errorf("feature %d: %w", w.n+1, err)
	}
	row := make([]byte, 1, w.recLen)
	row[0] = ' ' // not deleted
	for i, f := range w.fields {
		v := attrs[i]
		if len(v) > f.Length {
			return fmt.Errorf("feature %d: %s: %d bytes do not fit the field's %d", w.n+1, f.Name, len(v), f.Length)
		}
		if !utf8.ValidString(v) {
			return fmt.Errorf("feature %d: %s: not UTF-8", w.n+1, f.Name)
		}
		pad := strings.Repeat(" ", f.Length-len(v))
		if f.Type == 'N' {
			row = append(row, pad+v...) // numbers are right-aligned
		} else {
			row = append(row, v+pad...)
		}
	}
	w.dbf.Write(row)
	var head [8]byte
	binary.BigEndian.PutUint32(head[:], uint32(w.n+1))
	binary.BigEndian.PutUint32(head[4:], uint32(len(rec)/2))
	w.shp.Write(head[:])
	w.shp.Write(rec)
	binary.BigEndian.PutUint32(head[:], uint32(w.offset))
	w.shx.Write(head[:])
	w.offset += int64(4 + len(rec)/2)
	w.n++
	return nil
}

// shape encodes a record's content (specification, "Shape Types").
func (w *Writer) shape(g orb.Geometry) ([]byte, error) {
	if g == nil {
		return le32(nil, typeNull), nil
	}
	if k, ok := KindOf(g); !ok || k != w.kind {
		return nil, fmt.Errorf("a %s in a layer of %s", g.GeoJSONType(), kindName(w.kind))
	}
	b := g.Bound()
	w.extend(b)
	out := le32(nil, int32(w.kind))
	switch g := g.(type) {
	case orb.Point:
		return lef64(out, g[0], g[1]), nil
	case orb.MultiPoint:
		out = lef64(out, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		out = le32(out, int32(len(g)))
		for _, p := range g {
			out = lef64(out, p[0], p[1])
		}
		return out, nil
	}
	var parts [][]orb.Point
	switch g := g.(type) {
	case orb.LineString:
		parts = [][]orb.Point{g}
	case orb.MultiLineString:
		for _, l := range g {
			parts = append(parts, l)
		}
	case orb.Ring:
		parts = [][]orb.Point{shapeRing(g, true)}
	case orb.Polygon:
		parts = polygonParts(g)
	case orb.MultiPolygon:
		for _, p := range g {
			parts = append(parts, polygonParts(p)...)
		}
	}
	out = lef64(out, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out = le32(out, int32(len(parts)))
	out = le32(out, int32(total))
	at := 0
	for _, p := range parts {
		out = le32(out, int32(at))
		at += len(p)
	}
	for _, p := range parts {
		for _, pt := range p {
			out = lef64(out, pt[0], pt[1])
		}
	}
	return out, nil
}

// polygonParts are a polygon's rings as the specification orders them: the
// exterior clockwise, holes counter-clockwise (the reverse of RFC 7946).
func polygonParts(p orb.Polygon) [][]orb.Point {
	var parts [][]orb.Point
	for i, r := range p {
		parts = append(parts, shapeRing(r, i == 0))
	}
	return parts
}

// shapeRing returns r closed and wound clockwise for an exterior ring,
// counter-clockwise for a hole.
func shapeRing(r orb.Ring, outer bool) []orb.Point {
	pts := slices.Clone([]orb.Point(r))
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(pts, pts[0])
	}
	if clockwise := orb.Ring(pts).Orientation() == orb.CW; clockwise != outer {
		slices.Reverse(pts)
	}
	return pts
}

func (w *Writer) extend(b orb.Bound) {
	if w.empty {
		w.box, w.empty = b, false
		return
	}
	w.box = w.box.Union(b)
}

// Len is the number of features written.
func (w *Writer) Len() int { return w.n }

// Close writes the headers and closes the files.
func (w *Writer) Close() error {
	var errs []error
	for _, b := range []*bufio.Writer{w.shp, w.shx, w.dbf} {
		if b != nil {
			errs = append(errs, b.Flush())
		}
	}
	if w.dbf != nil {
		w.dbf.WriteByte(0x1A) // end of file
		errs = append(errs, w.dbf.Flush())
		errs = append(errs, w.writeHeaders())
	}
	for _, f := range []*os.File{w.shpF, w.shxF, w.dbfF} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) writeHeaders() error {
	shpLen := w.offset
	if err := w.mainHeader(w.shpF, shpLen); err != nil {
		return err
	}
	if err := w.mainHeader(w.shxF, 50+4*int64(w.n)); err != nil {
		return err
	}
	h := make([]byte, 32, 32+32*len(w.fields)+1)
	h[0] = 0x03 // dBASE III without memo
	h[1], h[2], h[3] = 126, 12, 3
	binary.LittleEndian.PutUint32(h[4:], uint32(w.n))
	binary.LittleEndian.PutUint16(h[8:], uint16(32+32*len(w.fields)+1))
	binary.LittleEndian.PutUint16(h[10:], uint16(w.recLen))
	for _, f := range w.fields {
		fd := make([]byte, 32)
		copy(fd, f.Name)
		fd[11] = f.Type
		fd[16], fd[17] = byte(f.Length), byte(f.Decimals)
		h = append(h, fd...)
	}
	h = append(h, 0x0D)
	_, err := w.dbfF.WriteAt(h, 0)
	return err
}

// mainHeader is the 100 bytes that begin the .shp and the .shx: file code,
// length in 16-bit words, version, shape type and extent.
func (w *Writer) mainHeader(f *os.File, words int64) error {
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h, 9994)
	binary.BigEndian.PutUint32(h[24:], uint32(words))
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], uint32(w.kind))
	box := w.box
	if w.empty {
		box = orb.Bound{}
	}
	for i, v := range []float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
		binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
	}
	_, err := f.WriteAt(h, 0)
	return err
}

func le32(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) }

func lef64(b []byte, vs ...float64) []byte {
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func kindName(k Kind) string {
	return map[Kind]string{Point: "points", MultiPoint: "multipoints", PolyLine: "lines", Polygon: "polygons"}[k]
}

// FormatNumber writes a number for an 'N' field of the given decimals.
func FormatNumber(v float64, decimals int) string {
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
