package census

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"wumen/gazetteer"
	"wumen/geo"
)

// Options say how a census file is read.
type Options struct {
	// Name is the file name errors and sources cite.
	Name string
	// CRS is the declared CRS of the coordinates; zero takes what the file
	// says (a .prj, a 坐标系 column) and otherwise CGCS2000, the census's.
	CRS geo.CRS
	// Columns maps the file's own column names onto fields.
	Columns ColumnMap
	// Categories resolve 地名类别 (required).
	Categories *gazetteer.Categories
	// Admin resolves 所在(跨)行政区 names; nil accepts statistical codes only.
	Admin *gazetteer.AdminIndex
	// CoordMethod is the coordinate method of rows that do not say
	// (坐标获取方式); empty means digitized (图解), how most census positions
	// were taken.
	CoordMethod string

	encoding string // as detected, for messages
	noAdmin  bool   // leave 所在行政区 unread (Table.Units' pass)
}

// Values that census tables write for a coordinate method, a status and a CRS.
var (
	coordMethods = map[string]string{"实测": "surveyed", "测量": "surveyed", "gps": "surveyed", "图解": "digitized", "图上量取": "digitized",
		"数字化": "digitized", "估算": "estimated", "估计": "estimated", "推算": "estimated", "surveyed": "surveyed",
		"digitized": "digitized", "estimated": "estimated", "osm": "osm", "geonames": "geonames"}
	statuses = map[string]gazetteer.Status{"现行": gazetteer.StatusCurrent, "在用": gazetteer.StatusCurrent, "current": gazetteer.StatusCurrent,
		"历史": gazetteer.StatusHistorical, "历史地名": gazetteer.StatusHistorical, "historical": gazetteer.StatusHistorical,
		"注销": gazetteer.StatusCancelled, "已注销": gazetteer.StatusCancelled, "废止": gazetteer.StatusCancelled, "cancelled": gazetteer.StatusCancelled}
)

// listSeparators split a cell holding several names.
const listSeparators = "、,，;；|"

// row is one data row with its header, for field lookups.
type row struct {
	h     *header
	cells []string
}

func (r row) get(field string) string {
	v, _ := r.raw(field)
	return strings.TrimSpace(v)
}

// raw is a field's cell as written and whether the table has its column.
func (r row) raw(field string) (string, bool) {
	i, ok := r.h.col[field]
	if ok && i < len(r.cells) {
		return r.cells[i], true
	}
	return "", ok
}

// bad is an error in the cell of field, named by the column as the file
// writes it.
func (r row) bad(field, format string, args ...any) error {
	col := field
	if i, ok := r.h.col[field]; ok {
		col = r.h.names[i]
	}
	return &gazetteer.Error{Code: gazetteer.EInvalid, Where: col, Message: fmt.Sprintf(format, args...)}
}

// at re-places a field-less domain error at the column of field.
func (r row) at(field string, err error) error {
	if e, ok := err.(*gazetteer.Error); ok && (e.Where == "" || e.Where == "category") {
		return r.bad(field, "%s", e.Message)
	}
	return err
}

// place turns one row into a record; g is the row's geometry when the file
// carries it apart from the columns (a Shapefile), in crs.
func (o *Options) place(r row, g orb.Geometry, crs geo.CRS) (*gazetteer.Place, error) {
	for i, c := range r.cells {
		name := fmt.Sprintf("column %d", i+1)
		if i < len(r.h.names) {
			name = r.h.names[i]
		}
		if !utf8.ValidString(c) {
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: name, Message: "invalid UTF-8 (is the file in another encoding?)"}
		}
		if strings.ContainsRune(c, utf8.RuneError) {
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: name, Message: fmt.Sprintf("bytes that are not valid %s (a broken or mixed encoding): %q", o.encoding, c)}
		}
	}
	p := &gazetteer.Place{Name: r.get("name"), Specific: r.get("specific"), Generic: r.get("generic"), Pinyin: r.get("pinyin"),
		Code: r.get("code"), License: r.get("license"), Updated: r.get("updated")}
	if p.Name == "" {
		return nil, r.bad("name", "missing name (标准名称)")
	}
	if err := o.category(r, p); err != nil {
		return nil, err
	}
	if err := o.ids(r, p); err != nil {
		return nil, err
	}
	if err := o.status(r, p); err != nil {
		return nil, err
	}
	if s := r.get("admin"); s != "" && !o.noAdmin {
		admin, err := o.admin(s)
		if err != nil {
			return nil, r.at("admin", err)
		}
		p.Admin = admin
	}
	if s, _ := r.raw("heritage"); strings.TrimSpace(s) != "" {
		hs, err := gazetteer.CSVHeritage(s)
		if err != nil {
			return nil, r.at("heritage", err)
		}
		p.Heritage = hs
	}
	o.names(r, p)
	if err := o.geometry(r, p, g, crs); err != nil {
		return nil, err
	}
	if err := gazetteer.CSVRecordColumns(r.raw, p, o.textSource(r)); err != nil {
		return nil, r.atField(err)
	}
	return p, nil
}

