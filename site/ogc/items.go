package ogc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/site/ogc/cql2"
)

// itemParams are the query parameters of /items: OGC 17-069r4 §7.15
// (limit, bbox, datetime), Part 2 (crs, bbox-crs), Part 3 (filter,
// filter-lang, filter-crs), sortby, and the property filters this service
// offers.
var itemParams = map[string]bool{"f": true, "limit": true, "offset": true, "bbox": true, "bbox-crs": true, "datetime": true,
	"crs": true, "filter": true, "filter-lang": true, "filter-crs": true, "sortby": true,
	"name": true, "category": true, "status": true, "admin": true}

// query is a parsed items request.
type query struct {
	limit, offset int
	bbox          *orb.Bound // in storage coordinates (CRS84)
	timeFrom      int
	timeTo        int
	hasTime       bool
	name          string
	category      string
	status        gazetteer.Status
	admin         string
	crs           crsInfo // of the response
	cql           *cql2.Filter
	sort          []sortKey
}

func parseQuery(q url.Values, c *coll) (query, error) {
	out := query{limit: DefaultLimit}
	for k := range q {
		if !itemParams[k] {
			return out, invalid(k, "unknown query parameter "+k)
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return out, invalid("limit", "limit must be a positive integer")
		}
		// Above the maximum the server returns at most MaxLimit (§7.15.3,
		// /req/core/fc-limit-response-1).
		out.limit = min(n, MaxLimit)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return out, invalid("offset", "offset must be a non-negative integer")
		}
		out.offset = n
	}
	var err error
	if out.crs, err = parseCRSParam("crs", q.Get("crs")); err != nil {
		return out, err
	}
	bboxCRS, err := parseCRSParam("bbox-crs", q.Get("bbox-crs"))
	if err != nil {
		return out, err
	}
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBoxIn(v, bboxCRS)
		if err != nil {
			return out, err
		}
		out.bbox = &b
	}
	if v := q.Get("datetime"); v != "" {
		from, to, err := parseDatetime(v)
		if err != nil {
			return out, err
		}
		out.timeFrom, out.timeTo, out.hasTime = from, to, true
	}
	if out.cql, err = parseFilter(q, c); err != nil {
		return out, err
	}
	if out.sort, err = parseSortBy(q.Get("sortby"), c); err != nil {
		return out, err
	}
	out.name = strings.TrimSpace(q.Get("name"))
	out.category = strings.TrimSpace(q.Get("category"))
	out.admin = strings.TrimSpace(q.Get("admin"))
	for _, r := range out.admin {
		if r < '0' || r > '9' {
			return out, invalid("admin", "admin must be a statistical code prefix (digits)")
		}
	}
	switch st := gazetteer.Status(q.Get("status")); st {
	case "", gazetteer.StatusCurrent, gazetteer.StatusHistorical, gazetteer.StatusCancelled:
		out.status = st
	default:
		return out, invalid("status", "status must be current, historical or cancelled")
	}
	return out, nil
}

// FilterLang is the one filter language served (OGC 19-079r2 §8.3).
const FilterLang = "cql2-text"

// parseFilter reads filter, filter-lang and filter-crs (OGC 19-079r2 §8):
// a CQL2 text expression on the collection's queryables, its spatial
// literals in filter-crs.
func parseFilter(q url.Values, c *coll) (*cql2.Filter, error) {
	if l := q.Get("filter-lang"); l != "" && l != FilterLang {
		return nil, invalid("filter-lang", "filter-lang must be "+FilterLang+" (the text encoding of CQL2)")
	}
	fc, err := parseCRSParam("filter-crs", q.Get("filter-crs"))
	if err != nil {
		return nil, err
	}
	v := q.Get("filter")
	if strings.TrimSpace(v) == "" {
		if _, ok := q["filter"]; ok {
			return nil, invalid("filter", "filter is empty; write a CQL2 condition such as category = '交通运输设施'")
		}
		return nil, nil
	}
	f, err := cql2.Parse(v, cql2.Options{
		Queryable: func(name string) (cql2.Kind, bool) {
			qu, ok := c.queryable(name)
			return kindOf(qu.Type), ok
		},
		Point: fc.pointToStorage,
		BBox:  fc.toStorage,
	})
	if err != nil {
		return nil, invalid("filter", "filter: "+err.Error())
	}
	return f, nil
}

