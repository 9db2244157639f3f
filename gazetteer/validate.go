package gazetteer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/rtree"
)

// CensusClasses are the 11 大类 of the 2nd national place-name census.
var CensusClasses = []string{"行政区域", "非行政区域", "群众自治组织", "居民点", "交通运输设施",
	"水利电力通信设施", "纪念地旅游景点", "建筑物", "单位", "陆地水系", "陆地地形"}

// Categories is the table records are validated against: each 大类 with its
// allowed 子类 (an empty list allows any).
type Categories struct {
	Classes []CategoryClass `json:"classes"`
	byClass map[string]map[string]bool
	subs    []Category // every 大类/子类 known (subclasses), made by index
	// lookups keeps what Lookup found for the forms written so far (a census
	// file writes a handful of them on every row; reading one walks the
	// forms table), up to maxCachedLookups of them.
	lookups  sync.Map
	nLookups atomic.Int32
}

// CategoryClass is one 大类 and its 子类.
type CategoryClass struct {
	Class      string   `json:"class"`
	Subclasses []string `json:"subclasses"`
}

// DefaultCategories returns the census classes with any subclass allowed.
func DefaultCategories() *Categories {
	c := &Categories{}
	for _, k := range CensusClasses {
		c.Classes = append(c.Classes, CategoryClass{Class: k})
	}
	c.index()
	return c
}

// ParseCategories reads a category table: a JSON array of {class, subclasses}.
func ParseCategories(b []byte) (*Categories, error) {
	c := &Categories{}
	if err := json.Unmarshal(b, &c.Classes); err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	c.index()
	return c, nil
}

func (c *Categories) index() {
	c.byClass = map[string]map[string]bool{}
	for _, k := range c.Classes {
		m := map[string]bool{}
		for _, s := range k.Subclasses {
			m[s] = true
		}
		c.byClass[k.Class] = m
	}
	c.subs = c.listSubclasses()
}

// Known reports whether class (and subclass, when not empty) is in the table.
func (c *Categories) Known(class, subclass string) bool {
	subs, ok := c.byClass[class]
	if !ok {
		return false
	}
	return subclass == "" || len(subs) == 0 || subs[subclass]
}

var (
	validStatus  = map[Status]bool{StatusCurrent: true, StatusHistorical: true, StatusCancelled: true}
	validKinds   = map[string]bool{KindStandard: true, KindAlias: true, KindHistorical: true, KindColloquial: true, KindAbbreviation: true, KindOfficial: true, KindConventional: true}
	validScripts = map[string]bool{"": true, ScriptHans: true, ScriptHant: true, ScriptPinyin: true, ScriptLatin: true}
	validMethods = map[string]bool{"surveyed": true, "osm": true, "geonames": true, "digitized": true, "estimated": true}
	validEvents  = map[string]bool{EventNaming: true, EventRenaming: true, EventCancel: true, EventAdjustEnds: true}
	validRels    = map[string]bool{RelPartOf: true, RelCrosses: true, RelNamedAfter: true, RelSuccessorOf: true}
)

func invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Where: field, Message: fmt.Sprintf(format, args...)}
}

