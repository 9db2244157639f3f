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

// withAdminCheck is s.CheckedRecords, printing what it finds.
func (e *env) withAdminCheck(ctx context.Context, s *gazetteer.Store, recs gazetteer.Records, allowOutside bool) gazetteer.Records {
	return s.CheckedRecords(ctx, recs, allowOutside, func(f gazetteer.AdminFinding) { fmt.Fprintln(e.stdout, f) })
}