func (o *Options) category(r row, p *gazetteer.Place) error {
	field, v := "category", r.get("category")
	if v == "" {
		field, v = "category_code", r.get("category_code")
	}
	if v == "" && r.get("class") != "" {
		field, v = "class", r.get("class")
		if s := r.get("subclass"); s != "" {
			v += "/" + s
		}
	}
	if v == "" {
		return r.bad("category", "missing category (地名类别)")
	}
	m, err := o.Categories.Resolve(v)
	if err != nil {
		return r.at(field, err)
	}
	c := m.Category
	if code := r.get("category_code"); code != "" && c.Code == "" {
		c.Code = code
	}
	p.Category = c
	return nil
}

func (o *Options) ids(r row, p *gazetteer.Place) error {
	if s := r.get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return r.bad("id", "%q is not a Wumen id (a positive integer)", s)
		}
		p.ID = id
	}
	if s := r.get("geonames"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return r.bad("geonames", "%q is not a GeoNames id", s)
		}
		p.Links.GeoNames = id
	}
	p.Links.OSM, p.Links.Wikidata = r.get("osm"), r.get("wikidata")
	for _, f := range []string{"census_code", "established", "abolished", "note"} {
		if v := r.get(f); v != "" {
			if p.Extra == nil {
				p.Extra = map[string]any{}
			}
			p.Extra[f] = v
		}
	}
	return nil
}

func (o *Options) status(r row, p *gazetteer.Place) error {
	if s := r.get("status"); s != "" {
		st, ok := statuses[strings.ToLower(s)]
		if !ok {
			return r.bad("status", "unknown status %q (现行, 历史, 注销 or current, historical, cancelled)", s)
		}
		p.Status = st
	} else if r.get("abolished") != "" {
		p.Status = gazetteer.StatusHistorical // 废止年份: no longer in use
	}
	return nil
}

func (o *Options) admin(s string) ([]string, error) {
	if o.Admin != nil {
		return o.Admin.Resolve(s)
	}
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(listSeparators, r) }) {
		if c = strings.TrimSpace(c); c == "" || strings.Trim(c, "0123456789") != "" {
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Message: fmt.Sprintf("%q is not a statistical code", c)}
		}
		out = append(out, c)
	}
	return out, nil
}

// textSource is what 含义, 沿革 and 概况 cite where the table has no
// column of their own source (meaning_source …): the source column
// (资料来源) or the file.
func (o *Options) textSource(r row) string {
	if src := r.get("source"); src != "" {
		return src
	}
	return "census table " + o.Name
}

// atField re-places a domain error naming a field at that field's column
// as the file writes it.
func (r row) atField(err error) error {
	e, ok := err.(*gazetteer.Error)
	if !ok || e.Where == "" {
		return err
	}
	if i, ok := r.h.col[e.Where]; ok {
		e.Where = r.h.names[i]
	}
	return e
}

func (o *Options) names(r row, p *gazetteer.Place) {
	for f, kind := range map[string]string{"alias": gazetteer.KindAlias, "former": gazetteer.KindHistorical, "abbreviation": gazetteer.KindAbbreviation} {
		for _, n := range strings.FieldsFunc(r.get(f), func(r rune) bool { return strings.ContainsRune(listSeparators, r) }) {
			if n = strings.TrimSpace(n); n != "" {
				p.Names = append(p.Names, gazetteer.Name{Text: n, Script: gazetteer.ScriptHans, Kind: kind, Citation: o.Name})
			}
		}
	}
}