// Validate checks a record before it is written, naming the bad field.
func (c *Categories) Validate(p *Place) error {
	if strings.TrimSpace(p.Name) == "" {
		return invalid("name", "missing name")
	}
	for f, s := range map[string]string{"name": p.Name, "specific": p.Specific, "generic": p.Generic} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
			return invalid(f, "invalid UTF-8")
		}
	}
	if p.Specific != "" || p.Generic != "" {
		if p.Specific+p.Generic != p.Name {
			return invalid("specific", "专名 %q + 通名 %q does not spell the name %q", p.Specific, p.Generic, p.Name)
		}
	}
	if p.ID < 0 {
		return invalid("id", "negative id %d", p.ID)
	}
	if p.Category.Class == "" && p.Category.Subclass == "" {
		return invalid("category", "write the category (category: 桥梁, or class: 交通运输设施 with subclass: 桥梁)")
	}
	if !c.Known(p.Category.Class, p.Category.Subclass) {
		return invalid("category", "unknown category %q/%q", p.Category.Class, p.Category.Subclass)
	}
	if !validStatus[p.Status] {
		return invalid("status", "unknown status %q", p.Status)
	}
	for i, n := range p.Names {
		f := fmt.Sprintf("names[%d]", i)
		if strings.TrimSpace(n.Text) == "" {
			return invalid(f+".text", "missing name text")
		}
		if !utf8.ValidString(n.Text) || strings.ContainsRune(n.Text, utf8.RuneError) {
			return invalid(f+".text", "invalid UTF-8")
		}
		if !validKinds[n.Kind] {
			return invalid(f+".kind", "unknown name kind %q", n.Kind)
		}
		if !validScripts[n.Script] {
			return invalid(f+".script", "unknown script %q", n.Script)
		}
		if err := validateLang(f, n); err != nil {
			return err
		}
	}
	for i, e := range p.Events {
		if !validEvents[e.Type] {
			return invalid(fmt.Sprintf("events[%d].type", i), "unknown event type %q", e.Type)
		}
	}
	for i, r := range p.Rel {
		if !validRels[r.Type] {
			return invalid(fmt.Sprintf("relations[%d].type", i), "unknown relation type %q", r.Type)
		}
		if r.Target <= 0 || r.Target == p.ID {
			return invalid(fmt.Sprintf("relations[%d].target", i), "bad relation target %d", r.Target)
		}
	}
	for i, h := range p.Heritage {
		if strings.TrimSpace(h.List) == "" {
			return invalid(fmt.Sprintf("heritage[%d].list", i), "missing heritage list name")
		}
	}
	for i, a := range p.Admin {
		if !isDigits(a) {
			return invalid(fmt.Sprintf("admin[%d]", i), "administrative code %q is not a statistical code", a)
		}
	}
	for i, src := range p.Sources {
		if err := ValidURL(fmt.Sprintf("sources[%d].url", i), src.URL); err != nil {
			return err
		}
	}
	for f, t := range map[string]*Text{"meaning": p.Meaning, "history": p.History} {
		if t != nil && t.Text != "" && t.Source == "" {
			return invalid(f+".source", "%s needs its source", f)
		}
	}
	if p.Geometry != nil {
		// The cheap fields first: a record refused for its method costs
		// nothing, whatever the size of its geometry.
		if p.Coord == nil || !validMethods[p.Coord.Method] {
			return invalid("coord.method", "a geometry needs its coordinate method (surveyed, osm, geonames, digitized, estimated): coord.method in a record, the coord_method column or property in CSV and GIS files")
		}
		if p.Coord.Method == "estimated" && p.Coord.AccuracyM <= 0 {
			return invalid("coord.accuracy_m", "an estimated coordinate needs an honest accuracy in metres")
		}
		if err := ValidGeometry(p.Geometry); err != nil {
			return err
		}
	}
	if p.Label != nil {
		if err := validPoint("label", *p.Label); err != nil {
			return err
		}
	}
	return nil
}

// ValidURL checks a web address a record links to: empty, or an absolute
// http or https URL with a host. Any other scheme (javascript:, data:,
// file:) would run or open something other than a web page when a visitor
// follows the link (OWASP ASVS 5.1.4).
func ValidURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "%q is not a web address; write one that starts with https:// or http://", s)
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func validPoint(field string, p orb.Point) error {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return invalid(field, "coordinate is not a number")
	}
	if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
		return invalid(field, "coordinate %g,%g out of range (lon -180..180, lat -90..90)", p[0], p[1])
	}
	return nil
}

// MaxVertices is the most vertices one geometry may have. The largest real
// boundaries (a county's, from OpenStreetMap) have a few hundred thousand;
// ten times the largest keeps one record's validation to seconds.
const MaxVertices = 2_000_000

// ValidGeometry checks coordinates are finite and in range, lines have two
// points, polygon rings are closed, have four points and do not intersect
// themselves, and the geometry has at most MaxVertices vertices. It takes
// O(n log n) time in the number of vertices (an R-tree over the ring's
// edges), so a boundary of a million vertices validates in seconds.
func ValidGeometry(g orb.Geometry) error {
	const f = "geometry.coordinates"
	if n := vertices(g); n > MaxVertices {
		return invalid(f, "the geometry has %d vertices; at most %d are accepted (simplify it first, e.g. ogr2ogr -simplify)", n, MaxVertices)
	}
	pts := func(ps []orb.Point) error {
		for _, p := range ps {
			if err := validPoint(f, p); err != nil {
				return err
			}
		}
		return nil
	}
	ring := func(r orb.Ring) error {
		if err := pts(r); err != nil {
			return err
		}
		if len(r) < 4 {
			return invalid(f, "polygon ring has %d points; at least 4 are needed", len(r))
		}
		if r[0] != r[len(r)-1] {
			return invalid(f, "polygon ring is not closed")
		}
		if i, j, ok := selfIntersection(r); ok {
			return invalid(f, "polygon ring intersects itself: edge %d (from point %d) meets edge %d near %g,%g", i+1, i+1, j+1, r[j][0], r[j][1])
		}
		return nil
	}
	switch g := g.(type) {
	case orb.Point:
		return validPoint(f, g)
	case orb.MultiPoint:
		return pts(g)
	case orb.LineString:
		if len(g) < 2 {
			return invalid(f, "a line needs at least 2 points")
		}
		return pts(g)
	case orb.MultiLineString:
		for _, l := range g {
			if err := ValidGeometry(l); err != nil {
				return err
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if err := ring(r); err != nil {
				return err
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if err := ValidGeometry(p); err != nil {
				return err
			}
		}
	default:
		return invalid("geometry.type", "unsupported geometry type %s", g.GeoJSONType())
	}
	return nil
}

// vertices counts the points of a geometry.
func vertices(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.MultiLineString:
		n := 0
		for _, l := range g {
			n += len(l)
		}
		return n
	case orb.Ring:
		return len(g)
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += vertices(p)
		}
		return n
	}
	return 0
}

