//go:build !js

package gazetteer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/geo"
)

// GeoJSONOptions say how GeoJSON is read.
type GeoJSONOptions struct {
	// CRS is what the import was told (zero: what the file declares, else
	// WGS84).
	CRS geo.CRS
	// Categories resolves a category written as text in flat properties
	// (DefaultCategories when nil).
	Categories *Categories
}

// ReadGeoJSON reads a FeatureCollection whose features carry Place fields as
// properties (as WriteGeoJSON writes them), or flat properties as GDAL and
// QGIS write them (flatProperties), converting coordinates from crs to
// WGS84 at the edge. The file's declared CRS (wumen_crs, or the crs member
// of GeoJSON 2008 that GDAL writes) must agree with crs.
func ReadGeoJSON(r io.Reader, name string, crs geo.CRS) ([]Input, error) {
	return ReadGeoJSONWith(r, name, GeoJSONOptions{CRS: crs})
}

// ReadGeoJSONWith is ReadGeoJSON with options.
func ReadGeoJSONWith(r io.Reader, name string, o GeoJSONOptions) ([]Input, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b = trimBOM(b)
	if !utf8.Valid(b) {
		return nil, &Error{Code: EInvalid, Where: name, Message: "invalid UTF-8"}
	}
	var fc struct {
		Type     string            `json:"type"`
		CRS      string            `json:"wumen_crs"`
		OGCCRS   *namedCRS         `json:"crs"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, At(jsonError(err), name)
	}
	if fc.Type != "FeatureCollection" {
		return nil, &Error{Code: EInvalid, Where: name + ": type", Message: "expected a GeoJSON FeatureCollection"}
	}
	crs, err := DeclaredCRS(name+": wumen_crs", o.CRS, fc.CRS)
	if err != nil {
		return nil, err
	}
	if fc.OGCCRS != nil {
		if crs, err = DeclaredCRS(name+": crs", crs, fc.OGCCRS.Properties.Name); err != nil {
			return nil, err
		}
	}
	o.CRS = crs
	var out []Input
	for i, raw := range fc.Features {
		where := fmt.Sprintf("%s: features[%d]", name, i)
		if len(raw) > MaxRecordBytes {
			return nil, tooLong(where, len(raw))
		}
		in, err := o.feature(raw, where)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// ReadGeoJSONSeq reads a sequence of GeoJSON features, one a line: RFC 8142
// GeoJSON text sequences (each record led by the record separator, U+001E)
// and newline-delimited GeoJSON Lines alike. Each feature may declare its
// CRS in properties.wumen_crs.
func ReadGeoJSONSeq(r io.Reader, name string, o GeoJSONOptions) ([]Input, error) {
	var out []Input
	err := eachLine(r, name, func(b []byte, where string) error {
		b = bytes.TrimSpace(bytes.TrimLeft(b, "\x1e"))
		if len(b) == 0 {
			return nil
		}
		if !utf8.Valid(b) {
			return &Error{Code: EInvalid, Where: where, Message: "invalid UTF-8"}
		}
		in, err := o.feature(b, where)
		if err != nil {
			return err
		}
		out = append(out, in)
		return nil
	})
	return out, err
}

// namedCRS is the crs member of GeoJSON 2008 (RFC 7946 §4 dropped it; GDAL
// still writes it).
type namedCRS struct {
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// feature reads one feature: properties, id, geometry in o.CRS (or the CRS
// its properties declare).
func (o GeoJSONOptions) feature(raw []byte, where string) (Input, error) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return Input{}, At(jsonError(err), where)
	}
	if f.Type != "Feature" {
		return Input{}, &Error{Code: EInvalid, Where: where + ": type", Message: "expected a GeoJSON Feature"}
	}
	p, declared, err := o.properties(f.Properties, where+": properties")
	if err != nil {
		return Input{}, err
	}
	crs, err := DeclaredCRS(where+": properties.wumen_crs", o.CRS, declared)
	if err != nil {
		return Input{}, err
	}
	if p.ID == 0 && len(f.ID) > 0 {
		if id, err := strconv.ParseInt(strings.Trim(string(f.ID), `"`), 10, 64); err == nil {
			p.ID = id
		}
	}
	p.Geometry, p.Label = nil, nil
	if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
		g, err := ParseGeoJSONGeometry(f.Geometry)
		if err != nil {
			return Input{}, At(err, where+": geometry")
		}
		p.Geometry = geo.ToWGS84(g, crs)
	}
	return Input{Place: p, Where: where}, nil
}

// properties reads a feature's properties: a Wumen record (what
// WriteGeoJSON writes), the record column a Wumen GeoPackage carries
// (ogr2ogr copies it into the GeoJSON it writes), or flat properties.
func (o GeoJSONOptions) properties(raw json.RawMessage, where string) (*Place, string, error) {
	p := new(Place)
	if len(raw) == 0 || string(raw) == "null" {
		return p, "", nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, "", At(jsonError(err), where)
	}
	var declared string
	if c, ok := top["wumen_crs"]; ok {
		json.Unmarshal(c, &declared)
	}
	// The record column, as a JSON string or (GDAL reads its JSON subtype)
	// as an object.
	if rec, ok := top["record"]; ok && len(rec) > 0 && (rec[0] == '"' || rec[0] == '{') {
		b := []byte(rec)
		var s string
		if rec[0] == '"' && json.Unmarshal(rec, &s) == nil {
			b = []byte(s)
		}
		q, _, err := decodeRecord(b)
		if err != nil {
			return nil, "", At(err, where+".record")
		}
		return q, declared, nil
	}
	if isFlat(top) {
		q, err := flatProperties(top, o.Categories)
		if err != nil {
			return nil, "", At(err, where)
		}
		return q, declared, nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, "", At(jsonError(err), where)
	}
	return p, declared, nil
}

// ParseGeoJSONGeometry reads one GeoJSON geometry object and checks it
// (ValidGeometry); a wrong value is named by its member ("type: write text
// here, not a list") rather than by the decoder's words.
func ParseGeoJSONGeometry(b []byte) (orb.Geometry, error) {
	g, err := geojson.UnmarshalGeometry(b)
	if err != nil {
		return nil, jsonError(err)
	}
	if g.Geometry() == nil {
		return nil, invalid("", "a geometry needs a type and coordinates")
	}
	if err := ValidGeometry(g.Geometry()); err != nil {
		return nil, err
	}
	return g.Geometry(), nil
}