// geometry reads the position from wkt, from lon/lat (decimal or 度分秒) or
// from g, converts it from the row's CRS to WGS84, and records how it was
// obtained.
func (o *Options) geometry(r row, p *gazetteer.Place, g orb.Geometry, crs geo.CRS) error {
	if s := r.get("crs"); s != "" {
		rc, err := parseCRS(s)
		if err != nil {
			return r.bad("crs", "%v", err)
		}
		if o.CRS != 0 && o.CRS != rc && !(sameDatum(o.CRS) && sameDatum(rc)) {
			return r.bad("crs", "the row says its coordinates are %s, but the import was told %s", rc, o.CRS)
		}
		crs = rc
	}
	// A layer's own shape wins over coordinate columns beside it.
	switch {
	case g != nil:
	case r.get("wkt") != "":
		w, err := wkt.Unmarshal(r.get("wkt"))
		if err != nil {
			return r.bad("wkt", "not WKT: %v", err)
		}
		g = w
	case r.get("lon") != "" || r.get("lat") != "":
		pt, err := r.lonLat()
		if err != nil {
			return err
		}
		g = pt
	}
	if g == nil {
		return nil
	}
	if err := gazetteer.ValidGeometry(g); err != nil {
		return err
	}
	p.Geometry = geo.ToWGS84(g, crs)
	if err := o.label(r, p, crs); err != nil {
		return err
	}
	method := o.CoordMethod
	if method == "" {
		method = "digitized"
	}
	if s := r.get("coord_method"); s != "" {
		m, ok := coordMethods[strings.ToLower(s)]
		if !ok {
			return r.bad("coord_method", "unknown coordinate method %q (实测, 图解, 估算, or surveyed, digitized, estimated)", s)
		}
		method = m
	}
	p.Coord = &gazetteer.Coord{Method: method, Source: r.get("coord_source")}
	if p.Coord.Source == "" {
		p.Coord.Source = o.Name
	}
	if s := r.get("accuracy_m"); s != "" {
		a, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "米"), 64)
		if err != nil || a <= 0 || math.IsInf(a, 0) || math.IsNaN(a) {
			return r.bad("accuracy_m", "%q is not an accuracy in metres", s)
		}
		p.Coord.AccuracyM = a
	}
	return nil
}

// lonLat reads the row's lon and lat columns (decimal degrees or 度分秒).
func (r row) lonLat() (orb.Point, error) {
	lon, err := geo.ParseDegrees(r.get("lon"), geo.Lon)
	if err != nil {
		return orb.Point{}, r.bad("lon", "%v", err)
	}
	lat, err := geo.ParseDegrees(r.get("lat"), geo.Lat)
	if err != nil {
		return orb.Point{}, r.bad("lat", "%v", err)
	}
	return orb.Point{lon, lat}, nil
}

// label keeps lon/lat beside a WKT geometry as the place's label point (a
// Wumen CSV export writes its label there), where the coordinates need no
// conversion; elsewhere the label is derived again from the geometry.
func (o *Options) label(r row, p *gazetteer.Place, crs geo.CRS) error {
	if r.get("wkt") == "" || r.get("lon") == "" || r.get("lat") == "" || !sameDatum(crs) {
		return nil
	}
	pt, err := r.lonLat()
	if err != nil {
		return err
	}
	p.Label = &pt
	return nil
}

// parseCRS reads the CRS names census files write: CGCS2000, 2000国家大地坐标系,
// WGS84, GCJ-02 (火星坐标), BD-09 and EPSG codes.
func parseCRS(s string) (geo.CRS, error) {
	k := strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
	switch {
	case strings.Contains(k, "cgcs2000") || strings.Contains(k, "2000国家大地") || k == "epsg:4490" || k == "4490":
		return geo.CGCS2000, nil
	case strings.Contains(k, "wgs84") || k == "epsg:4326" || k == "4326":
		return geo.WGS84, nil
	case strings.Contains(k, "gcj02") || strings.Contains(k, "火星"):
		return geo.GCJ02, nil
	case strings.Contains(k, "bd09") || strings.Contains(k, "百度"):
		return geo.BD09, nil
	}
	return 0, fmt.Errorf("unknown coordinate system %q (CGCS2000, WGS84, GCJ-02, BD-09)", s)
}

// sameDatum reports whether crs stores values unchanged (WGS84 and CGCS2000
// agree to centimetres here, docs/domain.md §7).
func sameDatum(c geo.CRS) bool { return c == geo.WGS84 || c == geo.CGCS2000 }