// parseDatetime reads an instant or an interval ("a/b", "../b", "a/..") of
// RFC 3339 dates, years, or the approximate dates names carry ("明", "1912"),
// at year precision: names' dates are no finer.
func parseDatetime(v string) (from, to int, err error) {
	bad := invalid("datetime", "datetime must be a date (2020-01-01), a year, or an interval a/b with .. for an open end")
	side := func(s string, end bool) (int, bool) {
		if s == ".." || s == "" {
			if end {
				return 1<<31 - 1, true
			}
			return -1 << 31, true
		}
		p, ok := gazetteer.ParsePeriod(s)
		if end {
			return p.End, ok
		}
		return p.Start, ok
	}
	parts := strings.Split(v, "/")
	switch len(parts) {
	case 1:
		p, ok := gazetteer.ParsePeriod(v)
		if !ok {
			return 0, 0, bad
		}
		return p.Start, p.End, nil
	case 2:
		a, ok1 := side(parts[0], false)
		b, ok2 := side(parts[1], true)
		if !ok1 || !ok2 || a > b || (parts[0] == ".." && parts[1] == "..") {
			return 0, 0, bad
		}
		return a, b, nil
	}
	return 0, 0, bad
}

// props are a feature's properties: flat, and the same keys on every
// feature, so a GIS builds one attribute table from the first page.
type props struct {
	Name        string   `json:"name"`
	Pinyin      string   `json:"pinyin"`
	Category    string   `json:"category"`
	Subcategory string   `json:"subcategory"`
	Status      string   `json:"status"`
	Code        string   `json:"code"`
	Admin       string   `json:"admin"`
	Heritage    string   `json:"heritage"`
	Names       string   `json:"names"`
	CoordMethod string   `json:"coord_method"`
	AccuracyM   *float64 `json:"accuracy_m"`
	OSM         string   `json:"osm"`
	GeoNames    *int64   `json:"geonames"`
	Wikidata    string   `json:"wikidata"`
	License     string   `json:"license"`
	Rank        float64  `json:"rank"`
	Updated     string   `json:"updated"`
}

// Feature is a GeoJSON feature with OGC links.
type Feature struct {
	Type       string            `json:"type"`
	ID         any               `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties any               `json:"properties"`
	Links      []Link            `json:"links,omitempty"`
}

func placeFeature(p *gazetteer.Place) Feature {
	pr := props{Name: p.Name, Pinyin: p.Pinyin, Category: p.Category.Class, Subcategory: p.Category.Subclass, Status: string(p.Status),
		Code: p.Code, Admin: strings.Join(p.Admin, "|"), OSM: p.Links.OSM, Wikidata: p.Links.Wikidata, License: p.License, Rank: p.Rank, Updated: p.Updated}
	var her, names []string
	for _, h := range p.Heritage {
		her = append(her, h.List)
	}
	for _, n := range p.Names {
		s := n.Text + " (" + n.Kind
		if n.Start != "" || n.End != "" {
			s += ", " + n.Start + "–" + n.End
		}
		names = append(names, s+")")
	}
	pr.Heritage, pr.Names = strings.Join(her, "|"), strings.Join(names, "|")
	if p.Coord != nil {
		pr.CoordMethod = p.Coord.Method
		if p.Coord.AccuracyM > 0 {
			a := p.Coord.AccuracyM
			pr.AccuracyM = &a
		}
	}
	if p.Links.GeoNames != 0 {
		g := p.Links.GeoNames
		pr.GeoNames = &g
	}
	f := Feature{Type: "Feature", ID: p.ID, Properties: pr}
	if p.Geometry != nil {
		f.Geometry = geojson.NewGeometry(p.Geometry)
	}
	return f
}

type walkProps struct {
	Title   string  `json:"title"`
	TitleEn string  `json:"title_en"`
	Summary string  `json:"summary"`
	Stops   string  `json:"stops"`
	StopIDs []int64 `json:"stop_ids"`
}

// FeatureCollection is an items response (OGC 17-069r4 §7.15.8).
type FeatureCollection struct {
	Type           string    `json:"type"`
	Features       []Feature `json:"features"`
	Links          []Link    `json:"links"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
	TimeStamp      string    `json:"timeStamp"`
}

