package search

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Limits on a query, checked before the index is touched.
const (
	MaxTextRunes   = 200
	DefaultSize    = 10
	MaxSize        = 100
	MaxFrom        = 1000 // deep paging costs a re-rank of from+size candidates per request
	MaxRadiusM     = 500_000
	maxBoundDegree = 20 // a bbox wider or taller than this is not a search of Suzhou
)

// Query is a search or autocomplete request.
type Query struct {
	// Text is what the user typed: characters (简体 or 繁体), pinyin joined or
	// spaced, initials, or a mix (山塘jie).
	Text string
	// Size and From page the results (Size 0 means DefaultSize).
	Size, From int
	// Category keeps places whose category class or subclass is this.
	Category string
	// Admin keeps places under this admin code (county, township, village).
	Admin string
	// Heritage keeps places on a heritage list: a list name, a level
	// (national, province, city, county) or "any".
	Heritage string
	// Status keeps places in this lifecycle state.
	Status gazetteer.Status
	// Year keeps names in use in that year (0: any time). A name dated
	// "明" counts as possibly in use from 1368 to 1644; an undated name matches.
	Year int
	// BBox keeps places whose point lies inside.
	BBox *orb.Bound
	// Near and RadiusM keep places within RadiusM metres of Near, and give
	// each hit its distance.
	Near    *orb.Point
	RadiusM float64
	// Focus boosts places near it (autocomplete) and gives hits a distance.
	Focus *orb.Point
	// Lang is the preferred language of names in output (zh, en).
	Lang string
	// Facets asks for counts by category, district and heritage list.
	Facets bool
}

// Error is a bad query: which parameter and what is wrong with it. A handler
// answers it with 400.
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string { return "search: " + e.Field + ": " + e.Message }

func bad(field, msg string) *Error { return &Error{Field: field, Message: msg} }

// Validate checks q; requireText makes empty text an error even when filters
// are given (autocomplete).
func (q *Query) Validate(requireText bool) error {
	if !utf8.ValidString(q.Text) {
		return bad("text", "not valid UTF-8")
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxTextRunes {
		return bad("text", "longer than 200 characters")
	}
	if strings.TrimSpace(q.Text) == "" || normalize(q.Text) == "" {
		if requireText || (q.Category == "" && q.Admin == "" && q.Heritage == "" && q.BBox == nil && q.Near == nil && q.Status == "") {
			return bad("text", "empty")
		}
	}
	if q.Size < 0 || q.Size > MaxSize {
		return bad("size", "must be between 1 and 100")
	}
	if q.From < 0 || q.From > MaxFrom {
		return bad("from", "must be between 0 and 1000")
	}
	switch q.Status {
	case "", gazetteer.StatusCurrent, gazetteer.StatusHistorical, gazetteer.StatusCancelled:
	default:
		return bad("status", "must be current, historical or cancelled")
	}
	if q.Year < minYear || q.Year > maxYear {
		return bad("year", "out of range")
	}
	if b := q.BBox; b != nil {
		if !validPoint(b.Min) || !validPoint(b.Max) || b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] ||
			b.Max[0]-b.Min[0] > maxBoundDegree || b.Max[1]-b.Min[1] > maxBoundDegree {
			return bad("bbox", "must be minLon,minLat,maxLon,maxLat with min ≤ max, within 20°")
		}
	}
	for name, p := range map[string]*orb.Point{"point": q.Near, "focus.point": q.Focus} {
		if p != nil && (!validPoint(*p) || math.IsNaN(p[0]) || math.IsNaN(p[1])) {
			return bad(name, "lat must be within ±90 and lon within ±180")
		}
	}
	if q.Near != nil && (q.RadiusM <= 0 || q.RadiusM > MaxRadiusM || math.IsNaN(q.RadiusM)) {
		return bad("radius", "must be more than 0 and at most 500 km")
	}
	for name, v := range map[string]string{"category": q.Category, "admin": q.Admin, "heritage": q.Heritage, "lang": q.Lang} {
		if len(v) > 200 || !utf8.ValidString(v) || strings.ContainsAny(v, " \t\n") && name != "heritage" {
			return bad(name, "not a valid value")
		}
	}
	return nil
}

