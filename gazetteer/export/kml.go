package export

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/geo"
	"wumen/geo/kml"
)

// WriteKML streams the selected places as KML 2.2: a Folder per census 大类
// (GIS tools read folders as layers), each place a Placemark with its
// standard name, pinyin and description, and its other fields as
// ExtendedData. The Document's description carries the attribution and the
// CRS: KML expects WGS84 (OGC 07-147r2 §16.9.1), so any other CRS is stated
// there as a departure from the standard.
func WriteKML(ctx context.Context, s *gazetteer.Store, w io.Writer, o gazetteer.ExportOptions) (int, error) {
	crs := crsOf(o.CRS)
	desc := gazetteer.Attribution + " Coordinates: " + CRSLabel(crs) + "."
	if crs != geo.WGS84 {
		desc += " KML readers assume WGS84: convert before overlaying with other data."
	}
	iw := &injectWriter{w: w, after: []byte("</name>"), insert: docDescription(desc)}
	kw, err := kml.NewWriter(iw, "Wumen 吴门 — Suzhou place names")
	if err != nil {
		return 0, err
	}
	write := func(p *gazetteer.Place) error { return kw.Write(placemark(p, crs)) }
	var n int
	if o.Filter.Class != "" || o.Filter.Limit > 0 || len(o.Filter.IDs) > 0 {
		n, err = each(ctx, s, o, write)
	} else {
		// One query per 大类 keeps each folder contiguous while streaming.
		for _, c := range s.Categories().Classes {
			f := o
			f.Filter.Class = c.Class
			cnt, err := s.Count(ctx, f.Filter)
			if err != nil {
				return n, err
			}
			if cnt == 0 {
				continue
			}
			if err := kw.StartFolder(c.Class); err != nil {
				return n, err
			}
			base := n
			if o.Progress != nil {
				f.Progress = func(k int) { o.Progress(base + k) }
			}
			k, err := each(ctx, s, f, write)
			n += k
			if err != nil {
				return n, err
			}
			if err := kw.EndFolder(); err != nil {
				return n, err
			}
		}
	}
	if err != nil {
		return n, err
	}
	return n, kw.Close()
}

func docDescription(s string) []byte {
	var b bytes.Buffer
	b.WriteString("\n  <description>")
	xml.EscapeText(&b, []byte(s))
	b.WriteString("</description>")
	return b.Bytes()
}

// placemark maps a place onto a KML Placemark.
func placemark(p *gazetteer.Place, crs geo.CRS) kml.Placemark {
	var d strings.Builder
	if p.Pinyin != "" {
		d.WriteString(p.Pinyin)
		d.WriteString(" · ")
	}
	d.WriteString(p.Category.Class)
	if p.Category.Subclass != "" {
		d.WriteString(" / " + p.Category.Subclass)
	}
	if p.Status != gazetteer.StatusCurrent {
		d.WriteString(" · " + string(p.Status))
	}
	for _, t := range []*gazetteer.Text{p.Desc, p.Meaning, p.History} {
		if t != nil && t.Text != "" {
			d.WriteString("\n" + t.Text)
			if !t.Verified {
				d.WriteString("（待核实）")
			}
		}
	}
	if len(p.Names) > 0 {
		d.WriteString("\n")
		for i, n := range p.Names {
			if i > 0 {
				d.WriteString("；")
			}
			d.WriteString(nameLabel(n))
		}
	}
	data := []kml.Data{{Name: "id", Value: strconv.FormatInt(p.ID, 10)}, {Name: "pinyin", Value: p.Pinyin}}
	add := func(k, v string) {
		if v != "" {
			data = append(data, kml.Data{Name: k, Value: v})
		}
	}
	add("sign", p.Sign)
	add("class", p.Category.Class)
	add("subclass", p.Category.Subclass)
	add("status", string(p.Status))
	add("code", p.Code)
	add("admin", joinList(p.Admin))
	add("heritage", joinList(heritageLists(p)))
	var names []string
	for _, n := range p.Names {
		names = append(names, nameLabel(n))
	}
	add("names", joinList(names))
	if p.Coord != nil {
		add("coord_method", p.Coord.Method)
		if p.Coord.AccuracyM > 0 {
			add("accuracy_m", strconv.FormatFloat(p.Coord.AccuracyM, 'f', -1, 64))
		}
	}
	add("osm", p.Links.OSM)
	if p.Links.GeoNames != 0 {
		add("geonames", strconv.FormatInt(p.Links.GeoNames, 10))
	}
	add("wikidata", p.Links.Wikidata)
	add("license", p.License)
	rec := *p
	rec.Geometry, rec.Label = nil, nil
	b, _ := json.Marshal(&rec)
	return kml.Placemark{ID: "p" + strconv.FormatInt(p.ID, 10), Name: p.Name, Description: d.String(), Data: data,
		Extensions: []kml.Extension{{Name: kmlRecord, Text: string(b)}}, Geometry: project(p.Geometry, crs)}
}

// kmlRecord is the element, of Wumen's own namespace inside ExtendedData,
// that holds a placemark's whole record as JSON (without the geometry, which
// the placemark has): viewers show only the Data pairs, and ReadKML gives the
// record back without loss; the Data pairs win over it, so edits made in a
// GIS are kept.
var kmlRecord = xml.Name{Space: "urn:wumen:record:1", Local: "record"}

