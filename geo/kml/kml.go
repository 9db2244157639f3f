// Package kml writes KML 2.2 (OGC 07-147r2) documents as a stream:
// Placemarks with a name, an escaped description, ExtendedData and
// Point/LineString/Polygon/Multi* geometry, optionally grouped in Folders
// (which GIS tools read as layers). Coordinates are WGS84 lon,lat as KML
// requires (§16.9.1).
//
// encoding/xml does the escaping; no Go KML library streams, so the element
// layout is written by hand.
package kml

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Namespace is the KML 2.2 XML namespace.
const Namespace = "http://www.opengis.net/kml/2.2"

// Placemark is one feature.
type Placemark struct {
	// ID becomes the id attribute when set (an XML NCName, e.g. "p123").
	ID string
	// Name is shown as the label.
	Name string
	// Description is plain text; it is XML-escaped, never interpreted as
	// HTML markup by this writer.
	Description string
	// Data are the ExtendedData name/value pairs, written in order.
	Data []Data
	// Extensions are elements of other namespaces inside ExtendedData (KML
	// 2.2 §9.3: arbitrary XML there is allowed and left alone by viewers,
	// which show only Data), for what an application keeps for itself.
	Extensions []Extension
	// Geometry in WGS84 lon/lat; nil writes a Placemark without geometry.
	Geometry orb.Geometry
}

// Extension is one element of another namespace with text content.
type Extension struct {
	Name xml.Name // Space is the namespace URI
	Text string
}

// Data is an ExtendedData <Data name="..."><value>...</value></Data> pair.
type Data struct {
	Name, Value string
}

// Writer streams a KML document. Call Close to finish it.
type Writer struct {
	bw      *bufio.Writer
	enc     *xml.Encoder
	folders int
	n       int // placemarks written, for error messages
	err     error
}

// NewWriter starts a KML document named name on w.
func NewWriter(w io.Writer, name string) (*Writer, error) {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return nil, err
	}
	kw := &Writer{bw: bw, enc: xml.NewEncoder(bw)}
	kw.enc.Indent("", " ")
	kw.start("kml", xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: Namespace})
	kw.start("Document")
	kw.text("name", name)
	return kw, kw.err
}

func (w *Writer) token(t xml.Token) {
	if w.err == nil {
		w.err = w.enc.EncodeToken(t)
	}
}

func (w *Writer) start(name string, attrs ...xml.Attr) {
	w.token(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
}

func (w *Writer) end(name string) {
	w.token(xml.EndElement{Name: xml.Name{Local: name}})
}

func (w *Writer) text(name, s string) {
	w.start(name)
	w.token(xml.CharData(s))
	w.end(name)
}

// StartFolder opens a Folder named name; placemarks written until the
// matching EndFolder go in it.
func (w *Writer) StartFolder(name string) error {
	w.start("Folder")
	w.text("name", name)
	w.folders++
	return w.err
}

// EndFolder closes the innermost open Folder.
func (w *Writer) EndFolder() error {
	if w.folders == 0 {
		return errors.New("kml: EndFolder without StartFolder")
	}
	w.end("Folder")
	w.folders--
	return w.err
}

// Write writes one Placemark.
func (w *Writer) Write(p Placemark) error {
	w.n++
	if w.err != nil {
		return w.err
	}
	if p.ID != "" {
		w.start("Placemark", xml.Attr{Name: xml.Name{Local: "id"}, Value: p.ID})
	} else {
		w.start("Placemark")
	}
	if p.Name != "" {
		w.text("name", p.Name)
	}
	if p.Description != "" {
		w.text("description", p.Description)
	}
	if len(p.Data) > 0 || len(p.Extensions) > 0 {
		w.start("ExtendedData")
		for _, d := range p.Data {
			w.start("Data", xml.Attr{Name: xml.Name{Local: "name"}, Value: d.Name})
			w.text("value", d.Value)
			w.end("Data")
		}
		for _, x := range p.Extensions {
			w.token(xml.StartElement{Name: xml.Name{Local: x.Name.Local}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: x.Name.Space}}})
			w.token(xml.CharData(x.Text))
			w.token(xml.EndElement{Name: xml.Name{Local: x.Name.Local}})
		}
		w.end("ExtendedData")
	}
	if p.Geometry != nil {
		if err := w.geometry(p.Geometry); err != nil {
			w.err = fmt.Errorf("kml: placemark %d (%s): %w", w.n, p.Name, err)
		}
	}
	w.end("Placemark")
	return w.err
}

func (w *Writer) geometry(g orb.Geometry) error {
	switch g := g.(type) {
	case orb.Point:
		w.start("Point")
		w.text("coordinates", coords([]orb.Point{g}))
		w.end("Point")
	case orb.LineString:
		if len(g) < 2 {
			return fmt.Errorf("LineString with %d points", len(g))
		}
		w.start("LineString")
		w.text("tessellate", "1")
		w.text("coordinates", coords(g))
		w.end("LineString")
	case orb.Ring:
		return w.geometry(orb.Polygon{g})
	case orb.Polygon:
		if len(g) == 0 {
			return errors.New("Polygon without rings")
		}
		w.start("Polygon")
		for i, r := range g {
			if len(r) < 3 {
				return fmt.Errorf("Polygon ring %d with %d points", i, len(r))
			}
			if r[0] != r[len(r)-1] { // KML §10.8.3.4: rings are closed
				r = append(r[:len(r):len(r)], r[0])
			}
			boundary := "innerBoundaryIs"
			if i == 0 {
				boundary = "outerBoundaryIs"
			}
			w.start(boundary)
			w.start("LinearRing")
			w.text("coordinates", coords(r))
			w.end("LinearRing")
			w.end(boundary)
		}
		w.end("Polygon")
	case orb.MultiPoint:
		return w.multi(len(g), func(i int) orb.Geometry { return g[i] })
	case orb.MultiLineString:
		return w.multi(len(g), func(i int) orb.Geometry { return g[i] })
	case orb.MultiPolygon:
		return w.multi(len(g), func(i int) orb.Geometry { return g[i] })
	case orb.Collection:
		return w.multi(len(g), func(i int) orb.Geometry { return g[i] })
	default:
		return fmt.Errorf("unsupported geometry %T", g)
	}
	return nil
}

func (w *Writer) multi(n int, at func(int) orb.Geometry) error {
	w.start("MultiGeometry")
	for i := range n {
		if err := w.geometry(at(i)); err != nil {
			return err
		}
	}
	w.end("MultiGeometry")
	return nil
}

// coords formats lon,lat tuples with the shortest exact decimal form.
func coords(ps []orb.Point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(p[0], 'f', -1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p[1], 'f', -1, 64))
	}
	return b.String()
}

// Close closes any open Folders and the document and flushes the output.
// It does not close the underlying io.Writer.
func (w *Writer) Close() error {
	for w.folders > 0 {
		w.EndFolder()
	}
	w.end("Document")
	w.end("kml")
	if w.err == nil {
		w.err = w.enc.Flush()
	}
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	return w.err
}
