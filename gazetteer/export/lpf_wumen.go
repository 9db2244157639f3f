package export

import (
	"fmt"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/geo/lpf"
)

// The Wumen members of a Linked Places feature: what LPF has no member of
// its own for, written where WHG's schema (v1.2) allows a producer's
// members — in properties, names, relations and descriptions, each named
// wumen_… — so that an import gives the whole record back. What LPF can
// say itself it says: names with their language, citation and dates,
// administrative parents as gvp:broaderPartitive relations to the units,
// the three texts as descriptions.

// wumenProperties are the feature's properties beside title and ccodes:
// the licence and attribution of the record, its sources, and the fields
// LPF has no place for.
func wumenProperties(p *gazetteer.Place) lpf.Extra {
	e := lpf.Extra{}
	e.Set("wumen_license", p.License)
	e.Set("wumen_attribution", attribution(p))
	e.Set("wumen_sources", p.Sources)
	e.Set("wumen_specific", p.Specific)
	e.Set("wumen_generic", p.Generic)
	e.Set("wumen_joined", p.Joined)
	e.Set("wumen_status", string(p.Status))
	e.Set("wumen_code", p.Code)
	e.Set("wumen_level", p.Level)
	e.Set("wumen_category_code", p.Category.Code)
	e.Set("wumen_nbs", p.Links.NBS)
	e.Set("wumen_sign", p.Sign)
	e.Set("wumen_rank", p.Rank)
	if p.Coord != nil {
		e.Set("wumen_coord", p.Coord)
	}
	e.Set("wumen_heritage", p.Heritage)
	e.Set("wumen_events", p.Events)
	e.Set("wumen_extra", p.Extra)
	return e
}

// attribution is the notice a feature's data asks for: each source with
// its licence, as the record cites it.
func attribution(p *gazetteer.Place) string {
	var parts []string
	for _, s := range p.Sources {
		if s.License == "" || s.Title == "" {
			continue
		}
		parts = append(parts, s.Title+" ("+s.License+")")
	}
	return strings.Join(parts, "; ")
}

// nameExtra marks a name with its Wumen kind, script and language.
func nameExtra(kind, script, lang string) lpf.Extra {
	e := lpf.Extra{}
	e.Set("wumen_kind", kind)
	e.Set("wumen_script", script)
	e.Set("wumen_lang", lang)
	return e
}

// Name kinds of the two names every feature leads with (title and
// romanization), which are not among the record's other names.
const (
	lpfTitleKind  = gazetteer.KindStandard
	lpfPinyinKind = "romanization"
)

// adminRelations are the place's administrative parents as
// gvp:broaderPartitive relations to the units' URIs (base + id), broadest
// first, each with the unit's statistical code (wumen_admin).
func (m *lpfMapper) adminRelations(p *gazetteer.Place) []lpf.Relation {
	var out []lpf.Relation
	for _, code := range p.Admin {
		to, label := "urn:wumen:admin:"+code, "administrative unit "+code
		if u := m.unit(code); u != nil {
			to, label = m.base+strconv.FormatInt(u.ID, 10), "administrative unit "+u.Name+" ("+code+")"
		}
		e := lpf.Extra{}
		e.Set("wumen_admin", code)
		out = append(out, lpf.Relation{RelationType: relBroader, RelationTo: to, Label: label, Extra: e})
	}
	return out
}

// unit is the admin unit of a statistical code, or nil.
func (m *lpfMapper) unit(code string) *gazetteer.Place {
	if u, ok := m.units[code]; ok {
		return u
	}
	u, err := m.s.GetByCode(m.ctx, code)
	if err != nil {
		u = nil
	} else {
		u = &gazetteer.Place{ID: u.ID, Name: u.Name}
	}
	if len(m.units) > 10000 {
		clear(m.units)
	}
	m.units[code] = u
	return u
}

