package formats

import (
	"context"
	"io"
	"path/filepath"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/export"
)

// The census tables: CSV (UTF-8 or GBK, Wumen's own columns or the
// census's, decimal or DMS coordinates), Excel workbooks and Shapefiles,
// read by gazetteer/census. Wumen's CSV export is one of them.
func init() {
	register(Format{
		Name: "csv", Title: "CSV table: Wumen's columns or a census table's, UTF-8 or GBK",
		Exts: []string{".csv", ".txt", ".tsv"}, MediaType: "text/csv; charset=utf-8",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			return s.WriteCSV(ctx, w, o.Export)
		},
		open: openTable(func(name string, co census.Options) (*census.Table, func() error, error) {
			fh, err := openFile(name)
			if err != nil {
				return nil, nil, err
			}
			t, err := census.OpenCSV(fh, co)
			if err != nil {
				fh.Close()
				return nil, nil, err
			}
			return t, fh.Close, nil
		}),
	})
	register(Format{
		Name: "xlsx", Title: "Excel workbook of a census table (.xlsx)",
		Exts: []string{".xlsx", ".xlsm"},
		open: openTable(closing(census.OpenXLSX)),
	})
	register(Format{
		Name: "shp", Title: "Shapefile (.shp with .dbf and .prj; UTF-8 or GBK by its .cpg, else detected)",
		Exts: []string{".shp"},
		open: openTable(closing(census.OpenShapefile)),
	})
}

// lostInShapefile is what a Shapefile's attributes (CSV's plain columns,
// gazetteer.CSVPlainHeader) cannot hold: one value a field, no names or
// texts. CSV itself holds the whole record (the columns after the plain
// ones, docs/csv.md): the round-trip test checks it field by field.
var lostInShapefile = []string{"coord", "description", "events", "extra", "history", "joined", "level", "links", "meaning", "names",
	"rank", "relations", "sign", "sources"}

// closing adapts a census opener whose table closes itself.
func closing(open func(string, census.Options) (*census.Table, error)) func(string, census.Options) (*census.Table, func() error, error) {
	return func(name string, co census.Options) (*census.Table, func() error, error) {
		t, err := open(name, co)
		if err != nil {
			return nil, nil, err
		}
		return t, t.Close, nil
	}
}

// openTable reads a census table. A table that defines administrative
// units (a township's villages, a Wumen CSV export's counties) may name
// them in 所在行政区 before the store holds them: they are read first.
func openTable(open func(string, census.Options) (*census.Table, func() error, error)) func(string, ReadOptions) (*Input, error) {
	return func(name string, o ReadOptions) (*Input, error) {
		co := census.Options{Name: filepath.Base(name), CRS: o.CRS, Columns: o.Columns, Categories: o.Categories, Admin: o.Admin}
		t, closeT, err := open(name, co)
		if err != nil {
			return nil, err
		}
		if o.Admin != nil && t.DefinesUnits() {
			units := t.Units()
			closeT()
			co.Admin = o.Admin.With(units)
			if t, closeT, err = open(name, co); err != nil {
				return nil, err
			}
		}
		return &Input{Records: t.Records(), Note: t.Describe(), Close: closeT}, nil
	}
}
