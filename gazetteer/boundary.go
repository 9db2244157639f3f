package gazetteer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// BoundaryOptions say what imported boundaries are and where they come from:
// an office's 勘界 file, or OpenStreetMap boundary relations.
type BoundaryOptions struct {
	// Source cites the boundaries (ID and Title required); it is added to
	// every unit that gets one, and Coord.Source names it.
	Source Source
	// Method is the coordinate method recorded: surveyed (勘界 lines),
	// osm, digitized. Empty means digitized.
	Method string
	// AccuracyM is the honest accuracy of the lines in metres (0: unknown).
	AccuracyM float64
	// License, when set, becomes the record's licence (the boundary is now
	// its geometry); empty keeps the record's.
	License string
	// DryRun computes the report and writes nothing.
	DryRun bool
}

// AttachBoundaries gives existing administrative units the boundary polygons
// of in, matched by statistical code (the record's code, else links.nbs):
// each unit keeps its record — names, links, history, id — and gets the
// polygon as its geometry, in one transaction with a revision each. It never
// creates a place. A record without a code, with a code no unit of the store
// has, or with a geometry that is not a polygon is an error naming it, and
// nothing is written. From then on the Locator answers by containment inside
// these units.
func (s *Store) AttachBoundaries(ctx context.Context, in []Input, c Change, opt BoundaryOptions) (*Report, error) {
	if opt.Source.ID == "" || opt.Source.Title == "" {
		return nil, Errorf(EInvalid, "boundaries need a source with an id and a title (who drew them, and when)")
	}
	method := opt.Method
	if method == "" {
		method = "digitized"
	}
	var out []Input
	seen := map[string]string{}
	for _, r := range in {
		p := r.Place
		code := p.Code
		if code == "" {
			code = p.Links.NBS
		}
		if code == "" {
			return nil, At(invalid("code", "a boundary needs the statistical code (code or links.nbs) of the unit it belongs to"), r.Where)
		}
		if prev, dup := seen[code]; dup {
			return nil, At(invalid("code", "%s already has a boundary at %s of this import", code, prev), r.Where)
		}
		seen[code] = r.Where
		switch p.Geometry.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return nil, At(invalid("geometry", "a boundary must be a Polygon or MultiPolygon, not %s", geometryName(p.Geometry)), r.Where)
		}
		unit, err := s.GetByCode(ctx, code)
		if ErrorCode(err) == ENotFound {
			return nil, At(invalid("code", "no administrative unit with code %s in the store: a boundary gives an existing unit its shape, it does not create one", code), r.Where)
		} else if err != nil {
			return nil, err
		}
		unit.Geometry, unit.Label = p.Geometry, nil
		unit.Coord = &Coord{Method: method, AccuracyM: opt.AccuracyM, Source: opt.Source.ID, Note: "boundary: " + opt.Source.Title}
		if !slices.ContainsFunc(unit.Sources, func(x Source) bool { return x.ID == opt.Source.ID }) {
			unit.Sources = append(unit.Sources, opt.Source)
		}
		if opt.License != "" {
			unit.License = opt.License
		}
		out = append(out, Input{Place: unit, Where: r.Where})
	}
	return s.PutAll(ctx, out, c, PutOptions{DryRun: opt.DryRun})
}

// unanimous reports whether every evidence place of an estimate is in the
// county: only then is a disagreement with a record's stated admin worth an
// officer's look.
func unanimous(ev []LocateEvidence, county string) bool {
	for _, e := range ev {
		if !slices.ContainsFunc(e.Admin, func(a string) bool { return len(a) >= 6 && a[:6] == county }) {
			return false
		}
	}
	return len(ev) > 0
}

// geometryName is a geometry type as GeoJSON names it, for messages.
func geometryName(g orb.Geometry) string {
	if g == nil {
		return "no geometry"
	}
	return g.GeoJSONType()
}

// AdminFinding is an imported record whose admin parents were filled from,
// or disagree with, where its geometry lies.
type AdminFinding struct {
	Where  string   `json:"where"`
	ID     int64    `json:"id,omitempty"`
	Name   string   `json:"name"`
	Stated []string `json:"stated,omitempty"`
	// Location is where the geometry lies, and how that was decided.
	Location Location `json:"location"`
	// Filled: the record gave no admin parents and got Location's.
	Filled bool `json:"filled,omitempty"`
	// Outside: the geometry lies outside the gazetteer's coverage.
	Outside bool `json:"outside,omitempty"`
}

