package osmimport

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/script"
)

// Fields --overwrite may name: what an import otherwise never replaces on
// a place that has it.
const (
	FieldGeometry = "geometry" // a position an officer set (coord surveyed or digitized)
	FieldLinks    = "links"    // an existing OSM or Wikidata link
	FieldCategory = "category" // the place's category
)

// Overwritable lists the fields --overwrite accepts.
var Overwritable = []string{FieldGeometry, FieldLinks, FieldCategory}

// OSMSource is the source every OSM-derived record cites (ODbL 1.0, with
// the attribution the licence requires).
var OSMSource = gazetteer.Source{ID: "osm", Title: "OpenStreetMap (© OpenStreetMap contributors)",
	URL: "https://www.openstreetmap.org/copyright", License: License}

// License is the licence of OSM data and of every record derived from it.
const License = "ODbL-1.0"

// officerMethods are coordinate methods that mean a person set the
// position (surveyed in the field, digitized from a map): never replaced
// by OSM unless --overwrite geometry.
var officerMethods = map[string]bool{"surveyed": true, "digitized": true}

// gazette is the existing places an import conflates onto, indexed by OSM
// link, statistical code and folded name.
type gazette struct {
	byOSM  map[string]*gazetteer.Place
	byCode map[string]*gazetteer.Place
	byName map[string][]*gazetteer.Place
}

func newGazette(places []*gazetteer.Place) *gazette {
	g := &gazette{byOSM: map[string]*gazetteer.Place{}, byCode: map[string]*gazetteer.Place{}, byName: map[string][]*gazetteer.Place{}}
	for _, p := range places {
		if p.Links.OSM != "" {
			g.byOSM[p.Links.OSM] = p
		}
		for _, r := range extraRefs(p) {
			if _, ok := g.byOSM[r]; !ok {
				g.byOSM[r] = p
			}
		}
		if p.Code != "" {
			g.byCode[p.Code] = p
		}
		seen := map[string]bool{}
		for _, n := range gazetteer.AllNames(p) {
			k := script.Fold(n.Text)
			if k != "" && !seen[k] {
				seen[k] = true
				g.byName[k] = append(g.byName[k], p)
			}
		}
	}
	return g
}

// extraKey holds, in Place.Extra, the OSM objects merged into a place
// beyond the one its link names.
const extraKey = "osm_refs"

func extraRefs(p *gazetteer.Place) []string {
	v, _ := p.Extra[extraKey].([]any)
	var out []string
	for _, x := range v {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// match is how a feature found its place.
type match struct {
	place *gazetteer.Place
	by    string   // osm, code, name
	dist  *float64 // metres; nil when the place has no position
	why   string   // a conflict: why nothing is written
	note  string   // for a new place: the near miss
}

// find finds the place a feature is (docs/domain.md: conflation, not
// duplication): the place linked to one of its OSM objects; else the
// administrative unit with its statistical code; else a place of the same
// name after folding (script.Fold, as search matches names) and the same
// 大类 within the rule's distance. A place without a position matches by
// name only when the extract has one feature of that name and class.
func (g *gazette) find(f *Feature, sameName int) match {
	for _, r := range f.Refs {
		if p := g.byOSM[r]; p != nil {
			return match{place: p, by: "osm", dist: distance(p, f.Geometry)}
		}
	}
	if f.Code != "" {
		if p := g.byCode[f.Code]; p != nil && p.Category.Class == f.Rule.Category.Class {
			return match{place: p, by: "code", dist: distance(p, f.Geometry)}
		}
	}
	var best match
	var unplaced []*gazetteer.Place
	nearest := math.Inf(1)
	var nearP *gazetteer.Place
	for _, p := range g.byName[script.Fold(f.Name)] {
		if p.Category.Class != f.Rule.Category.Class {
			continue
		}
		d := distance(p, f.Geometry)
		switch {
		case d == nil:
			unplaced = append(unplaced, p)
		case f.Rule.MatchM == 0 || *d <= f.Rule.MatchM:
			if best.place == nil || *d < *best.dist {
				best = match{place: p, by: "name", dist: d}
			}
		case *d < nearest:
			nearest, nearP = *d, p
		}
	}
	if best.place != nil {
		return best
	}
	switch {
	case len(unplaced) > 1:
		return match{why: fmt.Sprintf("%d places named %s have no position to choose by (%s)", len(unplaced), f.Name, placeList(unplaced))}
	case len(unplaced) == 1 && sameName > 1:
		return match{why: fmt.Sprintf("place %d %s has no position, and the extract has %d features of that name to choose from", unplaced[0].ID, unplaced[0].Name, sameName)}
	case len(unplaced) == 1:
		return match{place: unplaced[0], by: "name"}
	case nearP != nil:
		return match{note: fmt.Sprintf("place %d of the same name is %.0f m away (matches within %.0f m)", nearP.ID, nearest, f.Rule.MatchM)}
	}
	return match{}
}

func placeList(ps []*gazetteer.Place) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p.ID)
	}
	return strings.Join(s, ", ")
}

