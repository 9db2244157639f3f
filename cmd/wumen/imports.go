package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/geo"
)

// inputOptions are the import flags every reader shares.
type inputOptions struct {
	format  string
	crs     geo.CRS // zero: what the file says, else its format's default
	columns census.ColumnMap
}

// input is one opened import file: its records as a stream, a line saying
// how it is read (the encoding and columns detected), and its closer.
type input struct {
	recs  gazetteer.Records
	note  string
	close func() error
}

// formatOf names a file's import format from --format or its extension.
func formatOf(name, format string) (string, error) {
	if format != "" {
		return format, nil
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".jsonl", ".ndjson":
		return "jsonl", nil
	case ".geojson", ".json":
		return "geojson", nil
	case ".geojsons", ".geojsonl", ".geojsonseq":
		return "geojsonseq", nil
	case ".csv", ".txt", ".tsv":
		return "csv", nil
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".xls":
		return "", usagef("%s: the old binary .xls format is not read; save the workbook as .xlsx or CSV", name)
	case ".shp":
		return "shp", nil
	case ".gpkg":
		return "gpkg", nil
	case ".jsonld":
		return "lpf", nil
	case ".kml":
		return "kml", nil
	}
	return "", usagef("%s: cannot tell the format from the extension; use --format", name)
}

// openInput opens one import file. Census tables (CSV, .xlsx) resolve their
// categories and 所在行政区 against the store.
func openInput(ctx context.Context, s *gazetteer.Store, admin *gazetteer.AdminIndex, name string, o inputOptions) (*input, error) {
	format, err := formatOf(name, o.format)
	if err != nil {
		return nil, err
	}
	if format == "csv" && o.format == "" && isLPTSV(name) {
		format = "lptsv"
	}
	base := filepath.Base(name)
	crs := o.crs
	co := census.Options{Name: base, CRS: crs, Columns: o.columns, Categories: s.Categories(), Admin: admin}
	switch format {
	case "csv", "xlsx", "shp":
		t, closeT, err := openTable(name, format, co)
		if err != nil {
			return nil, err
		}
		if admin != nil && t.DefinesUnits() {
			// A table that defines administrative units (a township's
			// villages, a Wumen CSV export's counties) may name them in
			// 所在行政区 before the store holds them: read them first.
			units := t.Units()
			closeT()
			co.Admin = admin.With(units)
			if t, closeT, err = openTable(name, format, co); err != nil {
				return nil, err
			}
		}
		return &input{recs: t.Records(), note: t.Describe(), close: closeT}, nil
	case "jsonl":
		f, err := os.Open(name)
		if err != nil {
			return nil, gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
		}
		return &input{recs: gazetteer.JSONLRecords(f, base, crs), close: f.Close}, nil
	case "geojson", "geojsonl", "geojsonseq":
		f, err := os.Open(name)
		if err != nil {
			return nil, gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
		}
		defer f.Close()
		var in []gazetteer.Input
		gj := gazetteer.GeoJSONOptions{CRS: crs, Categories: s.Categories()}
		switch format {
		case "geojson":
			in, err = gazetteer.ReadGeoJSONWith(f, base, gj)
		default:
			in, err = gazetteer.ReadGeoJSONSeq(f, base, gj)
		}
		if err != nil {
			return nil, err
		}
		return &input{recs: gazetteer.Slice(in), close: func() error { return nil }}, nil
	case "gpkg", "lpf", "kml", "lptsv":
		in, err := importOther(name, format, crs)
		if err != nil {
			return nil, err
		}
		return &input{recs: gazetteer.Slice(in), close: func() error { return nil }}, nil
	}
	return nil, usagef("unknown import format %q (jsonl, geojson, geojsonseq, csv, xlsx, shp, gpkg, lpf, kml, lptsv)", format)
}

// isLPTSV reports whether a .tsv file is LP-TSV (the World Historical
// Gazetteer's upload format, as `wumen export --format lptsv` writes it):
// its header begins with id, title and title_source.
func isLPTSV(name string) bool {
	if !strings.EqualFold(filepath.Ext(name), ".tsv") {
		return false
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(gazetteer.SkipBOM(f), head)
	return strings.HasPrefix(string(head[:n]), "id\ttitle\ttitle_source")
}

// openTable opens a census table: CSV, .xlsx or a Shapefile.
func openTable(name, format string, co census.Options) (*census.Table, func() error, error) {
	if format != "csv" {
		open := census.OpenXLSX
		if format == "shp" {
			open = census.OpenShapefile
		}
		t, err := open(name, co)
		if err != nil {
			return nil, nil, err
		}
		return t, t.Close, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
	}
	t, err := census.OpenCSV(f, co)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return t, f.Close, nil
}

// concat streams the records of several inputs one after another; an id
// given twice in one file is an error naming both records.
func concat(ins []*input) gazetteer.Records {
	return func(yield func(gazetteer.Input, error) bool) {
		for _, in := range ins {
			for r, err := range gazetteer.UniqueIDs(in.recs) {
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
