// Package osmimport maps OpenStreetMap objects to gazetteer places and
// conflates them with the places the store already holds.
//
// The tag table (data/osm_tags.tsv) decides what an object becomes
// (rules.go); the name table (data/osm_names.tsv) turns name, name:zh,
// name:en, alt_name, old_name … into names with their kind and script
// (names.go). Ways of one street or river are merged (features.go, with
// geo/osm's MergeLines). Each feature then finds its place (conflate.go):
// by OSM link, by statistical code, or by folded name, 大类 and a distance
// that depends on the category; a match is enriched, never stripped of
// curated fields; the rest are new places. Every record touched carries
// the OSM source and the ODbL licence. Reading the file is geo/osm's.
package osmimport

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"

	"wumen/gazetteer"
	"wumen/gazetteer/script"
	geosm "wumen/geo/osm"
)

// Importer imports OSM extracts into a store.
type Importer struct {
	Mapping *Mapping
	// Overwrite names the curated fields an import may replace (FieldGeometry,
	// FieldLinks, FieldCategory); by default it replaces none.
	Overwrite map[string]bool
	// AccuracyM is the accuracy given to OSM geometry (data/README.md: 30 m).
	AccuracyM float64
	// TempDir holds the reader's node and way index files.
	TempDir string
	// Progress, when set, is called during the read.
	Progress func(geosm.Stats)
	// Procs is the number of PBF decoding goroutines (0: all CPUs).
	Procs int
}

// Decision is what the import does with one feature.
type Decision struct {
	Action    string   `json:"action"` // new, matched, conflict
	OSM       []string `json:"osm"`
	Name      string   `json:"name"`
	Category  string   `json:"category"`
	Place     int64    `json:"place,omitempty"`
	By        string   `json:"by,omitempty"`         // how it matched: osm, code, name
	DistanceM *float64 `json:"distance_m,omitempty"` // from the matched place's position
	Changed   []string `json:"changed,omitempty"`    // fields the match enriched
	Why       string   `json:"why,omitempty"`        // a conflict: why nothing (or not everything) is written
	Note      string   `json:"note,omitempty"`
}

// Decision actions.
const (
	ActionNew      = "new"
	ActionMatched  = "matched"
	ActionConflict = "conflict"
)

// Report is the outcome of an import, as --dry-run prints it and --report
// writes it.
type Report struct {
	File      string     `json:"file"`
	DryRun    bool       `json:"dry_run"`
	Nodes     int64      `json:"nodes"`
	Ways      int64      `json:"ways"`
	Relations int64      `json:"relations"`
	New       []Decision `json:"new"`
	Matched   []Decision `json:"matched"`
	Conflicts []Decision `json:"conflicts"`
	Skipped   []Skipped  `json:"skipped"` // the named ones
	// SkippedBy counts every skipped object (named or not) by the tag that
	// excluded it.
	SkippedBy map[string]int      `json:"skipped_by_tag"`
	Broken    []Broken            `json:"broken"`
	Created   int                 `json:"created"`
	Updated   int                 `json:"updated"`
	Unchanged int                 `json:"unchanged"`
	Revisions int                 `json:"-"`
	Outcomes  []gazetteer.Outcome `json:"-"`
}