// ParseQuery reads a query from URL parameters named as Pelias and Photon
// name them: text|q, size|limit, from, category, admin, heritage, status,
// year, bbox=minLon,minLat,maxLon,maxLat (or boundary.rect.min_lon …),
// focus.point.lat/lon, point.lat/lon with boundary.circle.radius or radius
// (kilometres), lang, facets. Errors are *Error. The query is validated for
// search (text may be empty when a filter is given).
func ParseQuery(v url.Values) (Query, error) {
	p := params(v)
	var q Query
	var err error
	_, q.Text = p.get("text", "q")
	f, s := p.get("size", "limit")
	if q.Size, err = integer(f, s, DefaultSize); err != nil {
		return q, err
	}
	if q.From, err = integer("from", v.Get("from"), 0); err != nil {
		return q, err
	}
	if q.Year, err = integer("year", v.Get("year"), 0); err != nil {
		return q, err
	}
	q.Category, q.Admin, q.Heritage = v.Get("category"), v.Get("admin"), v.Get("heritage")
	q.Status = gazetteer.Status(v.Get("status"))
	q.Lang = v.Get("lang")
	if s := v.Get("facets"); s != "" {
		if q.Facets, err = strconv.ParseBool(s); err != nil {
			return q, bad("facets", "must be true or false")
		}
	}
	if q.BBox, err = p.bbox(); err != nil {
		return q, err
	}
	if q.Focus, err = p.point("focus.point"); err != nil {
		return q, err
	}
	if q.Near, err = p.point("point"); err != nil {
		return q, err
	}
	if q.RadiusM, err = p.radius(q.Near != nil); err != nil {
		return q, err
	}
	return q, q.Validate(false)
}

// params are the URL parameters of a query, read by ParseQuery.
type params url.Values

// get is the first of the parameters names that is given, and its value;
// the first name and "" when none is.
func (p params) get(names ...string) (string, string) {
	for _, n := range names {
		if s := url.Values(p).Get(n); s != "" {
			return n, s
		}
	}
	return names[0], ""
}

// num reads the number s of the parameter field (0 when s is empty).
func num(field, s string, bits int) (float64, error) {
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), bits)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, bad(field, "not a number")
	}
	return f, nil
}

// integer reads the integer s of the parameter field (def when s is empty).
func integer(field, s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, bad(field, "not an integer")
	}
	return n, nil
}

// rectParams are the Pelias names of a bbox's corners, in bbox order.
var rectParams = [4]string{"boundary.rect.min_lon", "boundary.rect.min_lat", "boundary.rect.max_lon", "boundary.rect.max_lat"}

// bbox reads bbox=minLon,minLat,maxLon,maxLat or the boundary.rect.*
// parameters; nil when neither is given.
func (p params) bbox() (*orb.Bound, error) {
	v := url.Values(p)
	var c [4]float64
	var err error
	if s := v.Get("bbox"); s != "" {
		parts := strings.Split(s, ",")
		if len(parts) != 4 {
			return nil, bad("bbox", "must be minLon,minLat,maxLon,maxLat")
		}
		for i, part := range parts {
			if c[i], err = num("bbox", part, 64); err != nil {
				return nil, err
			}
		}
		return &orb.Bound{Min: orb.Point{c[0], c[1]}, Max: orb.Point{c[2], c[3]}}, nil
	}
	if v.Get(rectParams[0]) == "" && v.Get(rectParams[1]) == "" && v.Get(rectParams[2]) == "" && v.Get(rectParams[3]) == "" {
		return nil, nil
	}
	for i, n := range rectParams {
		if v.Get(n) == "" {
			return nil, bad(n, "missing")
		}
		if c[i], err = num(n, v.Get(n), 64); err != nil {
			return nil, err
		}
	}
	return &orb.Bound{Min: orb.Point{c[0], c[1]}, Max: orb.Point{c[2], c[3]}}, nil
}

// point reads prefix.lat and prefix.lon; nil when neither is given.
func (p params) point(prefix string) (*orb.Point, error) {
	v := url.Values(p)
	la, lo := v.Get(prefix+".lat"), v.Get(prefix+".lon")
	if la == "" && lo == "" {
		return nil, nil
	}
	if la == "" || lo == "" {
		return nil, bad(prefix, "needs both lat and lon")
	}
	lat, err := num(prefix+".lat", la, 64)
	if err != nil {
		return nil, err
	}
	lon, err := num(prefix+".lon", lo, 64)
	if err != nil {
		return nil, err
	}
	return &orb.Point{lon, lat}, nil
}

// radius reads boundary.circle.radius or radius (kilometres) as metres: 1 km
// when a point is given without one, an error when one is given without
// a point.
func (p params) radius(near bool) (float64, error) {
	f, s := p.get("boundary.circle.radius", "radius")
	km, err := num(f, s, 64)
	if err != nil {
		return 0, err
	}
	if !near {
		if s != "" {
			return 0, bad(f, "needs point.lat and point.lon")
		}
		return 0, nil
	}
	if s == "" {
		km = 1
	}
	return km * 1000, nil
}
