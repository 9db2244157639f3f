package osmimport

import (
	"fmt"
	"strconv"

	"github.com/paulmach/osm"

	"wumen/gazetteer"
	geosm "wumen/geo/osm"
)

// Rule is one line of the tag table (data/osm_tags.tsv): the conditions an
// OSM object's tags must meet and what the object then becomes.
type Rule struct {
	Line     int    // line in the table, for the report
	When     string // the conditions as written
	conds    geosm.Conditions
	Skip     bool   // class "-": the object is skipped, Reason says why
	Reason   string // for a skip
	Category gazetteer.Category
	MergeM   float64 // 0: no merging
	MatchM   float64 // 0: match by name or code at any distance
}

// NameTag is one line of the name table (data/osm_names.tsv).
type NameTag struct {
	Tag, Kind, Script string
}

// Name-table kinds beside the gazetteer's name kinds.
const (
	kindCode     = "code"
	kindWikidata = "wikidata"
	scriptAuto   = "auto"
)

// Mapping is the tag and name tables an import applies.
type Mapping struct {
	Rules []*Rule
	Names []NameTag
}

// ParseMapping reads the tag table and the name table (their file names
// are for error messages), checking every category against cats.
func ParseMapping(tags []byte, tagsName string, names []byte, namesName string, cats *gazetteer.Categories) (*Mapping, error) {
	m := &Mapping{}
	err := geosm.EachRow(tags, tagsName, 5, func(line int, f []string) error {
		r, err := parseRule(line, f, cats)
		if err != nil {
			return err
		}
		m.Rules = append(m.Rules, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	valid := map[string]bool{gazetteer.KindStandard: true, gazetteer.KindAlias: true, gazetteer.KindHistorical: true,
		gazetteer.KindColloquial: true, gazetteer.KindAbbreviation: true, kindCode: true, kindWikidata: true}
	scripts := map[string]bool{gazetteer.ScriptHans: true, gazetteer.ScriptHant: true, gazetteer.ScriptPinyin: true,
		gazetteer.ScriptLatin: true, scriptAuto: true, "-": true}
	err = geosm.EachRow(names, namesName, 3, func(line int, f []string) error {
		if !valid[f[1]] {
			return fmt.Errorf("%s:%d: kind: unknown name kind %q", namesName, line, f[1])
		}
		if !scripts[f[2]] {
			return fmt.Errorf("%s:%d: script: unknown script %q", namesName, line, f[2])
		}
		m.Names = append(m.Names, NameTag{Tag: f[0], Kind: f[1], Script: f[2]})
		return nil
	})
	return m, err
}

func parseRule(line int, f []string, cats *gazetteer.Categories) (*Rule, error) {
	r := &Rule{Line: line, When: f[0]}
	where := fmt.Sprintf("osm_tags.tsv:%d", line)
	var err error
	if r.conds, err = geosm.ParseConditions(f[0]); err != nil {
		return nil, fmt.Errorf("%s: when: %v", where, err)
	}
	if f[1] == "-" {
		r.Skip, r.Reason = true, f[2]
		if r.Reason == "" {
			return nil, fmt.Errorf("%s: subclass: a skip rule needs its reason", where)
		}
	} else {
		r.Category = gazetteer.Category{Class: f[1], Subclass: f[2]}
		if cats != nil && !cats.Known(f[1], f[2]) {
			return nil, fmt.Errorf("%s: class: unknown category %s/%s (categories.json)", where, f[1], f[2])
		}
	}
	if f[3] != "-" {
		if r.MergeM, err = strconv.ParseFloat(f[3], 64); err != nil || r.MergeM <= 0 {
			return nil, fmt.Errorf("%s: merge_m: %q is not a distance in metres or -", where, f[3])
		}
	}
	if r.MatchM, err = strconv.ParseFloat(f[4], 64); err != nil || r.MatchM < 0 {
		return nil, fmt.Errorf("%s: match_m: %q is not a distance in metres", where, f[4])
	}
	return r, nil
}

// Match returns the first rule whose conditions the tags meet, with the
// object's standard name ("" when it has none), or nil.
func (m *Mapping) Match(tags osm.Tags) (*Rule, string) {
	name := m.standardName(tags)
	for _, r := range m.Rules {
		if r.holds(tags, name) {
			return r, name
		}
	}
	return nil, name
}

func (r *Rule) holds(tags osm.Tags, name string) bool { return r.conds.Holds(tags, name) }

// Tag is the rule's first condition as a tag (highway=*, building=*): the
// tag a skip names in the report.
func (r *Rule) Tag(tags osm.Tags) string {
	if t := r.conds.Tag(tags); t != "" {
		return t
	}
	return r.When
}
