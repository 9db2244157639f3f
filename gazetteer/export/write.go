package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"wumen/gazetteer"
)

// FormatInfo describes an export format for HTTP and file names.
type FormatInfo struct {
	ContentType string
	Ext         string
	// File is true when the format is written to a file path (GeoPackage is
	// a SQLite database), not a stream.
	File bool
}

// FormatInfos are every export format: the core text ones of gazetteer and
// the GIS ones of this package.
var FormatInfos = map[string]FormatInfo{
	"jsonl":    {"application/jsonl; charset=utf-8", ".jsonl", false},
	"geojson":  {"application/geo+json", ".geojson", false},
	"geojsonl": {"application/x-ndjson", ".geojsonl", false},
	// RFC 8142: records led by U+001E, the only form application/geo+json-seq names.
	"geojsonseq": {"application/geo+json-seq", ".geojsons", false},
	"csv":        {"text/csv; charset=utf-8", ".csv", false},
	"gpkg":       {"application/geopackage+sqlite3", ".gpkg", true},
	"kml":        {"application/vnd.google-earth.kml+xml", ".kml", false},
	"lpf":        {"application/ld+json", ".jsonld", false},
	"lptsv":      {"text/tab-separated-values; charset=utf-8", ".tsv", false},
	"pmtiles":    {"application/vnd.pmtiles", ".pmtiles", false},
}

// Write writes the selected places in format to w. GeoPackage cannot be
// streamed: use WriteFile.
func Write(ctx context.Context, s *gazetteer.Store, format string, w io.Writer, opts Options) (int, error) {
	o := opts.Export
	switch format {
	case "jsonl":
		return s.WriteJSONL(ctx, w, o)
	case "geojson":
		return s.WriteGeoJSON(ctx, w, o, false)
	case "geojsonl":
		return s.WriteGeoJSON(ctx, w, o, true)
	case "geojsonseq":
		o.Seq = true
		return s.WriteGeoJSON(ctx, w, o, true)
	case "csv":
		return s.WriteCSV(ctx, w, o)
	case "kml":
		return WriteKML(ctx, s, w, o)
	case "lpf":
		return WriteLPF(ctx, s, w, opts)
	case "lptsv":
		return WriteLPTSV(ctx, s, w, opts)
	case "pmtiles":
		return WritePMTiles(ctx, s, w, opts)
	case "gpkg":
		return 0, gazetteer.Errorf(gazetteer.EInvalid, "gpkg is written to a file, not a stream (use -o FILE.gpkg)")
	}
	return 0, gazetteer.Errorf(gazetteer.EInvalid, "unknown export format %q (jsonl, geojson, geojsonl, geojsonseq, csv, gpkg, kml, lpf, lptsv, pmtiles)", format)
}

// WriteFile writes the selected places in format to a new file at path.
func WriteFile(ctx context.Context, s *gazetteer.Store, format, path string, o Options) (int, error) {
	if format == "gpkg" {
		return WriteGPKG(ctx, s, path, o.Export)
	}
	if _, ok := FormatInfos[format]; !ok {
		return Write(ctx, s, format, nil, o)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := Write(ctx, s, format, f, o)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return n, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// Lost lists, by format, the fields of a place record a format cannot hold:
// what an import of the file cannot give back. Exports say it on stderr and
// in the file's metadata where the format has room (cmd/wumen, the
// round-trip test). A format not listed holds the whole record.
var Lost = map[string][]string{
	// Measured by the round-trip test: Linked Places holds names, title,
	// category types, geometry and links; ReadLPF gives back no more.
	"lpf": {"admin", "code", "coord", "description", "extra", "generic", "heritage", "history", "joined", "level", "license",
		"links", "meaning", "names", "rank", "sign", "sources", "specific", "status"},
	// CSV's columns (gazetteer.CSVHeader): one value a cell, no names or texts.
	"csv": {"coord", "description", "events", "extra", "heritage", "history", "joined", "level", "links", "meaning", "names",
		"rank", "relations", "sign", "sources"},
	// LP-TSV's columns (geo/lpf.TSVHeader): the title, variants without
	// their kinds, dates or citations, types, matches, one geometry and a
	// description; measured by the round-trip test. (KML is not here: its
	// ExtendedData keeps the whole record.)
	"lptsv": {"admin", "code", "coord", "extra", "generic", "heritage", "history", "joined", "level", "license", "links",
		"meaning", "names", "rank", "relations", "sign", "sources", "specific", "status"},
}

// LostNote is the sentence an export prints about what format cannot
// hold, or "" when it holds the whole record.
func LostNote(format string) string {
	l, ok := Lost[format]
	if !ok {
		return ""
	}
	return format + " cannot hold: " + strings.Join(l, ", ") + " (an import of the file does not give them back; jsonl, geojson, geojsonseq, gpkg and kml are lossless)"
}
