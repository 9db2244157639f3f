package ogc

import (
	_ "embed"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/site/ogc/cql2"
)

//go:embed queryables.tsv
var queryablesTSV string

// queryable is one property a filter or sortby may name.
type queryable struct {
	Name, Type, Description string
}

// queryables lists the queryables of each kind of collection ("places",
// "walks"), in the order of queryables.tsv.
var queryables = func() map[string][]queryable {
	m := map[string][]queryable{}
	for i, line := range strings.Split(queryablesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || kindOf(f[2]) == 0 {
			panic(fmt.Sprintf("queryables.tsv:%d: want kind, name, type, description", i+1))
		}
		m[f[0]] = append(m[f[0]], queryable{f[1], f[2], f[3]})
	}
	return m
}()

// kindOf maps a queryables.tsv type onto the filter's kind.
func kindOf(typ string) cql2.Kind {
	switch typ {
	case "string":
		return cql2.String
	case "number", "integer":
		return cql2.Number
	case "boolean":
		return cql2.Boolean
	case "date-time":
		return cql2.Timestamp
	case "geometry":
		return cql2.Geometry
	}
	return 0
}

// kind is the queryables.tsv kind of a collection.
func (c *coll) kind() string {
	if c.ID == Walks {
		return Walks
	}
	return AllPlaces
}

func (c *coll) queryable(name string) (queryable, bool) {
	for _, q := range queryables[c.kind()] {
		if q.Name == name {
			return q, true
		}
	}
	return queryable{}, false
}

// queryablesDoc is the collection's queryables as a JSON Schema (OGC
// 19-079r2 §6.2, /req/queryables/get-queryables-response): an object whose
// properties are the queryables; the geometry is marked with the JSON-FG
// format "geometry-any".
func queryablesDoc(base string, c *coll) map[string]any {
	props := map[string]any{}
	for _, q := range queryables[c.kind()] {
		var s map[string]any
		switch q.Type {
		case "geometry":
			s = map[string]any{"format": "geometry-any", "x-ogc-role": "primary-geometry"}
		case "date-time":
			s = map[string]any{"type": "string", "format": "date-time"}
		default:
			s = map[string]any{"type": q.Type}
		}
		s["title"], s["description"] = q.Name, q.Description
		props[q.Name] = s
	}
	return map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  base + "/ogc/collections/" + c.ID + "/queryables",
		"type":                 "object",
		"title":                c.Title,
		"description":          "The properties of " + c.Title + " a filter (CQL2 text) or sortby may name.",
		"properties":           props,
		"additionalProperties": false,
	}
}

