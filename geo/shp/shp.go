// Package shp reads ESRI Shapefiles (.shp geometry, .shx index, .dbf
// attributes, .cpg code page, .prj coordinate system) as orb geometries
// and attribute strings, one feature at a time, so a layer of any size is
// read in bounded memory.
//
// It follows the ESRI Shapefile Technical Description (July 1998) and the
// dBASE III table format. It is written by hand because no maintained Go
// module for the format is available to this project (the format is small).
// Shapes: points, multipoints, polylines and polygons, with their Z and M
// variants read as 2D. Polygon rings are grouped by the specification's rule
// — an outer ring is clockwise, a hole counter-clockwise inside it — and
// returned in RFC 7946 order (outer counter-clockwise, holes clockwise).
//
// Attribute text is decoded by the .cpg when there is one, else by the
// dBASE language driver byte, else detected: UTF-8 when the table is valid
// UTF-8, GB18030 (which includes GBK) otherwise — census layers in China are
// often GBK with no .cpg.
package shp

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Shape types of the specification (Table 1).
const (
	typeNull        = 0
	typePoint       = 1
	typePolyLine    = 3
	typePolygon     = 5
	typeMultiPoint  = 8
	typePointZ      = 11
	typePolyLineZ   = 13
	typePolygonZ    = 15
	typeMultiPointZ = 18
	typePointM      = 21
	typePolyLineM   = 23
	typePolygonM    = 25
	typeMultiPointM = 28
)

// maxRecordBytes bounds one shape record: a corrupt length must not make
// the reader allocate gigabytes.
const maxRecordBytes = 256 << 20

// Feature is one record of a layer: its geometry (nil for a null shape) and
// its attributes in field order, decoded and trimmed.
type Feature struct {
	// Index is the record's position in the layer, from 0.
	Index    int
	Geometry orb.Geometry
	Attrs    []string
}

// FeatureError is a malformed record, named by its layer and its feature
// number (from 1, as GIS tools count).
type FeatureError struct {
	Layer   string
	Feature int
	Message string
}

// Error implements error.
func (e *FeatureError) Error() string {
	return fmt.Sprintf("%s: feature %d: %s", e.Layer, e.Feature, e.Message)
}

// Reader reads a Shapefile layer.
type Reader struct {
	// Fields are the attribute columns of the .dbf, names decoded.
	Fields []Field
	// Encoding names how attributes are decoded, and how that was decided:
	// "UTF-8 (.cpg)", "GB18030 (GBK, detected)" ….
	Encoding string
	// PRJ is the .prj's WKT text, empty when there is none.
	PRJ string

	name     string
	shpFile  *os.File
	shp      *bufio.Reader
	shpType  int32
	dbf      *dbf
	shx      []int64 // record offsets from the .shx, when present
	index    int
	shpBytes int64
	pos      int64
}

// Open opens the layer of path (the .shp, or its name without extension).
// The .dbf is required; .shx, .cpg and .prj are read when present.
func Open(path string) (*Reader, error) {
	base := strings.TrimSuffix(path, extOf(path))
	name := baseName(path)
	f, err := openSide(base, ".shp")
	if err != nil {
		return nil, err
	}
	r := &Reader{name: name, shpFile: f, shp: bufio.NewReaderSize(f, 1<<16)}
	if err := r.readHeader(); err != nil {
		f.Close()
		return nil, err
	}
	if x, err := openSide(base, ".shx"); err == nil {
		r.shx, err = readSHX(x)
		x.Close()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s.shx: %w", name, err)
		}
	}
	if b, err := readSideText(base, ".prj"); err == nil {
		r.PRJ = strings.TrimSpace(b)
	}
	cpg, _ := readSideText(base, ".cpg")
	d, err := openSide(base, ".dbf")
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: the attribute table (.dbf) is missing: %w", name, err)
	}
	if r.dbf, err = openDBF(d, strings.TrimSpace(cpg)); err != nil {
		f.Close()
		d.Close()
		return nil, fmt.Errorf("%s.dbf: %w", name, err)
	}
	r.Fields, r.Encoding = r.dbf.fields, r.dbf.encName
	if r.shx != nil && len(r.shx) != r.dbf.n {
		r.Close()
		return nil, fmt.Errorf("%s: the index (.shx) has %d records but the table (.dbf) %d", name, len(r.shx), r.dbf.n)
	}
	return r, nil
}

