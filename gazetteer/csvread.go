package gazetteer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// CSVRecordColumns fills a place from the columns of Wumen's CSV beyond
// the plain ones (CSVHeader after CSVPlainHeader): level, joined, sign,
// rank, nbs, coord_note, the list cells (names, heritage, relations,
// events, sources, csvcell.go), the three texts with their source and
// verification, and extra (a JSON object, merged over what p holds).
// cell returns a column's raw value and whether the table has the column.
// A text whose table has no _source column cites source. Names are added
// after those p holds (a census table's alias columns). Errors name the
// column.
func CSVRecordColumns(cell func(col string) (string, bool), p *Place, source string) error {
	get := func(k string) string { v, _ := cell(k); return strings.TrimSpace(v) }
	p.Level, p.Sign, p.Links.NBS = get("level"), get("sign"), get("nbs")
	if p.Category.Code == "" {
		p.Category.Code = get("category_code")
	}
	switch v := strings.ToLower(get("joined")); v {
	case "", "false", "0", "否":
	case "true", "1", "是":
		p.Joined = true
	default:
		return invalid("joined", "%q is not true or false", get("joined"))
	}
	if s := get("rank"); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(r) || r < 0 || r > 1 {
			return invalid("rank", "%q is not a rank between 0 and 1", s)
		}
		p.Rank = r
	}
	if s := get("coord_note"); s != "" && p.Coord != nil {
		p.Coord.Note = s
	}
	if err := csvTexts(cell, get, p, source); err != nil {
		return err
	}
	if err := csvLists(cell, p); err != nil {
		return err
	}
	if s := get("extra"); s != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
			return invalid("extra", "write a JSON object here ({\"note\": \"…\"}), not %.40q", s)
		}
		if p.Extra == nil {
			p.Extra = map[string]any{}
		}
		for k, v := range m {
			p.Extra[k] = v
		}
	}
	return nil
}

// csvLists reads the list cells.
func csvLists(cell func(string) (string, bool), p *Place) error {
	raw := func(k string) string { v, _ := cell(k); return v }
	if s := raw("names"); strings.TrimSpace(s) != "" {
		ns, err := ParseNames(s)
		if err != nil {
			return invalid("names", "%v", err)
		}
		p.Names = append(p.Names, ns...)
	}
	if s := raw("relations"); strings.TrimSpace(s) != "" {
		rs, err := ParseRelations(s)
		if err != nil {
			return invalid("relations", "%v", err)
		}
		p.Rel = rs
	}
	if s := raw("events"); strings.TrimSpace(s) != "" {
		evs, err := ParseEvents(s)
		if err != nil {
			return invalid("events", "%v", err)
		}
		p.Events = evs
	}
	if s := raw("sources"); strings.TrimSpace(s) != "" {
		ss, err := ParseSources(s)
		if err != nil {
			return invalid("sources", "%v", err)
		}
		p.Sources = ss
	}
	return nil
}

// csvTexts reads meaning, history and description with their _source,
// _verified and _verified_by columns.
func csvTexts(cell func(string) (string, bool), get func(string) string, p *Place, source string) error {
	for _, t := range []struct {
		col string
		dst **Text
	}{{"meaning", &p.Meaning}, {"history", &p.History}, {"description", &p.Desc}} {
		v := get(t.col)
		if v == "" {
			continue
		}
		x := &Text{Text: v, Source: source, VerifiedBy: get(t.col + "_verified_by")}
		if s, ok := cell(t.col + "_source"); ok {
			x.Source = strings.TrimSpace(s)
		}
		switch s := strings.ToLower(get(t.col + "_verified")); s {
		case "", "false", "0", "否":
		case "true", "1", "是":
			x.Verified = true
		default:
			return invalid(t.col+"_verified", "%q is not true or false", s)
		}
		*t.dst = x
	}
	return nil
}

// CSVHeritage reads a heritage cell (FormatHeritage), naming the column in
// an error.
func CSVHeritage(s string) ([]Heritage, error) {
	hs, err := ParseHeritage(s)
	if err != nil {
		return nil, invalid("heritage", "%v", err)
	}
	return hs, nil
}
