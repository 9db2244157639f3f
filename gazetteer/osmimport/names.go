package osmimport

import (
	"strings"

	"github.com/paulmach/osm"

	"wumen/gazetteer"
	"wumen/gazetteer/script"
)

// citation is what an OSM-derived name cites.
const citation = "OpenStreetMap"

// values splits a tag value on OSM's multi-value separator.
func values(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Label is what a map labels an object with, by the name table: its
// standard name and its first name of Latin script (name:en), each "" when
// it has none.
func (m *Mapping) Label(tags osm.Tags) (name, latin string) {
	for _, n := range m.Names {
		if n.Script != gazetteer.ScriptLatin {
			continue
		}
		if v := values(tags.Find(n.Tag)); len(v) > 0 {
			latin = v[0]
			break
		}
	}
	return m.standardName(tags), latin
}

// standardName is the value of the first standard-name tag present.
func (m *Mapping) standardName(tags osm.Tags) string {
	for _, n := range m.Names {
		if n.Kind != gazetteer.KindStandard {
			continue
		}
		if v := values(tags.Find(n.Tag)); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// names are the object's names other than its standard name, each with the
// kind and script of its tag, in table order, without repeats.
func (m *Mapping) names(tags osm.Tags, standard string) []gazetteer.Name {
	seen := map[string]bool{standard: true}
	var out []gazetteer.Name
	for _, n := range m.Names {
		if n.Kind == kindCode || n.Kind == kindWikidata {
			continue
		}
		for _, v := range values(tags.Find(n.Tag)) {
			if seen[v] {
				continue
			}
			seen[v] = true
			s := n.Script
			if s == scriptAuto {
				s = scriptOf(v)
			}
			out = append(out, gazetteer.Name{Text: v, Script: s, Kind: n.Kind, Citation: citation})
		}
	}
	return out
}

// scriptOf is hant for text holding a traditional-only character, hans
// otherwise (Latin text in a Chinese name tag is rare; it is latin).
func scriptOf(s string) string {
	latin := true
	for _, r := range s {
		if script.IsTraditional(r) {
			return gazetteer.ScriptHant
		}
		if r > 0x7F {
			latin = false
		}
	}
	if latin {
		return gazetteer.ScriptLatin
	}
	return gazetteer.ScriptHans
}

// code is the statistical code an administrative boundary carries, in the
// length the gazetteer stores: a 12-digit NBS code of a county or township
// ends in zeros, which are dropped (320508018000 → 320508018).
func (m *Mapping) code(tags osm.Tags) string {
	for _, n := range m.Names {
		if n.Kind != kindCode {
			continue
		}
		c := strings.TrimSpace(tags.Find(n.Tag))
		if c == "" || strings.Trim(c, "0123456789") != "" {
			continue
		}
		if len(c) == 12 && strings.HasSuffix(c, "000") {
			c = c[:9]
		}
		if len(c) == 9 && strings.HasSuffix(c, "000") {
			c = c[:6]
		}
		return c
	}
	return ""
}

// wikidata is the object's Wikidata Q-id.
func (m *Mapping) wikidata(tags osm.Tags) string {
	for _, n := range m.Names {
		if n.Kind == kindWikidata {
			if v := tags.Find(n.Tag); strings.HasPrefix(v, "Q") {
				return v
			}
		}
	}
	return ""
}