// matchPlace applies the filters SQL does not: name, datetime, and a
// category inside a 大类 collection.
func (q query) matchPlace(c *coll, p *gazetteer.Place) bool {
	if q.name != "" {
		ok := strings.EqualFold(p.Pinyin, q.name)
		for _, n := range gazetteer.AllNames(p) {
			ok = ok || n.Text == q.name
		}
		if !ok {
			return false
		}
	}
	if c.Class != "" && q.category != "" && p.Category.Class != q.category && p.Category.Subclass != q.category {
		return false
	}
	if q.hasTime && !gazetteer.InUse(p, q.timeFrom, q.timeTo) {
		return false
	}
	return q.cql == nil || q.cql.Match(placeRecord{p})
}

func (q query) filter(c *coll) gazetteer.Filter {
	f := gazetteer.Filter{Class: c.Class, BBox: q.bbox, Status: q.status, Admin: q.admin}
	if c.Class == "" {
		f.Class = q.category
	}
	return f
}

// feature returns the place's feature, its geometry in the query's CRS.
func (q query) feature(p *gazetteer.Place) Feature {
	f := placeFeature(p)
	if p.Geometry != nil && q.crs.URI != CRS84 {
		f.Geometry = geojson.NewGeometry(q.crs.toCRS(p.Geometry))
	}
	return f
}

// scans reports whether the query has filters SQL does not apply.
func (q query) scans(c *coll) bool {
	return q.name != "" || q.hasTime || (c.Class != "" && q.category != "") || q.cql != nil || len(q.sort) > 0
}

// places returns one page of the collection's places and how many match.
func (s *service) places(ctx context.Context, c *coll, q query) ([]Feature, int, error) {
	f := q.filter(c)
	out := []Feature{}
	if !q.scans(c) {
		total, err := s.store.Count(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		f.Limit, f.Offset = q.limit, q.offset
		err = s.store.Each(ctx, f, func(p *gazetteer.Place) error {
			out = append(out, q.feature(p))
			return nil
		})
		return out, total, err
	}
	// Filters on names, dates and CQL2 run here, streaming over the SQL
	// selection; sortby needs the whole selection first.
	total := 0
	var sorted []placeRecord
	err := s.store.Each(ctx, f, func(p *gazetteer.Place) error {
		if !q.matchPlace(c, p) {
			return nil
		}
		if len(q.sort) > 0 {
			sorted = append(sorted, placeRecord{p})
		} else if total >= q.offset && len(out) < q.limit {
			out = append(out, q.feature(p))
		}
		total++
		return nil
	})
	if err != nil || len(q.sort) == 0 {
		return out, total, err
	}
	sortRecords(sorted, q.sort)
	for _, r := range pageOf(sorted, q.offset, q.limit) {
		out = append(out, q.feature(r.p))
	}
	return out, total, nil
}

// pageOf returns the limit items after offset.
func pageOf[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return nil
	}
	return all[offset:min(len(all), offset+limit)]
}

func (s *service) walkFeature(ctx context.Context, w *gazetteer.Walk, c crsInfo) (Feature, orb.LineString, error) {
	line, stops, err := s.store.Route(ctx, w)
	if err != nil {
		return Feature{}, nil, err
	}
	pr := walkProps{Title: w.Title, TitleEn: w.TitleEn, Summary: w.Summary, StopIDs: []int64{}}
	var names []string
	for _, p := range stops {
		names = append(names, p.Name)
		pr.StopIDs = append(pr.StopIDs, p.ID)
	}
	pr.Stops = strings.Join(names, " · ")
	f := Feature{Type: "Feature", ID: w.ID, Properties: pr}
	if len(line) >= 2 {
		f.Geometry = geojson.NewGeometry(c.toCRS(line))
	} else {
		line = nil
	}
	return f, line, nil
}

func (s *service) walks(ctx context.Context, q query) ([]Feature, int, error) {
	ws, err := s.store.Walks(ctx)
	if err != nil {
		return nil, 0, err
	}
	type walk struct {
		walkRecord
		f Feature
	}
	var all []walk
	for i := range ws {
		if q.name != "" && ws[i].Title != q.name && ws[i].TitleEn != q.name {
			continue
		}
		f, line, err := s.walkFeature(ctx, &ws[i], q.crs)
		if err != nil {
			return nil, 0, err
		}
		if q.bbox != nil && (line == nil || !q.bbox.Intersects(line.Bound())) {
			continue
		}
		r := walkRecord{&ws[i], nil}
		if line != nil {
			r.line = line
		}
		if q.cql != nil && !q.cql.Match(r) {
			continue
		}
		all = append(all, walk{r, f})
	}
	sortRecords(all, q.sort)
	out := []Feature{}
	for _, w := range pageOf(all, q.offset, q.limit) {
		out = append(out, w.f)
	}
	return out, len(all), nil
}

