// Package osm reads OpenStreetMap extracts — PBF (.osm.pbf), XML (.osm,
// plain, .bz2 or .gz) and Overpass JSON (including `out geom`) — as a
// stream of objects with their geometry: a node as a point, a way as a line,
// a multipolygon or boundary relation as a polygon with its holes, any
// other relation as the lines of its member ways.
//
// Decoding is github.com/paulmach/osm's (osmpbf, osmxml). Node locations
// and the node lists of ways go to temporary files read through a memory
// map (NodeIndex, WayIndex), so the heap needed does not grow with the size
// of the extract. Rings are assembled here (assemble.go) rather than with
// the library's osmgeojson, which needs the whole extract in memory and
// drops a ring it cannot close without saying so; here a broken relation is
// reported with its id. MergeLines joins the ways of one street or river.
//
// The package knows OSM, not the gazetteer: which objects become places is
// decided by the caller (Reader.Keep).
package osm

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// Format is an OSM file format.
type Format string

// Formats read.
const (
	PBF      Format = "pbf"
	XML      Format = "xml"
	Overpass Format = "overpass" // Overpass API JSON
)

// Object is one OSM element as the reader hands it on.
type Object struct {
	Type string // node, way or relation
	ID   int64
	Tags osm.Tags
	// Geometry is a Point (node), a LineString (way, closed or not), a
	// Polygon or MultiPolygon (multipolygon and boundary relations) or a
	// MultiLineString (the member ways of any other relation); nil when Err
	// is set.
	Geometry orb.Geometry
	// Closed is true for a way whose first and last node are the same.
	Closed bool
	// Err says why no geometry could be built (a ring that does not close,
	// member ways missing from the extract); the object is still handed on
	// so that the caller can report it.
	Err error
}

// Ref is the object's OSM reference as Wumen links it: node/1, way/2,
// relation/3.
func (o *Object) Ref() string { return fmt.Sprintf("%s/%d", o.Type, o.ID) }

// Stats counts what a read went through.
type Stats struct {
	Nodes, Ways, Relations int64
	// Bytes is how much of the file has been read (compressed size for a
	// compressed file): progress against the file's size.
	Bytes int64
}

// Reader reads OSM files. The zero value reads every tagged object.
type Reader struct {
	// TempDir holds the node and way index files ("" for the system's
	// temporary directory).
	TempDir string
	// Keep reports whether an object is wanted; only wanted objects get a
	// geometry and are handed on. Nil wants every object with tags. It is
	// called from one goroutine at a time, but reading PBF not from the
	// caller's (the decoder's, ahead of the objects handed on).
	Keep func(typ string, tags osm.Tags) bool
	// Progress, when set, is called five times a second during the read
	// and once at its end, from a goroutine of its own.
	Progress func(Stats)
	// Procs is the number of PBF decoding goroutines (0: one, which files
	// objects in the indexes as it decodes them; more decode blocks in
	// parallel but hand every object on to be filed).
	Procs int
}

// FormatOf tells an OSM file's format from its name: .osm.pbf/.pbf, .osm
// or .xml (optionally .bz2 or .gz), and .json when its first bytes look like
// Overpass output (head is the start of the file, after decompression).
func FormatOf(name string, head []byte) (Format, bool) {
	n := strings.ToLower(name)
	n = strings.TrimSuffix(strings.TrimSuffix(n, ".bz2"), ".gz")
	switch {
	case strings.HasSuffix(n, ".pbf"):
		return PBF, true
	case strings.HasSuffix(n, ".osm"), strings.HasSuffix(n, ".osm.xml"):
		return XML, true
	case strings.HasSuffix(n, ".json"):
		return Overpass, LooksOverpass(head)
	}
	return "", false
}

// LooksOverpass reports whether the start of a JSON file is Overpass API
// output (an "elements" array, usually after "osm3s"), not GeoJSON.
func LooksOverpass(head []byte) bool {
	s := string(head)
	e := strings.Index(s, `"elements"`)
	if e < 0 {
		return false
	}
	f := strings.Index(s, `"features"`)
	return f < 0 || e < f
}

