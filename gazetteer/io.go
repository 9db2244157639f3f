package gazetteer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"wumen/geo"
)

// Attribution is the notice every export carries for the data it holds
// (ODbL 1.0 for OpenStreetMap-derived records, CC BY 4.0 for GeoNames, LGPL
// 3.0 or later for the GSHHG shapes of lakes, islands and rivers).
const Attribution = "Wumen gazetteer. Contains data © OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright); " +
	"contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0; administrative codes: National Bureau of Statistics of China (2023); lake, island and river shapes: GSHHG 2.3.7, Wessel, P., and W. H. F. Smith (1996), J. Geophys. Res., 101(B4), 8741–8743, distributed under the GNU LGPL v3 or later (https://www.soest.hawaii.edu/pwessel/gshhg/)."

// ReadJSONL reads the project's JSON Lines: one Place a line. Blank lines are
// skipped. Errors name the file, line and field. A record that declares its
// CRS (wumen_crs, as exports write it) is converted to WGS84.
func ReadJSONL(r io.Reader, name string) ([]Input, error) {
	return ReadJSONLIn(r, name, 0)
}

// ReadJSONLIn reads JSON Lines whose coordinates are in crs (zero: what each
// record declares, else WGS84), converting them to WGS84 at the edge. A
// record declaring another CRS than crs is refused (crs.go).
func ReadJSONLIn(r io.Reader, name string, crs geo.CRS) ([]Input, error) {
	var out []Input
	err := eachLine(r, name, func(b []byte, where string) error {
		in, err := jsonlRecord(b, where, crs)
		if err != nil {
			return err
		}
		out = append(out, in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachLine calls fn with each non-blank line of r and where it is
// (name:line), up to MaxRecordBytes a line; a byte-order mark before the
// first line is skipped.
func eachLine(r io.Reader, name string, fn func(b []byte, where string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), MaxRecordBytes)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if line == 1 {
			b = trimBOM(b)
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if err := fn(b, fmt.Sprintf("%s:%d", name, line)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err == bufio.ErrTooLong {
		return tooLong(fmt.Sprintf("%s:%d", name, line+1), MaxRecordBytes)
	} else if err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}

// errStop ends eachLine early when a stream's consumer stops.
var errStop = errors.New("stop")

// JSONLRecords streams JSON Lines one record at a time, as ReadJSONLIn
// reads them (coordinates in crs or as each record declares, converted to
// WGS84). A bad line is yielded as an error naming the file, line and
// field, and reading goes on; a line too long to read ends the stream.
func JSONLRecords(r io.Reader, name string, crs geo.CRS) Records {
	return func(yield func(Input, error) bool) {
		err := eachLine(r, name, func(b []byte, where string) error {
			in, err := jsonlRecord(b, where, crs)
			if !yield(in, err) {
				return errStop
			}
			return nil
		})
		if e, ok := err.(*Error); ok {
			yield(Input{Where: e.Where}, e)
		} else if err != nil && err != errStop {
			yield(Input{}, &Error{Code: EInvalid, Message: err.Error()})
		}
	}
}

// jsonlRecord reads one line of JSON Lines.
func jsonlRecord(b []byte, where string, crs geo.CRS) (Input, error) {
	p, declared, err := decodeRecord(b)
	if err != nil {
		return Input{Where: where}, At(err, where)
	}
	rc, err := DeclaredCRS(where+": wumen_crs", crs, declared)
	if err != nil {
		return Input{Where: where}, err
	}
	toWGS84(p, rc)
	return Input{Place: p, Where: where}, nil
}

// ToWGS84 converts records read in crs (a JSON Lines export written with
// --crs gcj02, say) to WGS84 at the edge: geometries are converted and label
// points dropped, to be derived again from the converted geometry.
func ToWGS84(in []Input, crs geo.CRS) {
	if isWGS84(crs) {
		return
	}
	for _, r := range in {
		toWGS84(r.Place, crs)
	}
}

func toWGS84(p *Place, crs geo.CRS) {
	if isWGS84(crs) {
		return
	}
	if p.Geometry != nil {
		p.Geometry = geo.ToWGS84(p.Geometry, crs)
		p.Label = nil
	} else if p.Label != nil {
		l := geo.ToWGS84(*p.Label, crs).(orb.Point)
		p.Label = &l
	}
}

// decodeRecord parses one JSON record strictly: valid UTF-8 (encoding/json
// would silently replace bad bytes), no unknown fields, finite numbers.
func decodeRecord(b []byte) (*Place, string, error) {
	if !utf8.Valid(b) {
		return nil, "", invalid("", "invalid UTF-8")
	}
	p := new(Place)
	var w placeJSON
	if decodeFast(b, &w) {
		p.fromWire(&w)
		return p, w.CRS, nil
	}
	crs, err := decodeStrict(json.NewDecoder(bytes.NewReader(b)), p)
	if err != nil {
		return nil, "", jsonError(err)
	}
	return p, crs, nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return invalid(strings.TrimPrefix(te.Field, "placeAlias."), "write %s here, not %s", jsonWant(te.Type), jsonValueWord(te.Value))
	case errors.As(err, &se):
		return invalid("", "broken JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown field")
	}
	return invalid("", "%v", err)
}

// CSVHeader is the column order of CSV exports; imports find columns by
// name. The first 22 are the plain columns GIS tools show (and the
// Shapefile export's attributes); the rest hold the remainder of the record
// so that an export imports back whole: list cells (names, sources,
// relations, events and heritage, csvcell.go), the three texts with their
// source and verification, and extra as a JSON object (docs/csv.md).
var CSVHeader = append(slices.Clip(CSVPlainHeader), "category_code", "level", "joined", "sign", "rank", "nbs", "coord_source", "coord_note",
	"names", "meaning", "meaning_source", "meaning_verified", "meaning_verified_by", "history", "history_source", "history_verified",
	"history_verified_by", "description", "description_source", "description_verified", "description_verified_by",
	"relations", "events", "sources", "extra")

// CSVPlainHeader is the first part of CSVHeader: one plain value a cell
// (admin codes and heritage listings joined), what a Shapefile's attribute
// table can hold.
var CSVPlainHeader = []string{"id", "name", "specific", "generic", "pinyin", "class", "subclass", "status", "code", "admin",
	"heritage", "lon", "lat", "wkt", "crs", "coord_method", "accuracy_m", "osm", "geonames", "wikidata", "license", "updated"}

// csvWithHeader reads the header row of a UTF-8 CSV (a byte-order mark is
// skipped) and returns the reader of the rows after it, the header and the
// columns by lower-case name; where names the header row in an error.
func csvWithHeader(r io.Reader, where string) (cr *csv.Reader, head []string, col map[string]int, err error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr = csv.NewReader(br)
	cr.FieldsPerRecord = -1
	if head, err = cr.Read(); err != nil {
		return nil, nil, nil, &Error{Code: EInvalid, Where: where, Message: "cannot read the header row: " + err.Error()}
	}
	col = map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	return cr, head, col, nil
}

// ReadCSV reads places from CSV with a header row: name and class are
// required; the position comes from wkt, or from lon and lat, in crs; the
// columns after CSVPlainHeader as CSVRecordColumns reads them. (Imports
// read CSV through gazetteer/census, which also knows census tables.)
func ReadCSV(r io.Reader, name string, crs geo.CRS) ([]Input, error) {
	cr, head, col, err := csvWithHeader(r, name+":1")
	if err != nil {
		return nil, err
	}
	for _, req := range []string{"name", "class"} {
		if _, ok := col[req]; !ok {
			return nil, &Error{Code: EInvalid, Where: name + ":1", Message: "missing column " + req}
		}
	}
	var out []Input
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		if err != nil {
			return nil, &Error{Code: EInvalid, Where: where, Message: err.Error()}
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return SpreadsheetValue(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		for i, v := range rec {
			if !utf8.ValidString(v) {
				col := fmt.Sprintf("column %d", i+1)
				if i < len(head) {
					col = head[i]
				}
				return nil, &Error{Code: EInvalid, Where: fmt.Sprintf("%s: %s", where, col), Message: "invalid UTF-8"}
			}
		}
		cell := func(k string) (string, bool) {
			i, ok := col[k]
			if ok && i < len(rec) {
				return SpreadsheetValue(rec[i]), true
			}
			return "", ok
		}
		p, err := placeFromCSV(get, crs)
		if err == nil {
			err = CSVRecordColumns(cell, p, "")
		}
		if err != nil {
			return nil, At(err, where)
		}
		out = append(out, Input{Place: p, Where: where})
	}
	return out, nil
}

func placeFromCSV(get func(string) string, crs geo.CRS) (*Place, error) {
	p := &Place{Name: get("name"), Specific: get("specific"), Generic: get("generic"), Pinyin: get("pinyin"),
		Category: Category{Class: get("class"), Subclass: get("subclass")}, Status: Status(get("status")),
		Code: get("code"), License: get("license")}
	num := func(k string) (float64, error) {
		v, err := strconv.ParseFloat(get(k), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, invalid(k, "%q is not a number", get(k))
		}
		return v, nil
	}
	if s := get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, invalid("id", "%q is not an integer id", s)
		}
		p.ID = id
	}
	if s := get("admin"); s != "" {
		p.Admin = strings.Split(s, "|")
	}
	if s := get("heritage"); s != "" {
		hs, err := CSVHeritage(s)
		if err != nil {
			return nil, err
		}
		p.Heritage = hs
	}
	p.Links.OSM, p.Links.Wikidata = get("osm"), get("wikidata")
	if s := get("geonames"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, invalid("geonames", "%q is not a GeoNames id", s)
		}
		p.Links.GeoNames = id
	}
	var g orb.Geometry
	switch {
	case get("wkt") != "":
		w, err := unmarshalWKT(get("wkt"))
		if err != nil {
			return nil, invalid("wkt", "%v", err)
		}
		g = w
	case get("lon") != "" || get("lat") != "":
		lon, err := num("lon")
		if err != nil {
			return nil, err
		}
		lat, err := num("lat")
		if err != nil {
			return nil, err
		}
		g = orb.Point{lon, lat}
	}
	if g != nil {
		if err := ValidGeometry(g); err != nil {
			return nil, err
		}
		rc, err := DeclaredCRS("crs", crs, get("crs"))
		if err != nil {
			return nil, err
		}
		p.Geometry = geo.ToWGS84(g, rc)
		p.Coord = &Coord{Method: get("coord_method")}
		if s := get("accuracy_m"); s != "" {
			a, err := num("accuracy_m")
			if err != nil {
				return nil, err
			}
			p.Coord.AccuracyM = a
		}
	}
	return p, nil
}

// ExportOptions choose what an export holds and in which CRS.
type ExportOptions struct {
	Filter Filter
	CRS    geo.CRS
	BOM    bool // CSV: a UTF-8 byte-order mark for Excel
	// Seq writes GeoJSON lines as an RFC 8142 text sequence (geojsonseq).
	Seq bool
	// Progress, when set, is called with the running count.
	Progress func(n int)
}

// WriteJSONL streams the selected places as the project's JSON Lines: one
// record a line, in id order — the same form as the files in data/.
func (s *Store) WriteJSONL(ctx context.Context, w io.Writer, o ExportOptions) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	n := 0
	progress := func() {
		n++
		if o.Progress != nil {
			o.Progress(n)
		}
	}
	// Every record names its CRS (wumen_crs, crs.go), so a file in GCJ-02
	// cannot be read back as WGS84 by mistake.
	member := []byte(`,"wumen_crs":"` + crsName(o.CRS) + `"}`)
	line := func(doc []byte) error {
		doc = bytes.TrimRight(doc, "\n")
		bw.Write(doc[:len(doc)-1])
		bw.Write(member)
		return bw.WriteByte('\n')
	}
	var err error
	if isWGS84(o.CRS) {
		// The stored record is the line: copy it, no decoding.
		err = s.eachDoc(ctx, o.Filter, func(doc []byte) error {
			progress()
			return line(doc)
		})
	} else {
		err = s.Each(ctx, o.Filter, func(p *Place) error {
			progress()
			b, err := marshalNoEscape(inCRS(p, o.CRS))
			if err != nil {
				return err
			}
			return line(b)
		})
	}
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func inCRS(p *Place, crs geo.CRS) *Place {
	if p.Geometry == nil || isWGS84(crs) {
		return p
	}
	q := *p
	q.Geometry = geo.FromWGS84(p.Geometry, crs)
	l := geo.FromWGS84(*p.Label, crs).(orb.Point)
	q.Label = &l
	return &q
}

// isWGS84 reports whether coordinates in crs are stored values unchanged:
// WGS84, CGCS2000 (the same to centimetres here) or unset.
func isWGS84(crs geo.CRS) bool {
	return crs == 0 || crs == geo.WGS84 || crs == geo.CGCS2000
}

// featureFromDoc turns a stored record into the GeoJSON feature Feature
// would make, splitting only its top level (geometry out, the rest as
// properties) instead of decoding and re-encoding the whole place.
func featureFromDoc(doc []byte, crsTag json.RawMessage) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, err
	}
	if crsTag != nil {
		top["wumen_crs"] = crsTag
	}
	geom := top["geometry"]
	if len(geom) == 0 {
		geom = json.RawMessage("null")
	}
	id := top["id"]
	delete(top, "geometry")
	props, err := marshalNoEscape(top)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(doc) + 64)
	b.WriteString(`{"type":"Feature","id":`)
	b.Write(id)
	b.WriteString(`,"geometry":`)
	b.Write(geom)
	b.WriteString(`,"properties":`)
	b.Write(props)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// CSVRow is a place's values in CSVHeader's order: lon and lat of its label