func (s *service) items(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.findCollection(r.Context(), r.PathValue("cid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := parseQuery(r.URL.Query(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var feats []Feature
	var total int
	if c.ID == Walks {
		feats, total, err = s.walks(r.Context(), q)
	} else {
		feats, total, err = s.places(r.Context(), c, q)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := s.base(r)
	path := "/ogc/collections/" + c.ID + "/items"
	ctype := TypeGeoJSON
	links := selfLinks(base, path, r.URL.Query(), html, ctype)
	page := func(rel string, off int) Link {
		v := url.Values{}
		for k, vs := range r.URL.Query() {
			v[k] = vs
		}
		v.Set("offset", strconv.Itoa(off))
		v.Set("limit", strconv.Itoa(q.limit))
		if html {
			v.Set("f", "html")
		} else {
			v.Set("f", "json")
		}
		t := ctype
		if html {
			t = "text/html"
		}
		return Link{Href: base + path + "?" + v.Encode(), Rel: rel, Type: t, Title: rel + " page"}
	}
	if q.offset+len(feats) < total {
		links = append(links, page("next", q.offset+q.limit))
	}
	if q.offset > 0 {
		links = append(links, page("prev", max(0, q.offset-q.limit)))
	}
	links = append(links, Link{Href: base + "/ogc/collections/" + c.ID + "?f=json", Rel: "collection", Type: TypeJSON, Title: c.Title})
	setContentCRS(w, q.crs)
	fc := FeatureCollection{Type: "FeatureCollection", Features: feats, Links: links, NumberMatched: total,
		NumberReturned: len(feats), TimeStamp: time.Now().UTC().Format(time.RFC3339)}
	s.respond(w, r, html, ctype, c.Title, fc)
}

func (s *service) item(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx := r.Context()
	c, err := s.findCollection(ctx, r.PathValue("cid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fid := r.PathValue("fid")
	crs, err := itemCRS(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var f Feature
	if c.ID == Walks {
		wk, err := s.store.Walk(ctx, fid)
		if err == nil {
			f, _, err = s.walkFeature(ctx, wk, crs)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
	} else {
		id, err := strconv.ParseInt(fid, 10, 64)
		if err != nil || id <= 0 {
			s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no feature %q in %s", fid, c.ID))
			return
		}
		p, err := s.store.Get(ctx, id)
		if err == nil && c.Class != "" && p.Category.Class != c.Class {
			err = gazetteer.Errorf(gazetteer.ENotFound, "place %d is not in collection %s", id, c.ID)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		f = query{crs: crs}.feature(p)
	}
	setContentCRS(w, crs)
	base := s.base(r)
	f.Links = append(selfLinks(base, "/ogc/collections/"+c.ID+"/items/"+url.PathEscape(fid), r.URL.Query(), html, TypeGeoJSON),
		Link{Href: base + "/ogc/collections/" + c.ID + "?f=json", Rel: "collection", Type: TypeJSON, Title: c.Title})
	title := fid
	if pr, ok := f.Properties.(props); ok {
		title = pr.Name
	}
	s.respond(w, r, html, TypeGeoJSON, title, f)
}

// itemCRS reads the parameters of one feature (f and crs, OGC 18-058r1
// §6.2.3).
func itemCRS(q url.Values) (crsInfo, error) {
	for k := range q {
		if k != "f" && k != "crs" {
			return crsInfo{}, invalid(k, "unknown query parameter "+k+" (a feature takes f and crs)")
		}
	}
	return parseCRSParam("crs", q.Get("crs"))
}

// respond writes doc as JSON of type ctype, or as the HTML page.
func (s *service) respond(w http.ResponseWriter, r *http.Request, html bool, ctype, title string, doc any) {
	if !html {
		writeJSON(w, http.StatusOK, ctype, doc)
		return
	}
	b, err := json.Marshal(doc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", TypeHTML)
	if err := renderHTML(w, title, b); err != nil {
		s.opts.Logf("ogc: html %s: %v", r.URL.Path, err)
	}
}