// nameLabel writes a name with its kind, its language when it is not
// Chinese, and its dates: 七里山塘 (colloquial, 唐–), Tiger Hill
// (conventional, en).
func nameLabel(n gazetteer.Name) string {
	s := n.Text + " (" + n.Kind
	if n.Lang != "" {
		s += ", " + n.Lang
	}
	if n.Start != "" || n.End != "" {
		s += ", " + n.Start + "–" + n.End
	}
	return s + ")"
}

// injectWriter passes bytes through, inserting insert once right after the
// first occurrence of after: the Document's description after its name,
// which geo/kml has no call for.
type injectWriter struct {
	w      io.Writer
	after  []byte
	insert []byte
	buf    []byte
	done   bool
}

func (iw *injectWriter) Write(b []byte) (int, error) {
	if iw.done {
		return iw.w.Write(b)
	}
	iw.buf = append(iw.buf, b...)
	i := bytes.Index(iw.buf, iw.after)
	if i < 0 {
		if len(iw.buf) > 1<<16 {
			return 0, fmt.Errorf("kml: no document name in the first %d bytes", len(iw.buf))
		}
		return len(b), nil
	}
	i += len(iw.after)
	out := append(append(append([]byte{}, iw.buf[:i]...), iw.insert...), iw.buf[i:]...)
	iw.done, iw.buf = true, nil
	if _, err := iw.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// ReadKML reads the Placemarks of a KML file as places: the record Wumen
// keeps in ExtendedData (kmlRecord, or the record column of a Wumen
// GeoPackage that ogr2ogr turned into KML), then the name, the Data pairs WriteKML
// writes (id, pinyin, class, subclass, status, code, admin, heritage, names,
// coord_method, accuracy_m, osm, geonames, wikidata, license) over it, and
// the geometry, in crs (KML itself is WGS84). A placemark made elsewhere,
// with no coordinate method, gets "digitized": someone drew it on a map.
func ReadKML(r io.Reader, name string, crs geo.CRS) ([]gazetteer.Input, error) {
	var out []gazetteer.Input
	i := 0
	err := kml.Read(r, func(pm kml.Placemark) error {
		i++
		where := fmt.Sprintf("%s: placemark %d", name, i)
		d := map[string]string{}
		for _, x := range pm.Data {
			d[x.Name] = strings.TrimSpace(x.Value)
		}
		p := &gazetteer.Place{Status: gazetteer.StatusCurrent}
		rec := d["record"] // a Wumen GeoPackage's record column, through ogr2ogr
		for _, x := range pm.Extensions {
			if x.Name == kmlRecord {
				rec = x.Text
			}
		}
		if rec != "" {
			if err := json.Unmarshal([]byte(rec), p); err != nil {
				return at(gazetteer.Errorf(gazetteer.EInvalid, "the Wumen record in ExtendedData cannot be read: %v", err), where)
			}
		}
		p.Name = firstOf(pm.Name, p.Name)
		set := func(k string, dst *string) {
			if v, ok := d[k]; ok {
				*dst = v
			}
		}
		set("pinyin", &p.Pinyin)
		set("code", &p.Code)
		set("license", &p.License)
		set("class", &p.Category.Class)
		set("subclass", &p.Category.Subclass)
		set("osm", &p.Links.OSM)
		set("wikidata", &p.Links.Wikidata)
		if v, ok := d["status"]; ok {
			p.Status = gazetteer.Status(v)
		}
		if v, ok := d["admin"]; ok {
			p.Admin = splitList(v)
		}
		if s := firstOf(d["id"], d["place_id"]); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return at(gazetteer.Errorf(gazetteer.EInvalid, "ExtendedData id %q is not a place id", s), where)
			}
			p.ID = id
		}
		if s := d["geonames"]; s != "" {
			p.Links.GeoNames, _ = strconv.ParseInt(s, 10, 64)
		}
		if p.Heritage == nil {
			for _, h := range splitList(d["heritage"]) {
				p.Heritage = append(p.Heritage, gazetteer.Heritage{List: h})
			}
		}
		if p.Names == nil {
			for _, l := range splitList(d["names"]) {
				p.Names = append(p.Names, parseNameLabel(l))
			}
		}
		if pm.Geometry != nil {
			if err := gazetteer.ValidGeometry(pm.Geometry); err != nil {
				return at(err, where)
			}
			p.Geometry = unproject(pm.Geometry, crs)
			if p.Coord == nil {
				p.Coord = &gazetteer.Coord{}
			}
			p.Coord.Method = firstOf(d["coord_method"], p.Coord.Method, "digitized")
			if s := d["accuracy_m"]; s != "" {
				p.Coord.AccuracyM, _ = strconv.ParseFloat(s, 64)
			}
		}
		out = append(out, gazetteer.Input{Place: p, Where: where})
		return nil
	})
	return out, readError(err, name)
}

// parseNameLabel reads what nameLabel writes: 七里山塘 (colloquial, 唐–).
// The script of a Chinese name and the citation are not written, so not
// read (Lost).
func parseNameLabel(s string) gazetteer.Name {
	text, rest, ok := strings.Cut(s, " (")
	if !ok || !strings.HasSuffix(rest, ")") {
		return gazetteer.Name{Text: s, Kind: gazetteer.KindAlias}
	}
	parts := strings.Split(strings.TrimSuffix(rest, ")"), ", ")
	n := gazetteer.Name{Text: text, Kind: parts[0]}
	for _, x := range parts[1:] {
		if a, b, ok := strings.Cut(x, "–"); ok {
			n.Start, n.End = a, b
		} else {
			n.Lang, n.Script = x, gazetteer.ScriptLatin
		}
	}
	return n
}
