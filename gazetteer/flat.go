package gazetteer

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Flat properties are how files made outside Wumen describe a place: one
// plain value a column, as GDAL writes a GeoPackage or Shapefile into
// GeoJSON, QGIS saves a layer, or a person writes a file by hand. Texts
// (meaning, history, description) are plain strings, the category is text
// in any form the category resolver reads (category.go), lists are written
// with | or 、 between items.

// flatIgnored are columns that hold what the store derives again (pinyin
// is kept: it may be a reviewed reading).
var flatIgnored = map[string]bool{"sign": true, "rank": true, "updated": true, "geometry_type": true, "label": true,
	"wumen_crs": true, "fid": true, "ogc_fid": true}

// isFlat tells flat properties from a Wumen record: a record's category is
// an object ({"class": …}).
func isFlat(top map[string]json.RawMessage) bool {
	c, ok := top["category"]
	if !ok {
		_, hasClass := top["class"]
		return hasClass || top["names"] == nil
	}
	return len(c) == 0 || c[0] != '{'
}

// flatProperties reads flat properties into a place; errors name the
// property to write.
func flatProperties(top map[string]json.RawMessage, cats *Categories) (*Place, error) {
	if cats == nil {
		cats = DefaultCategories()
	}
	get := func(k string) (string, error) {
		v, ok := top[k]
		if !ok || string(v) == "null" {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			return strings.TrimSpace(s), nil
		}
		var n json.Number
		if err := json.Unmarshal(v, &n); err == nil {
			return n.String(), nil
		}
		return "", invalid(k, "write %s as plain text or a number", k)
	}
	vals := map[string]string{}
	p := &Place{}
	for k := range top {
		s, err := get(k)
		if err != nil {
			return nil, err
		}
		vals[k] = s
	}
	take := func(k string) string { s := vals[k]; delete(vals, k); return s }
	for _, k := range []string{"id", "place_id"} {
		if s := take(k); s != "" && p.ID == 0 {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, invalid(k, "%q is not a Wumen place id (a whole number)", s)
			}
			p.ID = id
		}
	}
	p.Name, p.Specific, p.Generic, p.Pinyin = take("name"), take("specific"), take("generic"), take("pinyin")
	p.Status, p.Code, p.Level, p.License = Status(take("status")), take("code"), take("level"), take("license")
	p.Admin, p.Links.OSM, p.Links.Wikidata, p.Links.NBS = splitFlat(take("admin")), take("osm"), take("wikidata"), take("nbs")
	for _, h := range splitFlat(take("heritage")) {
		p.Heritage = append(p.Heritage, Heritage{List: h})
	}
	if s := take("geonames"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, invalid("geonames", "%q is not a GeoNames id (a whole number)", s)
		}
		p.Links.GeoNames = id
	}
	if err := flatCategory(p, take("class"), take("subclass"), take("category"), cats); err != nil {
		return nil, err
	}
	if err := flatCoord(p, take("coord_method"), take("accuracy_m"), take("coord_source")); err != nil {
		return nil, err
	}
	for k, t := range map[string]**Text{"meaning": &p.Meaning, "history": &p.History, "description": &p.Desc} {
		if s := take(k); s != "" {
			*t = &Text{Text: s}
		}
	}
	for k, v := range vals {
		if flatIgnored[k] || v == "" {
			continue
		}
		if p.Extra == nil {
			p.Extra = map[string]any{}
		}
		p.Extra[k] = v
	}
	return p, nil
}

// flatCategory sets the category from class and subclass columns, or from
// one category column in any written form; a record with neither keeps
// an empty category.
func flatCategory(p *Place, class, subclass, category string, cats *Categories) error {
	switch {
	case class != "":
		p.Category = Category{Class: class, Subclass: subclass}
	case category != "":
		m, err := cats.Resolve(category)
		if err != nil {
			return err
		}
		p.Category = m.Category
	}
	// No category is left for validation to say when the record is written
	// as a place; a boundary file matched by code needs none.
	return nil
}

func flatCoord(p *Place, method, acc, source string) error {
	if method == "" && acc == "" && source == "" {
		return nil
	}
	p.Coord = &Coord{Method: method, Source: source}
	if acc != "" {
		a, err := strconv.ParseFloat(acc, 64)
		if err != nil || a < 0 {
			return invalid("accuracy_m", "%q is not an accuracy in metres", acc)
		}
		p.Coord.AccuracyM = a
	}
	return nil
}

// splitFlat splits a list written in one column.
func splitFlat(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '、' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// UnmarshalJSON reads a text as an object ({"text": …, "source": …}) or,
// as flat files write it, a plain string. Unknown members of the object are
// refused, as everywhere in a record.
func (t *Text) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text{Text: s}
		return nil
	}
	type plain Text
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode((*plain)(t))
}

// jsonWant says in words what a JSON value of type t must be, for errors a
// user can act on (never a Go type name).
func jsonWant(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeOf(Text{}):
		return `text: a string, or an object {"text": …, "source": …}`
	case reflect.TypeOf(Category{}):
		return `a category object {"class": …, "subclass": …}`
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list [ … ]"
	case reflect.Struct, reflect.Map:
		return "an object { … }"
	}
	return "another kind of value"
}

// jsonValueWord names the kind of JSON value encoding/json found.
func jsonValueWord(v string) string {
	switch v {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	return v
}