// point and its geometry as WKT in crs (zero: WGS84), and the name of crs.
// Admin codes are joined with "|"; the list cells are written as
// csvcell.go says.
func CSVRow(p *Place, c geo.CRS) []string {
	p, crs := inCRS(p, c), crsName(c)
	var lon, lat, wk, method, acc, csrc, cnote string
	if p.Label != nil {
		lon = strconv.FormatFloat(p.Label.Lon(), 'f', -1, 64)
		lat = strconv.FormatFloat(p.Label.Lat(), 'f', -1, 64)
	}
	if p.Geometry != nil {
		wk = marshalWKT(p.Geometry)
	}
	if p.Coord != nil {
		method, csrc, cnote = p.Coord.Method, p.Coord.Source, p.Coord.Note
		if p.Coord.AccuracyM > 0 {
			acc = strconv.FormatFloat(p.Coord.AccuracyM, 'f', -1, 64)
		}
	}
	gn := ""
	if p.Links.GeoNames != 0 {
		gn = strconv.FormatInt(p.Links.GeoNames, 10)
	}
	joined, rank, extra := "", "", ""
	if p.Joined {
		joined = "true"
	}
	if p.Rank != 0 {
		rank = strconv.FormatFloat(p.Rank, 'f', -1, 64)
	}
	if len(p.Extra) > 0 {
		b, _ := marshalNoEscape(p.Extra)
		extra = string(b)
	}
	row := []string{strconv.FormatInt(p.ID, 10), p.Name, p.Specific, p.Generic, p.Pinyin, p.Category.Class,
		p.Category.Subclass, string(p.Status), p.Code, strings.Join(p.Admin, "|"), FormatHeritage(p.Heritage), lon, lat, wk, crs,
		method, acc, p.Links.OSM, gn, p.Links.Wikidata, p.License, p.Updated,
		p.Category.Code, p.Level, joined, p.Sign, rank, p.Links.NBS, csrc, cnote, FormatNames(p.Names)}
	for _, t := range []*Text{p.Meaning, p.History, p.Desc} {
		row = append(row, csvText(t)...)
	}
	return append(row, FormatRelations(p.Rel), FormatEvents(p.Events), FormatSources(p.Sources), extra)
}

// csvText is a text's four cells: text, source, verified, verified_by.
func csvText(t *Text) []string {
	if t == nil {
		return []string{"", "", "", ""}
	}
	v := ""
	if t.Verified {
		v = "true"
	}
	return []string{t.Text, t.Source, v, t.VerifiedBy}
}

// WriteCSV streams the selected places as CSV with lon/lat of the label point
// and the geometry as WKT (UTF-8, optional BOM for Excel). CSV is opened in
// spreadsheets, so a cell that would start a formula is written with a
// leading apostrophe (SpreadsheetCell); Wumen's CSV readers drop it again.
func (s *Store) WriteCSV(ctx context.Context, w io.Writer, o ExportOptions) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	if o.BOM {
		bw.Write([]byte{0xEF, 0xBB, 0xBF})
	}
	cw := csv.NewWriter(bw)
	cw.Write(CSVHeader)
	n := 0
	err := s.Each(ctx, o.Filter, func(p *Place) error {
		n++
		if o.Progress != nil {
			o.Progress(n)
		}
		row := CSVRow(p, o.CRS) // every row names its CRS (the crs column census imports read)
		for i, c := range row {
			row[i] = SpreadsheetCell(c)
		}
		return cw.Write(row)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}