// extOf returns the extension of a .shp path, or "" for a bare base name.
func extOf(path string) string {
	for _, e := range []string{".shp", ".SHP", ".Shp"} {
		if strings.HasSuffix(path, e) {
			return e
		}
	}
	return ""
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		path = path[i+1:]
	}
	return strings.TrimSuffix(path, extOf(path))
}

// openSide opens base+ext, trying the upper-case extension too.
func openSide(base, ext string) (*os.File, error) {
	f, err := os.Open(base + ext)
	if err != nil && errors.Is(err, os.ErrNotExist) {
		if g, err2 := os.Open(base + strings.ToUpper(ext)); err2 == nil {
			return g, nil
		}
	}
	return f, err
}

func readSideText(base, ext string) (string, error) {
	f, err := openSide(base, ext)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<16))
	return string(b), err
}

// Close closes the layer's files.
func (r *Reader) Close() error {
	err := r.shpFile.Close()
	if r.dbf != nil {
		r.dbf.f.Close()
	}
	return err
}

// Len returns the number of records.
func (r *Reader) Len() int { return r.dbf.n }

func (r *Reader) readHeader() error {
	var h [100]byte
	if _, err := io.ReadFull(r.shp, h[:]); err != nil {
		return fmt.Errorf("%s.shp: too short for a Shapefile header", r.name)
	}
	if code := binary.BigEndian.Uint32(h[0:]); code != 9994 {
		return fmt.Errorf("%s.shp: not a Shapefile (file code %d, want 9994)", r.name, code)
	}
	r.shpBytes = int64(binary.BigEndian.Uint32(h[24:])) * 2
	if v := binary.LittleEndian.Uint32(h[28:]); v != 1000 {
		return fmt.Errorf("%s.shp: unknown Shapefile version %d", r.name, v)
	}
	r.shpType = int32(binary.LittleEndian.Uint32(h[32:]))
	r.pos = 100
	return nil
}

func readSHX(f *os.File) ([]int64, error) {
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if len(b) < 100 || binary.BigEndian.Uint32(b) != 9994 || (len(b)-100)%8 != 0 {
		return nil, fmt.Errorf("not a Shapefile index")
	}
	out := make([]int64, 0, (len(b)-100)/8)
	for i := 100; i+8 <= len(b); i += 8 {
		out = append(out, int64(binary.BigEndian.Uint32(b[i:]))*2)
	}
	return out, nil
}

// Next returns the next feature, io.EOF after the last. A malformed shape or
// attribute record is an error naming the feature; the reader can go on to
// the next feature after one.
func (r *Reader) Next() (*Feature, error) {
	if r.index >= r.dbf.n {
		return nil, io.EOF
	}
	i := r.index
	r.index++
	bad := func(format string, args ...any) error {
		return &FeatureError{Layer: r.name, Feature: i + 1, Message: fmt.Sprintf(format, args...)}
	}
	if r.shx != nil && r.shx[i] != r.pos {
		return nil, bad("the index (.shx) puts it at byte %d but it is at %d; the .shp and .shx do not belong together", r.shx[i], r.pos)
	}
	var rh [8]byte
	if _, err := io.ReadFull(r.shp, rh[:]); err != nil {
		r.index = r.dbf.n
		return nil, bad("the .shp ends before its record")
	}
	n := int64(binary.BigEndian.Uint32(rh[4:])) * 2
	if n < 4 || n > maxRecordBytes || r.pos+8+n > r.shpBytes {
		r.index = r.dbf.n
		return nil, bad("record length %d bytes does not fit the file", n)
	}
	content := make([]byte, n)
	if _, err := io.ReadFull(r.shp, content); err != nil {
		r.index = r.dbf.n
		return nil, bad("the .shp ends inside its record")
	}
	r.pos += 8 + n
	attrs, deleted, aerr := r.dbf.record(i)
	if aerr != nil {
		return nil, bad("%v", aerr)
	}
	g, err := decodeShape(content)
	if err != nil {
		return nil, bad("%v", err)
	}
	if deleted {
		return r.Next()
	}
	return &Feature{Index: i, Geometry: g, Attrs: attrs}, nil
}

