package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/osmimport"
	geosm "wumen/geo/osm"
)

// osmFlags are the import flags only OpenStreetMap extracts use.
type osmFlags struct {
	overwrite, report *string
}

func bindOSMFlags(fs *flag.FlagSet) osmFlags {
	return osmFlags{
		overwrite: fs.String("overwrite", "", "OpenStreetMap: curated fields the import may replace on a matched place, comma-separated: "+strings.Join(osmimport.Overwritable, ", ")),
		report:    fs.String("report", "", "OpenStreetMap: write the import report (new, matched, conflicts, skipped, broken) as JSON to FILE"),
	}
}

// isOSM reports whether an import reads OpenStreetMap (osmimport.Extracts).
func isOSM(files []string, format string) (bool, error) {
	osm, err := osmimport.Extracts(files, format)
	if err != nil {
		return false, usagef("%s", gazetteer.ErrorMessage(err))
	}
	return osm, nil
}

// importOSM imports OpenStreetMap extracts: mapped by data/osm_tags.tsv and
// data/osm_names.tsv, conflated with the store's places, one transaction a
// file. With dry it prints the report and writes nothing.
func (e *env) importOSM(ctx context.Context, files []string, of osmFlags, dry bool, c gazetteer.Change) error {
	overwrite := map[string]bool{}
	for _, f := range splitList(*of.overwrite) {
		if !slices.Contains(osmimport.Overwritable, f) {
			return usagef("--overwrite %s: not a field an import may overwrite (%s)", f, strings.Join(osmimport.Overwritable, ", "))
		}
		overwrite[f] = true
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	tags, _ := data.FS.ReadFile("osm_tags.tsv")
	names, _ := data.FS.ReadFile("osm_names.tsv")
	m, err := osmimport.ParseMapping(tags, "data/osm_tags.tsv", names, "data/osm_names.tsv", s.Categories())
	if err != nil {
		return err
	}
	imp := &osmimport.Importer{Mapping: m, Overwrite: overwrite, AccuracyM: 30}
	var reports []*osmimport.Report
	for _, name := range files {
		var size int
		if fi, err := os.Stat(name); err == nil {
			size = int(fi.Size())
		} else {
			return gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
		}
		prog, done := e.progress(size, "reading "+name)
		if prog != nil {
			imp.Progress = func(st geosm.Stats) { prog(int(st.Bytes)) }
		}
		rep, err := imp.Import(ctx, s, name, c, dry)
		done()
		if err != nil {
			return err
		}
		reports = append(reports, rep)
		printOSMReport(e.stdout, rep)
	}
	if *of.report != "" {
		b, _ := json.MarshalIndent(reports, "", "  ")
		if err := os.WriteFile(*of.report, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// printOSMReport prints what an import did (or, dry, would do): one line a
// decision, a named skip or broken object, the skip counts by tag, then the
// totals.
func printOSMReport(w io.Writer, r *osmimport.Report) {
	for _, d := range r.New {
		fmt.Fprintf(w, "new\t%s\t%s\t%s\t%s\n", d.OSM[0], d.Name, d.Category, d.Note)
	}
	for _, d := range r.Matched {
		dist := "no position"
		if d.DistanceM != nil {
			dist = fmt.Sprintf("%.0f m", *d.DistanceM)
		}
		fmt.Fprintf(w, "matched\t%s\t%s\tplace %d by %s, %s\t%s\n", d.OSM[0], d.Name, d.Place, d.By, dist, strings.Join(d.Changed, ","))
	}
	for _, d := range r.Conflicts {
		fmt.Fprintf(w, "conflict\t%s\t%s\t%s\n", d.OSM[0], d.Name, d.Why)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped\t%s\t%s\t%s: %s\n", s.Ref, s.Name, s.Tag, s.Reason)
	}
	tags := make([]string, 0, len(r.SkippedBy))
	skips := 0
	for t, n := range r.SkippedBy {
		tags = append(tags, t)
		skips += n
	}
	sort.Strings(tags)
	for _, t := range tags {
		fmt.Fprintf(w, "skipped\t%d\t%s\n", r.SkippedBy[t], t)
	}
	for _, b := range r.Broken {
		fmt.Fprintf(w, "broken\t%s\t%s\t%s\n", b.Ref, b.Name, b.Error)
	}
	verb := "imported"
	if r.DryRun {
		verb = "dry run"
	}
	fmt.Fprintf(w, "%s %s: %d nodes, %d ways, %d relations read; %d new, %d matched, %d conflicts, %d skipped, %d broken; %d revisions",
		verb, r.File, r.Nodes, r.Ways, r.Relations, len(r.New), len(r.Matched), len(r.Conflicts), skips, len(r.Broken), r.Created+r.Updated)
	if r.DryRun {
		fmt.Fprint(w, " would be written; nothing written")
	}
	fmt.Fprintln(w)
}