// Import reads the OSM file name, conflates its features with the places in
// s and writes the new and enriched places in one transaction (nothing with
// dryRun), each change a revision.
func (imp *Importer) Import(ctx context.Context, s *gazetteer.Store, name string, c gazetteer.Change, dryRun bool) (*Report, error) {
	rd := &geosm.Reader{TempDir: imp.TempDir, Progress: imp.Progress, Procs: imp.Procs}
	col, err := imp.Mapping.collect(ctx, rd, name)
	if err != nil {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "%v", err)
	}
	var places []*gazetteer.Place
	if err := s.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
		places = append(places, p)
		return nil
	}); err != nil {
		return nil, err
	}
	rep := &Report{File: filepath.Base(name), DryRun: dryRun, Nodes: col.stats.Nodes, Ways: col.stats.Ways, Relations: col.stats.Relations,
		Skipped: col.skipped, SkippedBy: col.skippedBy, Broken: col.broken}
	in, newAt := imp.plan(newGazette(places), col.features, rep)
	if len(in) == 0 {
		return rep, nil
	}
	if err := locate(ctx, s.Locator(), in, newAt); err != nil {
		return nil, err
	}
	out, err := s.PutAll(ctx, in, c, gazetteer.PutOptions{DryRun: dryRun})
	if err != nil {
		return nil, err
	}
	rep.Created, rep.Updated, rep.Unchanged, rep.Outcomes = out.Created, out.Updated, out.Unchanged, out.Outcomes
	for k, i := range newAt { // new places get their ids from the write
		rep.New[k].Place = out.Outcomes[i].ID
	}
	return rep, nil
}

// plan decides every feature and returns the records to write: enriched
// matches (with their ids) and new places (without), and for each of
// rep.New the index of its record.
func (imp *Importer) plan(g *gazette, features []*Feature, rep *Report) (in []gazetteer.Input, newAt []int) {
	type nameKey struct{ name, class string }
	count := map[nameKey]int{}
	for _, f := range features {
		count[nameKey{script.Fold(f.Name), f.Rule.Category.Class}]++
	}
	claimed := map[int64]string{}
	for _, f := range features {
		d := Decision{OSM: f.Refs, Name: f.Name, Category: categoryName(f.Rule.Category)}
		m := g.find(f, count[nameKey{script.Fold(f.Name), f.Rule.Category.Class}])
		switch {
		case m.why != "":
			d.Action, d.Why = ActionConflict, m.why
			rep.Conflicts = append(rep.Conflicts, d)
		case m.place != nil && claimed[m.place.ID] != "":
			d.Action, d.Place = ActionConflict, m.place.ID
			d.Why = fmt.Sprintf("place %d %s is already matched by %s in this extract", m.place.ID, m.place.Name, claimed[m.place.ID])
			rep.Conflicts = append(rep.Conflicts, d)
		case m.place != nil:
			claimed[m.place.ID] = f.Refs[0]
			p, changed, kept := imp.enrich(m.place, f)
			d.Action, d.Place, d.By, d.DistanceM, d.Changed = ActionMatched, m.place.ID, m.by, m.dist, changed
			rep.Matched = append(rep.Matched, d)
			if kept != "" {
				k := d
				k.Action, k.Why = ActionConflict, kept
				rep.Conflicts = append(rep.Conflicts, k)
			}
			in = append(in, gazetteer.Input{Place: p, Where: f.Refs[0]})
		default:
			d.Action, d.Note = ActionNew, m.note
			rep.New = append(rep.New, d)
			newAt = append(newAt, len(in))
			in = append(in, gazetteer.Input{Place: imp.newPlace(f), Where: f.Refs[0]})
		}
	}
	sort.SliceStable(rep.Conflicts, func(i, j int) bool { return rep.Conflicts[i].OSM[0] < rep.Conflicts[j].OSM[0] })
	return in, newAt
}

func categoryName(c gazetteer.Category) string {
	if c.Subclass == "" {
		return c.Class
	}
	return c.Class + "/" + c.Subclass
}

// locate gives each new place the administrative units its geometry lies
// in (所在行政区), as the store's Locator decides them: by an admin polygon
// the store holds, else estimated from the places around it; nothing
// outside the gazetteer's coverage. Only new places: a matched place keeps
// its own, so a second import changes nothing.
func locate(ctx context.Context, l gazetteer.Locator, in []gazetteer.Input, newAt []int) error {
	for _, i := range newAt {
		p := in[i].Place
		if p.Geometry == nil || len(p.Admin) > 0 || p.Category.Class == "行政区域" {
			continue
		}
		loc, err := l.Locate(ctx, p.Geometry)
		if err != nil {
			return err
		}
		if !loc.Outside() {
			p.Admin = loc.Codes()
		}
	}
	return nil
}
