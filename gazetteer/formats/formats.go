// Package formats is the one table of the file formats Wumen reads and
// writes: for each, its name on the command line and in
// /api/v1/export?format=, its file extensions, media type, what it can
// hold, and its reader and writer. The command line, its help text, the
// export API, the OpenAPI document and the import's format sniffing all
// read this table, so a format is added by one file of this package that
// registers it (see jsonl.go for the smallest).
//
// The readers and writers themselves live with what they map: the core
// text formats in gazetteer, the GIS ones in gazetteer/export, the census
// tables in gazetteer/census.
package formats

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/export"
	"wumen/geo"
)

// Format is one file format.
type Format struct {
	// Name is the format as users name it (--format, ?format=).
	Name string
	// Title says what it is, for help texts and the OpenAPI document.
	Title string
	// Exts are the file extensions it is known by; the first is what an
	// export names its file.
	Exts []string
	// MediaType is the Content-Type of an export served over HTTP.
	MediaType string
	// File is true when the format is written to a file path, not a stream
	// (GeoPackage is a SQLite database).
	File bool
	// Lost lists the fields of a place record the format cannot hold:
	// what an import of the file cannot give back (measured by the
	// round-trip test). Empty: the whole record.
	Lost []string
	// Sidecar is true when an export to a file writes a metadata file
	// beside it naming what is lost (WriteFile): the format has lost
	// fields and no place of its own to say so.
	Sidecar bool
	// Claims reports whether a file with this extension is in this format
	// by its first bytes, where an extension is shared (.tsv is a census
	// table or LP-TSV). Nil: the extension decides.
	Claims func(head []byte) bool

	write     func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error)
	writeFile func(ctx context.Context, s *gazetteer.Store, path string, o export.Options) (int, error)
	open      func(name string, o ReadOptions) (*Input, error)
}

// ReadOptions are what an import gives every reader.
type ReadOptions struct {
	// CRS of the coordinates; zero means what the file declares, else the
	// format's default (CGCS2000 for census tables, WGS84 otherwise).
	CRS geo.CRS
	// Columns maps a census table's own column names to fields.
	Columns census.ColumnMap
	// Categories resolve categories written in any form; Admin resolves
	// 所在行政区 and statistical codes (census tables).
	Categories *gazetteer.Categories
	Admin      *gazetteer.AdminIndex
}

// Input is one opened import file: its records as a stream, a line saying
// how it is read (the encoding and columns detected, or ""), and its
// closer.
type Input struct {
	Records gazetteer.Records
	Note    string
	Close   func() error
}

// registry holds the formats in the order they register (file name order:
// Go initialises a package's files in that order).
var registry []Format

// register adds a format; a name or extension given twice is a bug.
func register(f Format) {
	for _, g := range registry {
		if g.Name == f.Name {
			panic("formats: " + f.Name + " registered twice")
		}
	}
	registry = append(registry, f)
}

