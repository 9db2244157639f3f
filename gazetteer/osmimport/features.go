package osmimport

import (
	"context"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"

	"wumen/gazetteer"
	geosm "wumen/geo/osm"
)

// Feature is one would-be place built from OSM objects: one object, or the
// ways of one street or river merged.
type Feature struct {
	Refs     []string // OSM references, the first the one a link names
	Rule     *Rule
	Name     string
	Names    []gazetteer.Name
	Code     string
	Wikidata string
	Geometry orb.Geometry
}

// Skipped is an object the tag table excluded, with the tag that did.
type Skipped struct {
	Ref    string `json:"osm"`
	Name   string `json:"name,omitempty"`
	Tag    string `json:"tag"`
	Reason string `json:"reason"`
}

// Broken is an object whose geometry could not be built (a relation whose
// ring does not close), with why.
type Broken struct {
	Ref   string `json:"osm"`
	Name  string `json:"name,omitempty"`
	Error string `json:"error"`
}

// collection is what a read gathers before conflation.
type collection struct {
	features []*Feature
	skipped  []Skipped
	// skippedBy counts every skipped object by its tag, named or not.
	skippedBy map[string]int
	broken    []Broken
	stats     geosm.Stats
}

// mergeKey groups the ways of one street or river: same rule, same name.
type mergeKey struct {
	rule *Rule
	name string
}

// collect reads an OSM file and maps its objects to features: matched by
// the tag table, ways of one name merged per rule, broken objects kept for
// the report; skipped objects are counted by the tag that excluded them,
// and listed when they have a name.
func (m *Mapping) collect(ctx context.Context, rd *geosm.Reader, name string) (*collection, error) {
	c := &collection{skippedBy: map[string]int{}}
	groups := map[mergeKey][]*geosm.Object{}
	var order []mergeKey
	r := *rd
	// Keep runs on the reader's filing goroutine, fn on this one: each
	// matches for itself (skippedBy is Keep's alone).
	r.Keep = func(typ string, tags osm.Tags) bool {
		rule, n := m.Match(tags)
		if rule == nil || rule.Skip {
			c.skippedBy[skipTag(rule, tags)]++
			return n != "" // listed in the report
		}
		return true
	}
	st, err := r.ReadFile(ctx, name, func(o *geosm.Object) error {
		rule, n := m.Match(o.Tags)
		switch {
		case rule == nil:
			c.skipped = append(c.skipped, Skipped{Ref: o.Ref(), Name: n, Tag: skipTag(rule, o.Tags), Reason: "no rule in osm_tags.tsv matches its tags"})
		case rule.Skip:
			c.skipped = append(c.skipped, Skipped{Ref: o.Ref(), Name: n, Tag: skipTag(rule, o.Tags), Reason: rule.Reason})
		case o.Err != nil:
			c.broken = append(c.broken, Broken{Ref: o.Ref(), Name: n, Error: o.Err.Error()})
		case rule.MergeM > 0:
			k := mergeKey{rule, n}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], &geosm.Object{Type: o.Type, ID: o.ID, Tags: o.Tags, Geometry: o.Geometry})
		default:
			c.features = append(c.features, m.feature(rule, n, []*geosm.Object{o}, area(o)))
		}
		return nil
	})
	c.stats = st
	if err != nil {
		return nil, err
	}
	for _, k := range order {
		c.features = append(c.features, m.merge(k, groups[k])...)
	}
	return c, nil
}

// skipTag is the tag a skip is counted under: the skip rule's tag
// (building=yes), or for an object no rule matches the key of its first
// tag that is not a name (shop) — keys, not values, so that house numbers
// do not make a count each.
func skipTag(rule *Rule, tags osm.Tags) string {
	if rule != nil {
		return rule.Tag(tags)
	}
	for _, t := range tags {
		if t.Key != "name" && !strings.HasPrefix(t.Key, "name:") {
			return t.Key + "=*"
		}
	}
	return "name=*"
}

// merge joins the lines of one group into pieces (MergeLines) and makes a
// feature of each piece with the objects whose lines it holds.
func (m *Mapping) merge(k mergeKey, objs []*geosm.Object) []*Feature {
	var lines []orb.LineString
	var owner []*geosm.Object
	for _, o := range objs {
		switch g := o.Geometry.(type) {
		case orb.LineString:
			lines, owner = append(lines, g), append(owner, o)
		case orb.MultiLineString:
			for _, l := range g {
				lines, owner = append(lines, l), append(owner, o)
			}
		}
	}
	var out []*Feature
	for _, piece := range geosm.MergeLines(lines, k.rule.MergeM) {
		var members []*geosm.Object
		seen := map[*geosm.Object]bool{}
		for i, l := range lines {
			if !seen[owner[i]] && lineIn(l, piece) {
				seen[owner[i]] = true
				members = append(members, owner[i])
			}
		}
		out = append(out, m.feature(k.rule, k.name, members, piece))
	}
	return out
}

// lineIn reports whether line l went into piece (its first vertex is one of
// the piece's).
func lineIn(l orb.LineString, piece orb.Geometry) bool {
	var ls []orb.LineString
	switch g := piece.(type) {
	case orb.LineString:
		ls = []orb.LineString{g}
	case orb.MultiLineString:
		ls = g
	}
	for _, x := range ls {
		for _, p := range x {
			if p == l[0] {
				return true
			}
		}
	}
	return false
}

// feature makes a feature of objects (sorted by type and id, so the link
// names the same object on every run) and their joint geometry. Names and
// codes come from every object, the standard name from the rule's match.
func (m *Mapping) feature(rule *Rule, name string, objs []*geosm.Object, g orb.Geometry) *Feature {
	rank := map[string]int{"relation": 0, "way": 1, "node": 2}
	sort.SliceStable(objs, func(i, j int) bool {
		if objs[i].Type != objs[j].Type {
			return rank[objs[i].Type] < rank[objs[j].Type]
		}
		return objs[i].ID < objs[j].ID
	})
	f := &Feature{Rule: rule, Name: name, Geometry: g}
	seen := map[string]bool{}
	for _, o := range objs {
		f.Refs = append(f.Refs, o.Ref())
		for _, n := range m.names(o.Tags, name) {
			if !seen[n.Text] {
				seen[n.Text] = true
				f.Names = append(f.Names, n)
			}
		}
		if f.Code == "" {
			f.Code = m.code(o.Tags)
		}
		if f.Wikidata == "" {
			f.Wikidata = m.wikidata(o.Tags)
		}
	}
	return f
}

// area is an object's geometry with a closed way as a polygon: a rule that
// does not merge ways maps areas (water, islands, parks, boundaries), where
// a closed way is the outline. Streets and rivers (merged rules) stay lines,
// a roundabout too.
func area(o *geosm.Object) orb.Geometry {
	ls, ok := o.Geometry.(orb.LineString)
	if !ok || !o.Closed {
		return o.Geometry
	}
	r := orb.Ring(ls)
	if r.Orientation() != orb.CCW {
		r.Reverse()
	}
	return orb.Polygon{r}
}