// distance is how far, in metres, a place's position lies from a feature's
// geometry (0 inside an area); nil when the place has no position.
func distance(p *gazetteer.Place, g orb.Geometry) *float64 {
	if p.Geometry == nil || g == nil {
		return nil
	}
	at := gazetteer.LabelPoint(p.Geometry)
	if p.Label != nil {
		at = *p.Label
	}
	d := math.Round(gazetteer.DistanceM(at, g))
	return &d
}

// enrich adds what a feature knows to the place it matched — a geometry
// where the place had none or a lesser one, links it lacks, names it lacks,
// the OSM source — and never replaces a curated field (meaning, history,
// names, an officer's position, category, links) unless overwrite names
// it. It returns the enriched copy, the fields it changed, and why a field
// was kept (a conflict for the report).
func (imp *Importer) enrich(old *gazetteer.Place, f *Feature) (*gazetteer.Place, []string, string) {
	p := clone(old)
	var changed []string
	var kept string
	switch {
	case f.Geometry == nil || (p.Geometry != nil && orb.Equal(p.Geometry, f.Geometry)):
	case p.Geometry != nil && p.Coord != nil && officerMethods[p.Coord.Method] && !imp.Overwrite[FieldGeometry]:
		kept = fmt.Sprintf("the position was set by an officer (coord %s); OSM's is kept out (--overwrite geometry replaces it)", p.Coord.Method)
	case p.Geometry == nil || p.Coord == nil || !officerMethods[p.Coord.Method] || imp.Overwrite[FieldGeometry]:
		imp.setGeometry(p, f)
		changed = append(changed, "geometry")
	}
	if p.Links.OSM == "" || (imp.Overwrite[FieldLinks] && p.Links.OSM != f.Refs[0]) {
		p.Links.OSM = f.Refs[0]
		changed = append(changed, "links.osm")
	}
	if f.Wikidata != "" && (p.Links.Wikidata == "" || (imp.Overwrite[FieldLinks] && p.Links.Wikidata != f.Wikidata)) {
		p.Links.Wikidata = f.Wikidata
		changed = append(changed, "links.wikidata")
	}
	if imp.Overwrite[FieldCategory] && p.Category != f.Rule.Category {
		p.Category = f.Rule.Category
		changed = append(changed, "category")
	}
	have := map[string]bool{}
	for _, n := range gazetteer.AllNames(p) {
		have[n.Text] = true
	}
	add := f.Names
	if !have[f.Name] {
		add = append([]gazetteer.Name{{Text: f.Name, Script: scriptOf(f.Name), Kind: gazetteer.KindAlias, Citation: citation}}, add...)
	}
	for _, n := range add {
		if !have[n.Text] {
			have[n.Text] = true
			p.Names = append(p.Names, n)
			changed = appendOnce(changed, "names")
		}
	}
	if len(changed) > 0 {
		if !hasSource(p, OSMSource.ID) {
			p.Sources = append(p.Sources, OSMSource)
		}
		// ODbL 4.4: a database derived from OSM data is ODbL.
		if p.License != License {
			p.License = License
			changed = append(changed, "license")
		}
	}
	return p, changed, kept
}

// newPlace makes a place of a feature no existing place matched.
func (imp *Importer) newPlace(f *Feature) *gazetteer.Place {
	p := &gazetteer.Place{Name: f.Name, Category: f.Rule.Category, Status: gazetteer.StatusCurrent, Names: f.Names,
		Links: gazetteer.Links{OSM: f.Refs[0], Wikidata: f.Wikidata}, Sources: []gazetteer.Source{OSMSource}, License: License}
	// Natural villages and towns are romanized joined (docs/domain.md §4, the
	// 1984 rules): 陆巷 Lùxiàng.
	p.Joined = p.Category.Class == "居民点"
	if p.Category.Class == "行政区域" {
		p.Code = f.Code
	}
	imp.setGeometry(p, f)
	return p
}

// setGeometry gives a place the feature's geometry, with its provenance.
func (imp *Importer) setGeometry(p *gazetteer.Place, f *Feature) {
	p.Geometry, p.Label = f.Geometry, nil
	refs := f.Refs
	note := "OpenStreetMap " + strings.Join(refs, ", ")
	if len(refs) > 4 {
		note = fmt.Sprintf("OpenStreetMap %s … (%d objects, listed in extra.%s)", strings.Join(refs[:4], ", "), len(refs), extraKey)
	}
	p.Coord = &gazetteer.Coord{Method: "osm", AccuracyM: imp.AccuracyM, Source: OSMSource.ID, Note: note}
	if len(refs) > 1 {
		if p.Extra == nil {
			p.Extra = map[string]any{}
		}
		v := make([]any, len(refs))
		for i, r := range refs {
			v[i] = r
		}
		p.Extra[extraKey] = v
	} else {
		delete(p.Extra, extraKey)
		if len(p.Extra) == 0 {
			p.Extra = nil
		}
	}
}

func hasSource(p *gazetteer.Place, id string) bool {
	for _, s := range p.Sources {
		if s.ID == id {
			return true
		}
	}
	return false
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// clone deep-copies a place through its JSON form.
func clone(p *gazetteer.Place) *gazetteer.Place {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // a stored place always marshals
	}
	c := new(gazetteer.Place)
	if err := json.Unmarshal(b, c); err != nil {
		panic(err)
	}
	return c
}