func (s *service) queryables(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for k := range r.URL.Query() {
		if k != "f" {
			s.writeError(w, r, invalid(k, "unknown query parameter "+k))
			return
		}
	}
	c, err := s.findCollection(r.Context(), r.PathValue("cid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := queryablesDoc(s.base(r), c)
	if html {
		var rows [][2]string
		for _, q := range queryables[c.kind()] {
			rows = append(rows, [2]string{q.Name, q.Type + " — " + q.Description})
		}
		doc["links"] = selfLinks(s.base(r), "/ogc/collections/"+c.ID+"/queryables", r.URL.Query(), true, TypeSchema)
		s.respond(w, r, true, TypeSchema, "Queryables: "+c.Title, doc)
		return
	}
	writeJSON(w, http.StatusOK, TypeSchema, doc)
}

// placeRecord is a place as filters and sortby see it: the values of the
// queryables, as the feature's properties carry them.
type placeRecord struct{ p *gazetteer.Place }

func str1(s string) []any {
	if s == "" {
		return nil
	}
	return []any{s}
}

// Values implements cql2.Record.
func (r placeRecord) Values(name string) []any {
	p := r.p
	switch name {
	case "name":
		return str1(p.Name)
	case "pinyin":
		return str1(p.Pinyin)
	case "category":
		return str1(p.Category.Class)
	case "subcategory":
		return str1(p.Category.Subclass)
	case "status":
		return str1(string(p.Status))
	case "code":
		return str1(p.Code)
	case "admin":
		var out []any
		for _, a := range p.Admin {
			out = append(out, a)
		}
		return out
	case "heritage":
		var out []any
		for _, h := range p.Heritage {
			out = append(out, h.List)
		}
		return out
	case "coord_method":
		if p.Coord != nil {
			return str1(p.Coord.Method)
		}
	case "accuracy_m":
		if p.Coord != nil && p.Coord.AccuracyM > 0 {
			return []any{p.Coord.AccuracyM}
		}
	case "osm":
		return str1(p.Links.OSM)
	case "geonames":
		if p.Links.GeoNames != 0 {
			return []any{float64(p.Links.GeoNames)}
		}
	case "wikidata":
		return str1(p.Links.Wikidata)
	case "license":
		return str1(p.License)
	case "rank":
		return []any{p.Rank}
	case "updated":
		if t, ok := cql2.ParseTime(p.Updated); ok {
			return []any{t}
		}
	}
	return nil
}

// Geometry implements cql2.Record.
func (r placeRecord) Geometry() orb.Geometry { return r.p.Geometry }

// walkRecord is a walk as filters see it.
type walkRecord struct {
	w    *gazetteer.Walk
	line orb.Geometry
}

// Values implements cql2.Record.
func (r walkRecord) Values(name string) []any {
	switch name {
	case "title":
		return str1(r.w.Title)
	case "title_en":
		return str1(r.w.TitleEn)
	case "summary":
		return str1(r.w.Summary)
	}
	return nil
}

// Geometry implements cql2.Record.
func (r walkRecord) Geometry() orb.Geometry { return r.line }

// sortKey is one term of sortby: a queryable, descending or not.
type sortKey struct {
	name string
	desc bool
}

// parseSortBy reads sortby (OGC API – Records §7.7.4, the sorting the
// Features API drafts take from it): comma-separated queryables, each with
// an optional + (ascending, the default) or - (descending).
func parseSortBy(v string, c *coll) ([]sortKey, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []sortKey
	for _, term := range strings.Split(v, ",") {
		term = strings.TrimSpace(term)
		k := sortKey{name: term}
		if strings.HasPrefix(term, "-") {
			k = sortKey{name: term[1:], desc: true}
		} else if strings.HasPrefix(term, "+") {
			k.name = term[1:]
		}
		q, ok := c.queryable(k.name)
		if !ok || q.Type == "geometry" {
			var names []string
			for _, q := range queryables[c.kind()] {
				if q.Type != "geometry" {
					names = append(names, q.Name)
				}
			}
			return nil, invalid("sortby", fmt.Sprintf("sortby: %q is not a property to sort by; use one of %s, with - before it for descending", k.name, strings.Join(names, ", ")))
		}
		out = append(out, k)
	}
	return out, nil
}

// sortRecords orders records by the keys, stably (ties keep id order); a
// record without a value sorts after those with one, either direction.
// Each record's sort values are read once.
func sortRecords[R cql2.Record](rs []R, keys []sortKey) {
	if len(keys) == 0 {
		return
	}
	type row struct {
		r    R
		vals []any // the first value of each key; nil for none
	}
	rows := make([]row, len(rs))
	for i, r := range rs {
		rows[i] = row{r, make([]any, len(keys))}
		for j, k := range keys {
			if v := r.Values(k.name); len(v) > 0 {
				rows[i].vals[j] = v[0]
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for n, k := range keys {
			a, b := rows[i].vals[n], rows[j].vals[n]
			switch {
			case a == nil && b == nil:
				continue
			case a == nil:
				return false
			case b == nil:
				return true
			}
			if c := cql2.Compare(a, b); c != 0 {
				return (c < 0) != k.desc
			}
		}
		return false
	})
	for i := range rows {
		rs[i] = rows[i].r
	}
}