// All returns every format, sorted by name.
func All() []Format {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b Format) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Get returns the format of a name.
func Get(name string) (Format, bool) {
	for _, f := range registry {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Exports names the formats Wumen writes, sorted.
func Exports() []string {
	return names(func(f Format) bool { return f.write != nil || f.writeFile != nil })
}

// Imports names the formats Wumen reads, sorted.
func Imports() []string { return names(func(f Format) bool { return f.open != nil }) }

func names(keep func(Format) bool) []string {
	var out []string
	for _, f := range All() {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// CanRead and CanWrite say what a format does.
func (f Format) CanRead() bool  { return f.open != nil }
func (f Format) CanWrite() bool { return f.write != nil || f.writeFile != nil }

// Ext is the extension an export's file is named with.
func (f Format) Ext() string { return f.Exts[0] }

// LostNote is the sentence an export prints about what the format cannot
// hold, or "" when it holds the whole record.
func (f Format) LostNote() string {
	if len(f.Lost) == 0 {
		return ""
	}
	var whole []string
	for _, g := range All() {
		if len(g.Lost) == 0 && g.CanRead() && g.CanWrite() {
			whole = append(whole, g.Name)
		}
	}
	return f.Name + " cannot hold: " + strings.Join(f.Lost, ", ") + " (an import of the file does not give them back; " +
		strings.Join(whole, ", ") + " are lossless)"
}

// unknown is the error for a format name no entry has.
func unknown(name string, list []string) error {
	return gazetteer.Errorf(gazetteer.EInvalid, "unknown format %q (%s)", name, strings.Join(list, ", "))
}

// ForWrite returns the export format of a name, or an error listing those
// there are.
func ForWrite(name string) (Format, error) {
	if f, ok := Get(name); ok && f.CanWrite() {
		return f, nil
	}
	return Format{}, unknown(name, Exports())
}

// ForRead returns the import format of a name, or an error listing those
// there are.
func ForRead(name string) (Format, error) {
	if f, ok := Get(name); ok && f.CanRead() {
		return f, nil
	}
	return Format{}, unknown(name, Imports())
}

// sniffBytes is how much of a file Claims sees.
const sniffBytes = 512

// ForFile tells an import file's format from its extension and, where an
// extension is shared, its first bytes.
func ForFile(name string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	var byExt []Format
	for _, f := range registry {
		if f.open != nil && slices.Contains(f.Exts, ext) {
			byExt = append(byExt, f)
		}
	}
	if len(byExt) == 0 {
		if ext == ".xls" {
			return Format{}, gazetteer.Errorf(gazetteer.EInvalid, "%s: the old binary .xls format is not read; save the workbook as .xlsx or CSV", name)
		}
		return Format{}, gazetteer.Errorf(gazetteer.EInvalid, "%s: cannot tell the format from the extension; use --format (%s)", name, strings.Join(Imports(), ", "))
	}
	if len(byExt) > 1 {
		head := fileHead(name)
		for _, f := range byExt {
			if f.Claims != nil && f.Claims(head) {
				return f, nil
			}
		}
		for _, f := range byExt {
			if f.Claims == nil {
				return f, nil
			}
		}
	}
	return byExt[0], nil
}

func fileHead(name string) []byte {
	fh, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer fh.Close()
	head := make([]byte, sniffBytes)
	n, _ := io.ReadFull(gazetteer.SkipBOM(fh), head)
	return head[:n]
}

// Open opens an import file in this format.
func (f Format) Open(name string, o ReadOptions) (*Input, error) {
	if f.open == nil {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s files are not imported (%s are)", f.Name, strings.Join(Imports(), ", "))
	}
	return f.open(name, o)
}

// Write writes the selected places to w. A format written to a file
// (File) cannot be streamed: use WriteFile.
func (f Format) Write(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
	if f.write == nil {
		return 0, gazetteer.Errorf(gazetteer.EInvalid, "%s is written to a file, not a stream (use -o FILE%s)", f.Name, f.Ext())
	}
	return f.write(ctx, s, w, o)
}

// WriteFile writes the selected places to a new file at path; a failed
// export leaves no file behind. A format that cannot hold the whole record
// and has no member of its own to say so (LP-TSV's columns are fixed) gets
// a metadata file beside it, path + ".json" (Sidecar), naming the fields
// it lost.
func (f Format) WriteFile(ctx context.Context, s *gazetteer.Store, path string, o export.Options) (int, error) {
	if f.writeFile != nil {
		return f.writeFile(ctx, s, path, o)
	}
	if f.Sidecar {
		if err := writeSidecar(f, path, o); err != nil {
			return 0, err
		}
	}
	fh, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(ctx, s, fh, o)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		if f.Sidecar {
			os.Remove(SidecarPath(path))
		}
		return n, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// SidecarPath is where the metadata file of an export written to path is.
func SidecarPath(path string) string { return path + ".json" }

// Sidecar is the metadata file written beside a lossy export: what the
// file is, its CRS and attribution, and the fields of a Wumen record it
// cannot hold (wumen_lost, as a Linked Places file would say in its head).
type Sidecar struct {
	File        string   `json:"file"`
	Format      string   `json:"format"`
	Title       string   `json:"title"`
	CRS         string   `json:"crs"`
	Attribution string   `json:"attribution"`
	Lost        []string `json:"wumen_lost"`
	Note        string   `json:"note"`
}

func writeSidecar(f Format, path string, o export.Options) error {
	return os.WriteFile(SidecarPath(path), sidecarJSON(f, filepath.Base(path), o), 0o644)
}

// sidecarJSON is the metadata of an export of f named file.
func sidecarJSON(f Format, file string, o export.Options) []byte {
	b, _ := json.MarshalIndent(Sidecar{File: file, Format: f.Name, Title: f.Title, CRS: export.CRSLabel(o.Export.CRS),
		Attribution: gazetteer.Attribution, Lost: f.Lost, Note: f.LostNote()}, "", "  ")
	return append(b, '\n')
}

// openFile opens name for a reader, as a not-found error a user reads.
func openFile(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
	}
	return f, nil
}

// slurp opens a reader that reads a whole file into records.
func slurp(read func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error)) func(string, ReadOptions) (*Input, error) {
	return func(name string, o ReadOptions) (*Input, error) {
		fh, err := openFile(name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		in, err := read(gazetteer.SkipBOM(fh), filepath.Base(name), o)
		if err != nil {
			return nil, err
		}
		return &Input{Records: gazetteer.Slice(in), Close: func() error { return nil }}, nil
	}
}