// textDescription is one of the three texts as an LPF description.
func textDescription(kind string, t *gazetteer.Text) lpf.Description {
	e := lpf.Extra{}
	e.Set("wumen_text", kind)
	e.Set("wumen_source", t.Source)
	e.Set("wumen_verified", t.Verified)
	e.Set("wumen_verified_by", t.VerifiedBy)
	return lpf.Description{Value: t.Text, Lang: "zh", Extra: e}
}

// fromWumen reads the Wumen members of a feature back into p, over what
// the LPF members gave. A feature without them (another producer's) keeps
// what ReadLPF made of it.
func fromWumen(p *gazetteer.Place, f *lpf.Feature) error {
	e := f.Properties.Extra
	var status string
	var coord *gazetteer.Coord
	for _, m := range []struct {
		key string
		v   any
	}{{"wumen_license", &p.License}, {"wumen_sources", &p.Sources}, {"wumen_specific", &p.Specific}, {"wumen_generic", &p.Generic},
		{"wumen_joined", &p.Joined}, {"wumen_status", &status}, {"wumen_code", &p.Code}, {"wumen_level", &p.Level},
		{"wumen_category_code", &p.Category.Code}, {"wumen_nbs", &p.Links.NBS}, {"wumen_sign", &p.Sign}, {"wumen_rank", &p.Rank},
		{"wumen_coord", &coord}, {"wumen_heritage", &p.Heritage}, {"wumen_events", &p.Events}, {"wumen_extra", &p.Extra}} {
		if _, err := e.Get(m.key, m.v); err != nil {
			return gazetteer.Errorf(gazetteer.EInvalid, "properties.%s: %v", m.key, err)
		}
	}
	if status != "" {
		p.Status = gazetteer.Status(status)
	}
	if coord != nil && p.Coord != nil {
		p.Coord = coord
	}
	for i, d := range f.Descriptions {
		var kind string
		if ok, _ := d.Extra.Get("wumen_text", &kind); !ok {
			continue
		}
		t := &gazetteer.Text{Text: d.Value}
		d.Extra.Get("wumen_source", &t.Source)
		d.Extra.Get("wumen_verified", &t.Verified)
		d.Extra.Get("wumen_verified_by", &t.VerifiedBy)
		switch kind {
		case "description":
			p.Desc = t
		case "meaning":
			p.Meaning = t
		case "history":
			p.History = t
		default:
			return gazetteer.Errorf(gazetteer.EInvalid, "descriptions[%d].wumen_text: %q is not description, meaning or history", i, kind)
		}
	}
	return nil
}

// wumenName reads a name's Wumen members: its kind, script and language;
// ok is false for a name without them.
func wumenName(n lpf.Name, gn *gazetteer.Name) (ok bool, err error) {
	if ok, err = n.Extra.Get("wumen_kind", &gn.Kind); !ok || err != nil {
		return ok, err
	}
	gn.Script, gn.Lang = "", ""
	if _, err := n.Extra.Get("wumen_script", &gn.Script); err != nil {
		return true, err
	}
	_, err = n.Extra.Get("wumen_lang", &gn.Lang)
	return true, err
}

// wumenRelation reads a relation's Wumen members: an admin parent's code,
// or a relation's own type and note.
func wumenRelation(p *gazetteer.Place, rel lpf.Relation, target int64) (bool, error) {
	var code string
	if ok, err := rel.Extra.Get("wumen_admin", &code); err != nil {
		return true, fmt.Errorf("wumen_admin: %v", err)
	} else if ok {
		p.Admin = append(p.Admin, code)
		return true, nil
	}
	var typ, note string
	if ok, err := rel.Extra.Get("wumen_type", &typ); err != nil || !ok {
		return false, err
	}
	rel.Extra.Get("wumen_note", &note)
	p.Rel = append(p.Rel, gazetteer.Relation{Type: typ, Target: target, Note: note})
	return true, nil
}

// relationExtra marks a relation with its Wumen type and note.
func relationExtra(r gazetteer.Relation) lpf.Extra {
	e := lpf.Extra{}
	e.Set("wumen_type", r.Type)
	e.Set("wumen_note", r.Note)
	return e
}
