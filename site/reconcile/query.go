package reconcile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"wumen/search"
)

// Query is one reconciliation query of a batch (reconciliation-query-batch
// schema): the cell's text, the wanted type(s), how many candidates, and
// property values that narrow the match.
type Query struct {
	Query      string          `json:"query"`
	Type       json.RawMessage `json:"type,omitempty"` // a type id or a list of them
	Limit      float64         `json:"limit,omitempty"`
	Properties []PropertyValue `json:"properties,omitempty"`
	TypeStrict string          `json:"type_strict,omitempty"`
}

// PropertyValue is one property constraint of a query: pid names one of
// Properties, v is a string, number, boolean, {id, name} object, or a list
// of them.
type PropertyValue struct {
	PID string          `json:"pid"`
	V   json.RawMessage `json:"v"`
}

// Candidate is one entity proposed for a query (reconciliation-result-batch
// schema).
type Candidate struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Score       float64   `json:"score"`
	Match       bool      `json:"match"`
	Type        []Type    `json:"type"`
	Features    []Feature `json:"features,omitempty"`
}

// Feature is one of the signals a candidate's score is made from, so a user
// can see why it scored as it did.
type Feature struct {
	ID    string `json:"id"`
	Value any    `json:"value"`
}

// Result is the answer to one query.
type Result struct {
	Result []Candidate `json:"result"`
}

// defaultRadiusM is the distance a point property keeps candidates within
// when no distance_m is given.
const defaultRadiusM = 5000

