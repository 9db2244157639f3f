package main

import (
	"context"
	"flag"
	"fmt"

	"wumen/gazetteer"
)

// boundaryOptions are the import flags of boundary files (勘界 or OSM).
type boundaryOptions struct {
	title, id, url, method, license string
	accuracy                        float64
}

func boundaryFlags(fs *flag.FlagSet) *boundaryOptions {
	o := &boundaryOptions{}
	fs.StringVar(&o.title, "boundaries", "", "the files are boundary polygons of existing admin units (matched by code or links.nbs); the value cites them, e.g. \"姑苏区民政局 2024年勘界成果\"")
	fs.StringVar(&o.id, "boundary-source", "boundaries", "source id recorded for --boundaries")
	fs.StringVar(&o.url, "boundary-url", "", "source URL for --boundaries")
	fs.StringVar(&o.method, "boundary-method", "surveyed", "coordinate method of --boundaries: surveyed (勘界), osm or digitized")
	fs.StringVar(&o.license, "boundary-license", "", "licence of --boundaries (e.g. ODbL-1.0 for OSM); empty keeps each record's")
	fs.Float64Var(&o.accuracy, "boundary-accuracy", 0, "accuracy of --boundaries in metres")
	return o
}

// importBoundaries gives existing admin units the polygons read from the
// files; from then on reverse lookup, review and imports decide by
// containment inside them.
func (e *env) importBoundaries(ctx context.Context, s *gazetteer.Store, recs gazetteer.Records, o *boundaryOptions, c gazetteer.Change, dry bool) error {
	var in []gazetteer.Input
	for r, err := range recs {
		if err != nil {
			return err
		}
		in = append(in, r)
	}
	rep, err := s.AttachBoundaries(ctx, in, c, gazetteer.BoundaryOptions{
		Source: gazetteer.Source{ID: o.id, Title: o.title, URL: o.url, License: o.license},
		Method: o.method, AccuracyM: o.accuracy, License: o.license, DryRun: dry})
	if err != nil {
		return err
	}
	for _, r := range rep.Outcomes {
		fmt.Fprintf(e.stdout, "%s\tboundary %s\t%d\t%s\n", r.Where, r.Action, r.ID, r.Name)
	}
	if dry {
		fmt.Fprintf(e.stdout, "dry run: %d boundaries would be attached; nothing written\n", rep.Updated)
		return nil
	}
	fmt.Fprintf(e.stdout, "boundaries: %d units updated, %d unchanged\n", rep.Updated, rep.Unchanged)
	return nil
}

// withAdminCheck passes the records on as they stream by, each with its
// admin parents filled from the boundary that contains its geometry when it
// gives none, and prints the records whose stated admin disagrees with where
// their geometry lies (gazetteer.PlaceLocator.CheckAdmin). A record whose
// geometry lies outside the gazetteer's coverage (no positioned place within
// 10 km, no boundary or water that holds it) is refused, naming it, unless
// allowOutside — a mistyped coordinate, swapped longitude and latitude or the
// wrong CRS is the usual cause. A store with no positioned place yet has no
// coverage to check against. A geometry the locator cannot read is left for
// validation to report.
func (e *env) withAdminCheck(ctx context.Context, s *gazetteer.Store, recs gazetteer.Records, allowOutside bool) gazetteer.Records {
	loc := s.Locator()
	covered := false
	if all, err := s.Count(ctx, gazetteer.Filter{}); err == nil {
		unplaced, _ := s.Count(ctx, gazetteer.Filter{MissingGeometry: true})
		covered = all > unplaced
	}
	return func(yield func(gazetteer.Input, error) bool) {
		for r, err := range recs {
			if err == nil {
				fs, cerr := loc.CheckAdmin(ctx, []gazetteer.Input{r})
				if cerr != nil && gazetteer.ErrorCode(cerr) != gazetteer.EInvalid {
					err = cerr
				}
				for _, f := range fs {
					if f.Outside && (allowOutside || !covered) {
						continue
					}
					if f.Outside {
						err = &gazetteer.Error{Code: gazetteer.EInvalid, Where: f.Where + ": geometry", Message: "the position lies outside " +
							"the gazetteer's coverage (" + f.Location.Note + "); check the coordinates (longitude first, then latitude) and their " +
							"CRS (--crs gcj02 for Amap or Tencent coordinates), or import with --allow-outside"}
						continue
					}
					fmt.Fprintln(e.stdout, f)
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}