// Sniff reports whether the file name is an OSM file this package reads,
// peeking at a .json file's first bytes.
func Sniff(name string) (Format, bool) {
	if !strings.HasSuffix(strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(name, ".bz2"), ".gz")), ".json") {
		return FormatOf(name, nil)
	}
	f, err := os.Open(name)
	if err != nil {
		return "", false
	}
	defer f.Close()
	r, err := decompress(name, f)
	if err != nil {
		return "", false
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r, head)
	return FormatOf(name, head[:n])
}

// decompress wraps r in a bzip2 or gzip reader by the file's suffix.
func decompress(name string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".bz2":
		return bzip2.NewReader(bufio.NewReaderSize(r, 1<<20)), nil
	case ".gz":
		return gzip.NewReader(bufio.NewReaderSize(r, 1<<20))
	}
	return r, nil
}

// countingReader counts the bytes read through it (the PBF decoder reads
// on its own goroutine, hence atomic).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// ReadFile reads the OSM file name and calls fn with every wanted object:
// nodes, then ways, then relations, as the file orders them. An error of fn
// stops the read and is returned.
func (rd *Reader) ReadFile(ctx context.Context, name string, fn func(*Object) error) (Stats, error) {
	format, ok := Sniff(name)
	if !ok {
		return Stats{}, fmt.Errorf("%s: not an OpenStreetMap file (.osm.pbf, .osm, .osm.bz2, .osm.gz or Overpass .json)", filepath.Base(name))
	}
	f, err := os.Open(name)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	var r io.Reader = cr
	if format != PBF {
		if r, err = decompress(name, cr); err != nil {
			return Stats{}, fmt.Errorf("%s: %w", filepath.Base(name), err)
		}
	}
	st, err := rd.read(ctx, r, format, cr, fn)
	if err != nil {
		return st, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return st, nil
}

// Read reads an OSM stream of the given format (already decompressed).
func (rd *Reader) Read(ctx context.Context, r io.Reader, format Format, fn func(*Object) error) (Stats, error) {
	cr := &countingReader{r: r}
	return rd.read(ctx, cr, format, cr, fn)
}

// scanner is what osmpbf.Scanner, osmxml.Scanner and the Overpass reader
// share.
type scanner interface {
	Scan() bool
	Object() osm.Object
	Err() error
	Close() error
}

func (rd *Reader) read(ctx context.Context, r io.Reader, format Format, cr *countingReader, fn func(*Object) error) (Stats, error) {
	st, err := newStream(rd)
	if err != nil {
		return Stats{}, err
	}
	defer st.close()
	var sc scanner
	switch format {
	case PBF:
		// One decoding goroutine, which also files every object in the
		// indexes as it decodes it and hands on only the wanted ones (see
		// stream): untagged nodes and unwanted ways cost no allocation.
		procs := rd.Procs
		if procs <= 0 {
			procs = 1
		}
		ps := osmpbf.New(ctx, r, procs)
		if procs == 1 {
			ps.FilterNode = filter(st, st.fileNode)
			ps.FilterWay = filter(st, st.fileWay)
			ps.FilterRelation = filter(st, st.fileRelation)
			st.filtered = true
		}
		sc = ps
	case XML:
		sc = osmxml.New(ctx, r)
	case Overpass:
		o, err := readOverpass(r)
		if err != nil {
			return Stats{}, err
		}
		sc = o
	default:
		return Stats{}, fmt.Errorf("unknown OSM format %q", format)
	}
	defer sc.Close()
	st.cr = cr
	if rd.Progress != nil {
		stop := st.report(rd.Progress)
		defer stop()
	}
	for sc.Scan() {
		if err := st.object(sc.Object(), fn); err != nil {
			return st.counts(), err
		}
	}
	if st.err != nil {
		return st.counts(), st.err
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return st.counts(), readError(err)
	}
	if err := ctx.Err(); err != nil {
		return st.counts(), err
	}
	return st.counts(), nil
}

// readError words a decoding error for a user: XML errors with their line.
func readError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: broken XML: %s", se.Line, se.Msg)
	}
	return fmt.Errorf("cannot be read as OpenStreetMap data: %w", err)
}
