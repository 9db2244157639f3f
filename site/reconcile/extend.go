package reconcile

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"wumen/gazetteer"
)

// Property is a property of the service: one a query may be narrowed by
// (Query) or one data extension can fetch (Extend).
type Property struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// aliases are other pids accepted for a query property.
	aliases []string
	query   bool
	// value gives the property's values for a place (extension).
	value func(p *gazetteer.Place, admin map[string]string) []map[string]any
}

// properties is the one table of the service's properties, read by queries,
// suggest and data extension.
var properties = []Property{
	{ID: "admin", Name: "所在行政区 admin unit", Description: "county, township or village by statistical code (320508) or name (姑苏区)",
		aliases: []string{"county", "所在行政区", "所在(跨)行政区", "admin_code"}, query: true,
		value: func(p *gazetteer.Place, admin map[string]string) []map[string]any {
			var out []map[string]any
			for _, c := range p.Admin {
				out = append(out, map[string]any{"id": c, "name": nameOr(admin[c], c)})
			}
			return out
		}},
	{ID: "year", Name: "年份 year in use", Description: "a year the name was in use (1500; negative for BCE)",
		aliases: []string{"年份", "date"}, query: true},
	{ID: "point", Name: "坐标 point", Description: "\"lat,lon\" in WGS84 (or POINT(lon lat)): candidates within distance_m",
		aliases: []string{"coordinates", "坐标", "latlon"}, query: true,
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any {
			if p.Label == nil {
				return nil
			}
			return str(strconv.FormatFloat(p.Label[1], 'f', 6, 64) + "," + strconv.FormatFloat(p.Label[0], 'f', 6, 64))
		}},
	{ID: "distance_m", Name: "距离 distance (m)", Description: "how far from point a candidate may be (default 5000)",
		aliases: []string{"distance", "radius"}, query: true},
	{ID: "generic", Name: "通名 generic", Description: "the generic part of the name: 街, 巷, 桥, 门, 村 …",
		aliases: []string{"通名"}, query: true,
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Generic) }},
	{ID: "standard_name", Name: "标准名称 standard name",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Name) }},
	{ID: "pinyin", Name: "罗马字母拼写 pinyin",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Pinyin) }},
	{ID: "category", Name: "类别 category", Description: "census class and subclass",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any {
			id, name := p.Category.Class, p.Category.Class
			if p.Category.Subclass != "" {
				id, name = id+"/"+p.Category.Subclass, p.Category.Subclass
			}
			return []map[string]any{{"id": id, "name": name}}
		}},
	{ID: "status", Name: "状态 status", Description: "current, historical or cancelled",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(string(p.Status)) }},
	{ID: "code", Name: "区划代码 statistical code",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Code) }},
	{ID: "lat", Name: "纬度 latitude (WGS84)",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return coord(p, 1) }},
	{ID: "lon", Name: "经度 longitude (WGS84)",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return coord(p, 0) }},
	{ID: "coord_method", Name: "坐标来源 how the position was obtained", Description: "surveyed, osm, geonames, digitized or estimated",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any {
			if p.Coord == nil || p.Label == nil {
				return nil
			}
			return str(p.Coord.Method)
		}},
	{ID: "accuracy_m", Name: "坐标精度 accuracy (m)",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any {
			if p.Coord == nil || p.Label == nil || p.Coord.AccuracyM == 0 {
				return nil
			}
			return []map[string]any{{"float": p.Coord.AccuracyM}}
		}},
	{ID: "other_names", Name: "其他名称 other names with their dates", Description: "aliases and historical names: 平江府 (historical, 1113–1276)",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any {
			var out []map[string]any
			for _, n := range p.Names {
				if n.Kind == gazetteer.KindStandard || n.Script == gazetteer.ScriptPinyin {
					continue
				}
				t := n.Text + " (" + n.Kind
				if n.Start != "" || n.End != "" {
					t += ", " + n.Start + "–" + n.End
				}
				out = append(out, map[string]any{"str": t + ")"})
			}
			return out
		}},
	{ID: "wikidata", Name: "Wikidata",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Links.Wikidata) }},
	{ID: "osm", Name: "OpenStreetMap",
		value: func(p *gazetteer.Place, _ map[string]string) []map[string]any { return str(p.Links.OSM) }},
}

func str(v string) []map[string]any {
	if v == "" {
		return nil
	}
	return []map[string]any{{"str": v}}
}