// String describes the finding for the import report.
func (f AdminFinding) String() string {
	var at []string
	for _, a := range f.Location.Admin {
		at = append(at, a.Name+" "+a.Code)
	}
	if f.Filled {
		return fmt.Sprintf("%s: %s: admin filled from its geometry: %s (%s)", f.Where, f.Name, strings.Join(at, " › "), f.Location.Method)
	}
	if f.Outside {
		return fmt.Sprintf("%s: %s: the geometry lies outside the gazetteer's coverage (%s)", f.Where, f.Name, f.Location.Note)
	}
	return fmt.Sprintf("%s: %s: stated admin %s, but its geometry lies in %s (%s: %s)", f.Where, f.Name,
		strings.Join(f.Stated, ","), strings.Join(at, " › "), f.Location.Method, f.Location.Note)
}

// CheckAdmin locates the geometry of each record to be imported (not admin
// units themselves, whose parents their codes give). A record with no admin
// parents gets them when a boundary contains its geometry (an estimate is
// not written into a record as fact); a record whose stated county-level
// unit is not the one its geometry lies in is reported, with how that was
// decided (an estimate only when all its evidence agrees). in is changed in
// place; the findings list both kinds.
func (l *PlaceLocator) CheckAdmin(ctx context.Context, in []Input) ([]AdminFinding, error) {
	var out []AdminFinding
	for _, r := range in {
		p := r.Place
		if p.Geometry == nil || p.Code != "" {
			continue
		}
		loc, err := l.Locate(ctx, p.Geometry)
		if err != nil {
			return nil, At(err, r.Where)
		}
		f := AdminFinding{Where: r.Where, ID: p.ID, Name: p.Name, Stated: p.Admin, Location: loc, Outside: loc.Outside()}
		if f.Outside {
			out = append(out, f)
			continue
		}
		if len(p.Admin) == 0 {
			if loc.Method == LocateContains {
				p.Admin = loc.Codes()
				f.Filled = true
				out = append(out, f)
			}
			continue
		}
		county := loc.Code("county")
		if county == "" || loc.Outside() || loc.Method == LocateEstimated && !unanimous(loc.Evidence, county) {
			continue
		}
		if !slices.ContainsFunc(p.Admin, func(a string) bool { return len(a) >= 6 && a[:6] == county }) {
			out = append(out, f)
		}
	}
	return out, nil
}

// CheckedRecords passes recs on as they stream by, each checked by
// CheckAdmin: admin parents filled from the boundary that contains its
// geometry when it gives none, and a stated admin that disagrees with where
// its geometry lies told to report (when not nil) with the filled ones. A
// record whose geometry lies outside the gazetteer's coverage (no
// positioned place within 10 km, no boundary or water that holds it) is an
// EInvalid error naming it, unless allowOutside — a mistyped coordinate,
// swapped longitude and latitude or the wrong CRS is the usual cause. A
// store with no positioned place yet has no coverage to check against. A
// geometry the locator cannot read is left for validation to report.
func (s *Store) CheckedRecords(ctx context.Context, recs Records, allowOutside bool, report func(AdminFinding)) Records {
	loc := s.Locator()
	covered := false
	if all, err := s.Count(ctx, Filter{}); err == nil {
		unplaced, _ := s.Count(ctx, Filter{MissingGeometry: true})
		covered = all > unplaced
	}
	return func(yield func(Input, error) bool) {
		for r, err := range recs {
			if err == nil {
				err = checkRecord(ctx, loc, r, allowOutside || !covered, report)
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// checkRecord is CheckedRecords for one record.
func checkRecord(ctx context.Context, loc *PlaceLocator, r Input, allowOutside bool, report func(AdminFinding)) error {
	fs, err := loc.CheckAdmin(ctx, []Input{r})
	if err != nil && ErrorCode(err) == EInvalid {
		err = nil
	}
	for _, f := range fs {
		switch {
		case f.Outside && allowOutside:
		case f.Outside:
			err = &Error{Code: EInvalid, Where: f.Where + ": geometry", Message: "the position lies outside " +
				"the gazetteer's coverage (" + f.Location.Note + "); check the coordinates (longitude first, then latitude) and their " +
				"CRS (--crs gcj02 for Amap or Tencent coordinates), or import with --allow-outside"}
		case report != nil:
			report(f)
		}
	}
	return err
}