// queries answers a batch: queries={"q0": {...}, …} → {"q0": {"result": […]}, …}.
func (s *service) queries(w http.ResponseWriter, r *http.Request) {
	if s.index == nil {
		s.fail(w, r, errNoIndex)
		return
	}
	batch, err := parseBatch(r.Form.Get("queries"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.Reconcile(r.Context(), batch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.reply(w, r, out, "no-store")
}

// parseBatch reads the queries parameter: a JSON object of queries keyed by
// the client's ids.
func parseBatch(text string) (map[string]Query, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var batch map[string]Query
	if err := dec.Decode(&batch); err != nil {
		return nil, invalid("queries", "queries must be a JSON object of queries, e.g. {\"q0\": {\"query\": \"平江府\", \"type\": \"行政区域\"}}: "+plainJSONError(err))
	}
	if len(batch) > MaxBatch {
		return nil, invalid("queries", fmt.Sprintf("a batch holds at most %d queries; this one has %d", MaxBatch, len(batch)))
	}
	for key, q := range batch {
		if strings.TrimSpace(q.Query) == "" && len(q.Properties) == 0 {
			return nil, invalid("queries."+key+".query", "give the text to match (query), or properties")
		}
		if q.Limit < 0 || q.Limit != math.Trunc(q.Limit) {
			return nil, invalid("queries."+key+".limit", "limit must be a whole number of candidates")
		}
		switch q.TypeStrict {
		case "", "any", "should", "all":
		default:
			return nil, invalid("queries."+key+".type_strict", "type_strict must be any, should or all")
		}
	}
	return batch, nil
}

// plainJSONError words a JSON decoding error without Go type names.
func plainJSONError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "json: unknown field "); i >= 0 {
		return "unknown member " + strings.TrimPrefix(msg[i:], "json: unknown field ") + " (a query has query, type, limit, properties, type_strict)"
	}
	if strings.Contains(msg, "cannot unmarshal") {
		return "a member has the wrong kind of value (query is text, limit a number, properties a list of {pid, v})"
	}
	return strings.TrimPrefix(msg, "json: ")
}

// Reconcile answers a batch of queries. Each query is read, then searched
// with its constraints; its candidates are scored and at most one is marked
// as a match.
func (s *service) Reconcile(ctx context.Context, batch map[string]Query) (map[string]Result, error) {
	admin, err := s.adminNames(ctx)
	if err != nil {
		return nil, err
	}
	res := &resolver{admin: admin, types: s.typeIndex()}
	out := make(map[string]Result, len(batch))
	for key, q := range batch {
		c, err := res.constraints(key, q)
		if err != nil {
			return nil, err
		}
		cands, err := s.candidates(ctx, q, c, admin)
		if err != nil {
			return nil, err
		}
		out[key] = Result{Result: cands}
	}
	return out, nil
}

// constraint is what a query's type and properties ask of a candidate.
type constraint struct {
	limit    int
	types    []Type // wanted types (any of them)
	admin    string // statistical code
	unknown  []string
	year     int
	near     *orb.Point
	radiusM  float64
	generic  string
	narrowed bool // a property narrowed the scope (county, year, point)
}

// resolver turns type ids and property values into search constraints.
type resolver struct {
	admin  map[string]string // code → name
	byName map[string][]string
	types  map[string]Type
}

func (s *service) typeIndex() map[string]Type {
	m := map[string]Type{}
	for _, t := range s.types() {
		m[t.ID] = t
		if _, ok := m[t.Name]; !ok {
			m[t.Name] = t // a subclass named alone: 湖泊, 桥梁
		}
	}
	return m
}

func (res *resolver) constraints(key string, q Query) (*constraint, error) {
	c := &constraint{limit: DefaultLimit, radiusM: defaultRadiusM}
	if q.Limit > 0 {
		c.limit = min(int(q.Limit), MaxLimit)
	}
	ids, err := typeIDs(q.Type)
	if err != nil {
		return nil, invalid("queries."+key+".type", err.Error())
	}
	for _, id := range ids {
		t, ok := res.types[id]
		if !ok {
			return nil, invalid("queries."+key+".type", fmt.Sprintf("unknown type %q: use a census class or class/subclass, as /reconcile/suggest/type lists them", id))
		}
		c.types = append(c.types, t)
	}
	for i, p := range q.Properties {
		field := fmt.Sprintf("queries.%s.properties[%d]", key, i)
		vals, err := propertyValues(p.V)
		if err != nil {
			return nil, invalid(field+".v", err.Error())
		}
		if err := res.apply(c, field, p.PID, vals); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// apply sets one property constraint. Its first value is used; a list of
// several is read as alternatives only for the admin unit.
func (res *resolver) apply(c *constraint, field, pid string, vals []string) error {
	if len(vals) == 0 {
		return nil
	}
	v := strings.TrimSpace(vals[0])
	switch canonicalProperty(pid) {
	case "admin":
		if code := res.adminCode(v); code != "" {
			c.admin, c.narrowed = code, true
		} else {
			c.unknown = append(c.unknown, v)
		}
	case "year":
		y, err := strconv.Atoi(strings.TrimSuffix(v, "年"))
		if err != nil || y < -3000 || y > 3000 {
			return invalid(field+".v", "year must be a year such as 1500 (negative for BCE)")
		}
		c.year, c.narrowed = y, true
	case "point":
		pt, err := parsePoint(v)
		if err != nil {
			return invalid(field+".v", err.Error())
		}
		c.near, c.narrowed = &pt, true
	case "distance_m":
		d, err := strconv.ParseFloat(v, 64)
		if err != nil || d <= 0 || d > search.MaxRadiusM {
			return invalid(field+".v", "distance_m must be metres, more than 0 and at most 500000")
		}
		c.radiusM = d
	case "generic":
		c.generic = v
	default:
		return invalid(field+".pid", fmt.Sprintf("unknown property %q: use one of %s", pid, strings.Join(queryPropertyIDs(), ", ")))
	}
	return nil
}

// adminCode finds the statistical code of an admin unit given by code or by
// name: the full name (姑苏区), or a name without its generic (姑苏) when
// that names only one unit.
func (res *resolver) adminCode(v string) string {
	if _, ok := res.admin[v]; ok {
		return v
	}
	if res.byName == nil {
		res.byName = map[string][]string{}
		for code, name := range res.admin {
			res.byName[name] = append(res.byName[name], code)
		}
		for _, codes := range res.byName {
			sort.Strings(codes)
		}
	}
	if codes := res.byName[v]; len(codes) > 0 {
		return codes[0] // the broadest unit of that name (shortest code sorts first)
	}
	var found []string
	for _, suffix := range []string{"区", "市", "县", "镇", "街道", "乡"} {
		found = append(found, res.byName[v+suffix]...)
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// parsePoint reads "lat,lon" (as geocoders and spreadsheets write it) or
// WKT "POINT(lon lat)".
func parsePoint(v string) (orb.Point, error) {
	const want = "point must be \"lat,lon\" in WGS84 degrees, e.g. \"31.3157,120.6194\", or POINT(lon lat)"
	var lat, lon float64
	var err1, err2 error
	if u := strings.ToUpper(v); strings.HasPrefix(u, "POINT") {
		inner := strings.Trim(strings.TrimSpace(v[5:]), "() ")
		f := strings.Fields(inner)
		if len(f) != 2 {
			return orb.Point{}, fmt.Errorf("%s", want)
		}
		lon, err1 = strconv.ParseFloat(f[0], 64)
		lat, err2 = strconv.ParseFloat(f[1], 64)
	} else {
		f := strings.Split(v, ",")
		if len(f) != 2 {
			return orb.Point{}, fmt.Errorf("%s", want)
		}
		lat, err1 = strconv.ParseFloat(strings.TrimSpace(f[0]), 64)
		lon, err2 = strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
	}
	if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 || lat != lat || lon != lon {
		return orb.Point{}, fmt.Errorf("%s", want)
	}
	return orb.Point{lon, lat}, nil
}

// typeIDs reads the type member: one id or a list of ids.
func typeIDs(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("type must be a type id or a list of type ids")
	}
	return many, nil
}

// propertyValues reads v: a value or a list of values, each a string,
// number, boolean or {id, name} object (the id is used).
func propertyValues(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("v must be a value or a list of values")
		}
		var out []string
		for _, item := range list {
			v, err := propertyValue(item)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	v, err := propertyValue(raw)
	if err != nil {
		return nil, err
	}
	return []string{v}, nil
}

func propertyValue(raw json.RawMessage) (string, error) {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return "", fmt.Errorf("v must be a value or a list of values")
	}
	switch t := x.(type) {
	case string:
		return t, nil
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(t), nil
	case map[string]any:
		if id, ok := t["id"].(string); ok {
			return id, nil
		}
	}
	return "", fmt.Errorf("v must be text, a number, true/false or an {\"id\": …} object")
}

// candidates searches for one query and scores what it finds.
func (s *service) candidates(ctx context.Context, q Query, c *constraint, admin map[string]string) ([]Candidate, error) {
	sq := search.Query{Text: q.Query, Size: search.MaxSize / 2, Admin: c.admin, Year: c.year}
	if c.near != nil {
		sq.Near, sq.RadiusM = c.near, c.radiusM
	}
	if len(c.types) == 1 {
		sq.Category = categoryFilter(c.types[0])
	}
	if strings.TrimSpace(sq.Text) == "" && sq.Category == "" && sq.Admin == "" && sq.Near == nil {
		return []Candidate{}, nil
	}
	res, err := s.index.Search(ctx, sq)
	if err != nil {
		return nil, err
	}
	hits := res.Hits
	if c.generic != "" {
		if hits, err = s.withGeneric(ctx, hits, c.generic); err != nil {
			return nil, err
		}
	}
	return score(q.Query, hits, c, admin), nil
}

// withGeneric keeps the hits whose place has this 通名 (Generic). A name
// written joined — natural villages and towns, whose generic became part of
// the specific (docs/domain.md §4) — has none: the town 枫桥 is not a 桥.
func (s *service) withGeneric(ctx context.Context, hits []search.Hit, generic string) ([]search.Hit, error) {
	var out []search.Hit
	for _, h := range hits {
		p, err := s.store.Get(ctx, h.ID)
		if err != nil {
			return nil, err
		}
		if p.Generic == generic && !p.Joined {
			out = append(out, h)
		}
	}
	return out, nil
}

// categoryFilter is the search filter of a type: its subclass, or its class.
func categoryFilter(t Type) string {
	if _, sub, ok := strings.Cut(t.ID, "/"); ok {
		return sub
	}
	return t.ID
}