// Vertices counts the points of a geometry (for per-request limits).
func Vertices(g orb.Geometry) int { return vertices(g) }

// smallRing is the edge count below which every pair of edges is tested
// directly: cheaper than building an index.
const smallRing = 32

// errFound stops an R-tree search at the first crossing.
var errFound = errors.New("found")

// selfIntersection returns two non-adjacent edges i < j of a closed ring
// that cross or touch. Large rings use an R-tree of the edges' bounding
// boxes (simplefeatures' bulk-loaded R-tree, as its own validity check does):
// each edge is tested only against the edges whose boxes overlap its own,
// O(n log n) for real outlines instead of the n²/2 pairs.
func selfIntersection(r orb.Ring) (int, int, bool) {
	n := len(r) - 1 // edges
	adjacent := func(i, j int) bool { return j == i+1 || (i == 0 && j == n-1) }
	if n < smallRing {
		for i := 0; i < n; i++ {
			for j := i + 2; j < n; j++ {
				if !adjacent(i, j) && segmentsIntersect(r[i], r[i+1], r[j], r[j+1]) {
					return i, j, true
				}
			}
		}
		return 0, 0, false
	}
	box := func(i int) rtree.Box {
		a, b := r[i], r[i+1]
		return rtree.Box{MinX: math.Min(a[0], b[0]), MinY: math.Min(a[1], b[1]), MaxX: math.Max(a[0], b[0]), MaxY: math.Max(a[1], b[1])}
	}
	items := make([]rtree.BulkItem, n)
	for i := range items {
		items[i] = rtree.BulkItem{Box: box(i), RecordID: i}
	}
	tree := rtree.BulkLoad(items)
	for i := 0; i < n; i++ {
		found := -1
		tree.RangeSearch(box(i), func(j int) error {
			if j > i && !adjacent(i, j) && segmentsIntersect(r[i], r[i+1], r[j], r[j+1]) {
				found = j
				return errFound
			}
			return nil
		})
		if found >= 0 {
			return i, found, true
		}
	}
	return 0, 0, false
}

func segmentsIntersect(p1, p2, p3, p4 orb.Point) bool {
	d1 := cross(p3, p4, p1)
	d2 := cross(p3, p4, p2)
	d3 := cross(p1, p2, p3)
	d4 := cross(p1, p2, p4)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(p3, p4, p1)) || (d2 == 0 && onSegment(p3, p4, p2)) ||
		(d3 == 0 && onSegment(p1, p2, p3)) || (d4 == 0 && onSegment(p1, p2, p4))
}

func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// validateLang checks a name in another language: an official or
// conventional name says its language and its source, and a language is
// a BCP 47 primary tag (two or three lower-case letters).
func validateLang(f string, n Name) error {
	if (n.Kind == KindOfficial || n.Kind == KindConventional) && n.Lang == "" {
		return invalid(f+".lang", "an %s name needs its language (lang, e.g. \"en\")", n.Kind)
	}
	if n.Lang == "" {
		return nil
	}
	if len(n.Lang) < 2 || len(n.Lang) > 3 || strings.Trim(n.Lang, "abcdefghijklmnopqrstuvwxyz") != "" {
		return invalid(f+".lang", "language %q is not a BCP 47 language tag such as \"en\"", n.Lang)
	}
	if strings.TrimSpace(n.Citation) == "" {
		return invalid(f+".citation", "the %s name %q needs a citation (where it is published)", n.Lang, n.Text)
	}
	return nil
}