// decodeShape reads one record's content as 2D geometry.
func decodeShape(b []byte) (orb.Geometry, error) {
	t := int32(binary.LittleEndian.Uint32(b))
	b = b[4:]
	switch t {
	case typeNull:
		return nil, nil
	case typePoint, typePointZ, typePointM:
		if len(b) < 16 {
			return nil, fmt.Errorf("point record too short")
		}
		return checkPoint(orb.Point{f64(b), f64(b[8:])})
	case typeMultiPoint, typeMultiPointZ, typeMultiPointM:
		if len(b) < 36 {
			return nil, fmt.Errorf("multipoint record too short")
		}
		n := int(binary.LittleEndian.Uint32(b[32:]))
		pts, err := points(b[36:], n)
		if err != nil {
			return nil, err
		}
		return orb.MultiPoint(pts), nil
	case typePolyLine, typePolyLineZ, typePolyLineM, typePolygon, typePolygonZ, typePolygonM:
		parts, err := readParts(b)
		if err != nil {
			return nil, err
		}
		if t == typePolyLine || t == typePolyLineZ || t == typePolyLineM {
			return lines(parts)
		}
		return polygons(parts)
	}
	return nil, fmt.Errorf("unsupported shape type %d (MultiPatch and unknown types are not read)", t)
}

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

func checkPoint(p orb.Point) (orb.Point, error) {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return p, fmt.Errorf("coordinate is not a number")
	}
	return p, nil
}

func points(b []byte, n int) ([]orb.Point, error) {
	if n < 0 || len(b) < n*16 {
		return nil, fmt.Errorf("record holds fewer points than it says (%d)", n)
	}
	out := make([]orb.Point, n)
	for i := range out {
		p, err := checkPoint(orb.Point{f64(b[i*16:]), f64(b[i*16+8:])})
		if err != nil {
			return nil, fmt.Errorf("point %d: %w", i+1, err)
		}
		out[i] = p
	}
	return out, nil
}

// readParts splits a polyline or polygon record into its parts.
func readParts(b []byte) ([][]orb.Point, error) {
	if len(b) < 40 {
		return nil, fmt.Errorf("record too short")
	}
	np, npts := int(binary.LittleEndian.Uint32(b[32:])), int(binary.LittleEndian.Uint32(b[36:]))
	if np <= 0 || npts < 0 || np > npts || len(b) < 40+np*4 {
		return nil, fmt.Errorf("record has %d parts and %d points, which does not fit", np, npts)
	}
	pts, err := points(b[40+np*4:], npts)
	if err != nil {
		return nil, err
	}
	out := make([][]orb.Point, np)
	for i := range out {
		start := int(binary.LittleEndian.Uint32(b[40+i*4:]))
		end := npts
		if i+1 < np {
			end = int(binary.LittleEndian.Uint32(b[40+(i+1)*4:]))
		}
		if start < 0 || end > npts || start >= end {
			return nil, fmt.Errorf("part %d has a bad start index %d", i+1, start)
		}
		out[i] = pts[start:end]
	}
	return out, nil
}

func lines(parts [][]orb.Point) (orb.Geometry, error) {
	ml := make(orb.MultiLineString, len(parts))
	for i, p := range parts {
		if len(p) < 2 {
			return nil, fmt.Errorf("part %d of the line has %d point; at least 2 are needed", i+1, len(p))
		}
		ml[i] = orb.LineString(p)
	}
	if len(ml) == 1 {
		return ml[0], nil
	}
	return ml, nil
}

// polygons groups rings into polygons: clockwise rings are outer rings,
// counter-clockwise ones holes of the outer ring that contains them.
func polygons(parts [][]orb.Point) (orb.Geometry, error) {
	var polys []orb.Polygon
	var holes []orb.Ring
	for i, p := range parts {
		r := orb.Ring(p)
		if len(r) < 4 {
			return nil, fmt.Errorf("ring %d has %d points; at least 4 are needed", i+1, len(r))
		}
		if r[0] != r[len(r)-1] {
			return nil, fmt.Errorf("ring %d is not closed (its first and last points differ)", i+1)
		}
		switch r.Orientation() {
		case 0:
			return nil, fmt.Errorf("ring %d has no area", i+1)
		case orb.CW: // an outer ring
			r = append(orb.Ring(nil), r...)
			r.Reverse()
			polys = append(polys, orb.Polygon{r})
		default:
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		owner := -1
		for j, p := range polys {
			if planar.RingContains(p[0], h[0]) {
				owner = j
				break
			}
		}
		if owner < 0 {
			// A counter-clockwise ring outside every outer ring: files
			// written with the wrong winding. Take it as an outer ring.
			polys = append(polys, orb.Polygon{h})
			continue
		}
		h = append(orb.Ring(nil), h...)
		h.Reverse()
		polys[owner] = append(polys[owner], h)
	}
	if len(polys) == 0 {
		return nil, fmt.Errorf("polygon has no outer ring")
	}
	if len(polys) == 1 {
		return polys[0], nil
	}
	return orb.MultiPolygon(polys), nil
}
