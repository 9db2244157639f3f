package main

import (
	"fmt"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/formats"
	"wumen/geo"
)

// inputOptions are the import flags every reader shares.
type inputOptions struct {
	format  string
	crs     geo.CRS // zero: what the file says, else its format's default
	columns census.ColumnMap
}

// openInput opens one import file in its format (--format, else its
// extension and first bytes: formats.ForFile). Census tables (CSV, .xlsx,
// Shapefiles) resolve their categories and 所在行政区 against the store.
func openInput(s *gazetteer.Store, admin *gazetteer.AdminIndex, name string, o inputOptions) (*formats.Input, error) {
	var f formats.Format
	var err error
	if o.format != "" {
		f, err = formats.ForRead(o.format)
	} else {
		f, err = formats.ForFile(name)
	}
	if err != nil {
		return nil, usagef("%s", gazetteer.ErrorMessage(err))
	}
	return f.Open(name, formats.ReadOptions{CRS: o.crs, Columns: o.columns, Categories: s.Categories(), Admin: admin})
}

// concat streams the records of several inputs one after another; an id
// given twice in one file is an error naming both records.
func concat(ins []*formats.Input) gazetteer.Records {
	return func(yield func(gazetteer.Input, error) bool) {
		for _, in := range ins {
			for r, err := range gazetteer.UniqueIDs(in.Records) {
				if !yield(r, err) {
					return
				}
			}
		}
	}
}

// printSkipped reports what --skip-invalid left out.
func (e *env) printSkipped(rep *gazetteer.Report) {
	if rep.SkippedCount == 0 {
		return
	}
	fmt.Fprintf(e.stderr, "skipped %d invalid records:\n", rep.SkippedCount)
	for _, m := range rep.Skipped {
		fmt.Fprintf(e.stderr, "  %s\n", m)
	}
	if rep.SkippedCount > len(rep.Skipped) {
		fmt.Fprintf(e.stderr, "  … and %d more\n", rep.SkippedCount-len(rep.Skipped))
	}
}
