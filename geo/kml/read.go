package kml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// xmlPlacemark is a Placemark as encoding/xml reads it: the parts this
// package writes, and what Google Earth, QGIS and GDAL write in the same
// places.
type xmlPlacemark struct {
	ID          string      `xml:"id,attr"`
	Name        string      `xml:"name"`
	Description string      `xml:"description"`
	Extended    xmlExtended `xml:"ExtendedData"`
	xmlGeometry
}

// xmlExtended is ExtendedData: Data pairs, SchemaData, and elements of
// other namespaces.
type xmlExtended struct {
	Data       []xmlData `xml:"Data"`
	SimpleData []xmlData `xml:"SchemaData>SimpleData"`
	Any        []xmlAny  `xml:",any"`
}

// xmlAny is an element of another namespace inside ExtendedData.
type xmlAny struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

type xmlData struct {
	Name   string `xml:"name,attr"`
	Value  string `xml:"value"`
	Simple string `xml:",chardata"` // SimpleData holds its value as text
}

// xmlGeometry holds whichever geometry element a Placemark (or a
// MultiGeometry) has.
type xmlGeometry struct {
	Points   []xmlCoords   `xml:"Point"`
	Lines    []xmlCoords   `xml:"LineString"`
	Polygons []xmlPolygon  `xml:"Polygon"`
	Multi    []xmlGeometry `xml:"MultiGeometry"`
}

type xmlCoords struct {
	Coordinates string `xml:"coordinates"`
}

type xmlPolygon struct {
	Outer xmlCoords   `xml:"outerBoundaryIs>LinearRing"`
	Inner []xmlCoords `xml:"innerBoundaryIs>LinearRing"`
}

// Read decodes the Placemarks of a KML document from r, in document order
// (Folders are walked into), calling fn for each as it is read. Errors name
// the placemark by its number and name.
func Read(r io.Reader, fn func(Placemark) error) error {
	dec := xml.NewDecoder(r)
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if n == 0 {
				return errors.New("kml: no Placemark in the document")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("kml: after placemark %d: %w", n, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Placemark" {
			continue
		}
		n++
		var x xmlPlacemark
		if err := dec.DecodeElement(&x, &se); err != nil {
			return fmt.Errorf("kml: placemark %d: %w", n, err)
		}
		p := Placemark{ID: x.ID, Name: strings.TrimSpace(x.Name), Description: x.Description}
		for _, d := range x.Extended.Data {
			p.Data = append(p.Data, Data{Name: d.Name, Value: d.Value})
		}
		for _, d := range x.Extended.SimpleData {
			p.Data = append(p.Data, Data{Name: d.Name, Value: d.Simple})
		}
		for _, e := range x.Extended.Any {
			if e.XMLName.Space != Namespace && e.XMLName.Space != "" {
				p.Extensions = append(p.Extensions, Extension{Name: e.XMLName, Text: e.Text})
			}
		}
		if p.Geometry, err = x.xmlGeometry.geometry(); err != nil {
			return fmt.Errorf("kml: placemark %d (%s): %w", n, p.Name, err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

// geometry returns the one geometry g holds (nil when none); a
// MultiGeometry of one kind becomes an orb Multi*, of mixed kinds a
// Collection.
func (g xmlGeometry) geometry() (orb.Geometry, error) {
	parts, err := g.parts()
	switch {
	case err != nil || len(parts) == 0:
		return nil, err
	case len(parts) == 1:
		return parts[0], nil
	}
	return multi(parts), nil
}

// parts reads each geometry element of g, a MultiGeometry as one part.
func (g xmlGeometry) parts() ([]orb.Geometry, error) {
	var parts []orb.Geometry
	for _, c := range g.Points {
		ps, err := parseCoords(c.Coordinates)
		if err != nil || len(ps) != 1 {
			return nil, fmt.Errorf("Point coordinates %q: want one lon,lat", strings.TrimSpace(c.Coordinates))
		}
		parts = append(parts, ps[0])
	}
	for _, c := range g.Lines {
		ps, err := parseCoords(c.Coordinates)
		if err != nil || len(ps) < 2 {
			return nil, fmt.Errorf("LineString coordinates: want two lon,lat or more (%v)", err)
		}
		parts = append(parts, orb.LineString(ps))
	}
	for _, pg := range g.Polygons {
		var poly orb.Polygon
		for i, c := range append([]xmlCoords{pg.Outer}, pg.Inner...) {
			ps, err := parseCoords(c.Coordinates)
			if err != nil || len(ps) < 4 {
				return nil, fmt.Errorf("Polygon ring %d: want four lon,lat or more, the last the first (%v)", i, err)
			}
			poly = append(poly, orb.Ring(ps))
		}
		parts = append(parts, poly)
	}
	for _, m := range g.Multi {
		sub, err := m.parts()
		if err != nil {
			return nil, err
		}
		if len(sub) > 0 {
			parts = append(parts, multi(sub))
		}
	}
	return parts, nil
}

// multi joins the parts of a MultiGeometry.
func multi(parts []orb.Geometry) orb.Geometry {
	var mp orb.MultiPoint
	var ml orb.MultiLineString
	var mpg orb.MultiPolygon
	for _, p := range parts {
		switch p := p.(type) {
		case orb.Point:
			mp = append(mp, p)
		case orb.LineString:
			ml = append(ml, p)
		case orb.Polygon:
			mpg = append(mpg, p)
		}
	}
	switch len(parts) {
	case len(mp):
		return mp
	case len(ml):
		return ml
	case len(mpg):
		return mpg
	}
	return orb.Collection(parts)
}

// parseCoords reads KML coordinates: lon,lat[,alt] tuples separated by
// white space (KML 2.2 §16.9.1); the altitude is dropped.
func parseCoords(s string) ([]orb.Point, error) {
	var out []orb.Point
	for _, t := range strings.Fields(s) {
		f := strings.Split(t, ",")
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("%q is not lon,lat", t)
		}
		lon, err1 := strconv.ParseFloat(f[0], 64)
		lat, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q is not lon,lat in degrees", t)
		}
		out = append(out, orb.Point{lon, lat})
	}
	return out, nil
}