func coord(p *gazetteer.Place, i int) []map[string]any {
	if p.Label == nil {
		return nil
	}
	return []map[string]any{{"float": p.Label[i]}}
}

func nameOr(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// canonicalProperty maps a pid (or one of its aliases) to its property id;
// "" when it names no query property.
func canonicalProperty(pid string) string {
	pid = strings.TrimSpace(pid)
	for _, p := range properties {
		if !p.query {
			continue
		}
		if strings.EqualFold(pid, p.ID) {
			return p.ID
		}
		for _, a := range p.aliases {
			if strings.EqualFold(pid, a) {
				return p.ID
			}
		}
	}
	return ""
}

// queryPropertyIDs lists the pids a query may use.
func queryPropertyIDs() []string {
	var out []string
	for _, p := range properties {
		if p.query {
			out = append(out, p.ID)
		}
	}
	return out
}

// extensionProperty finds a property data extension can fetch.
func extensionProperty(id string) (Property, bool) {
	for _, p := range properties {
		if p.ID == id && p.value != nil {
			return p, true
		}
	}
	return Property{}, false
}

// extendQuery is the data-extension request (data-extension-query schema).
type extendQuery struct {
	IDs        []string `json:"ids"`
	Properties []struct {
		ID       string         `json:"id"`
		Settings map[string]any `json:"settings,omitempty"`
	} `json:"properties"`
}

// extend answers extend={"ids": […], "properties": [{"id": …}]} with the
// values of each property for each place (data-extension-response schema).
func (s *service) extend(w http.ResponseWriter, r *http.Request) {
	var q extendQuery
	dec := json.NewDecoder(strings.NewReader(r.Form.Get("extend")))
	if err := dec.Decode(&q); err != nil {
		s.fail(w, r, invalid("extend", "extend must be {\"ids\": [\"1400\"], \"properties\": [{\"id\": \"pinyin\"}]}: "+plainJSONError(err)))
		return
	}
	out, err := s.Extend(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.reply(w, r, out, "no-store")
}

// Extend fetches property values for reconciled ids. An id that names no
// place gets an empty row, as the specification has it.
func (s *service) Extend(ctx context.Context, q extendQuery) (map[string]any, error) {
	if len(q.IDs) > MaxExtendIDs {
		return nil, invalid("extend.ids", fmt.Sprintf("at most %d ids a request; this one has %d", MaxExtendIDs, len(q.IDs)))
	}
	var props []Property
	meta := []map[string]any{}
	for i, p := range q.Properties {
		prop, ok := extensionProperty(p.ID)
		if !ok {
			return nil, invalid(fmt.Sprintf("extend.properties[%d].id", i), fmt.Sprintf("unknown property %q: /reconcile/properties lists those that can be fetched", p.ID))
		}
		props = append(props, prop)
		m := map[string]any{"id": prop.ID, "name": prop.Name}
		if prop.ID == "admin" || prop.ID == "category" {
			m["type"] = map[string]string{"id": prop.ID, "name": prop.Name}
		}
		meta = append(meta, m)
	}
	admin, err := s.adminNames(ctx)
	if err != nil {
		return nil, err
	}
	rows := map[string]any{}
	for _, id := range q.IDs {
		row := map[string]any{}
		for _, prop := range props {
			row[prop.ID] = []map[string]any{}
		}
		rows[id] = row
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		p, err := s.store.Get(ctx, n)
		if gazetteer.ErrorCode(err) == gazetteer.ENotFound {
			continue
		} else if err != nil {
			return nil, err
		}
		for _, prop := range props {
			if v := prop.value(p, admin); v != nil {
				row[prop.ID] = v
			}
		}
	}
	return map[string]any{"meta": meta, "rows": rows}, nil
}

// proposeProperties answers /reconcile/properties?type=…&limit=…: the
// properties data extension can fetch (the same for every type).
func (s *service) proposeProperties(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	limit := len(properties)
	if l := r.Form.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			s.fail(w, r, invalid("limit", "limit must be a positive whole number"))
			return
		}
		limit = n
	}
	var list []map[string]string
	for _, p := range properties {
		if p.value != nil && len(list) < limit {
			list = append(list, map[string]string{"id": p.ID, "name": p.Name})
		}
	}
	out := map[string]any{"properties": list, "limit": limit}
	if t := r.Form.Get("type"); t != "" {
		out["type"] = t
	}
	s.reply(w, r, out, "public, max-age=3600")
}
