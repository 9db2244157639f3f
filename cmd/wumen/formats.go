package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/geo"
)

// exportOther writes the GIS formats of gazetteer/export: gpkg (a file:
// -o FILE.gpkg is required), kml, lpf (Linked Places JSON-LD), lptsv and
// pmtiles. out is the -o value ("-" for standard output, written to w).
func exportOther(ctx context.Context, s *gazetteer.Store, format, out string, w io.Writer, o gazetteer.ExportOptions) (int, error) {
	info, ok := export.FormatInfos[format]
	if !ok {
		return 0, usagef("unknown export format %q (jsonl, geojson, geojsonl, csv, gpkg, kml, lpf, lptsv, pmtiles)", format)
	}
	opts := export.Options{Export: o}
	if out == "-" {
		if info.File {
			return 0, usagef("%s is written to a file: use -o FILE%s", format, info.Ext)
		}
		return export.Write(ctx, s, format, w, opts)
	}
	return export.WriteFile(ctx, s, format, out, opts)
}

// importOther reads the GIS formats gazetteer/export reads back: a
// GeoPackage (.gpkg; crs zero or WGS84 takes the file's declared SRS, and
// a file in another CRS than the one declared is refused) and Linked
// Places JSON-LD (.jsonld, or .json with format "lpf"). The records go to
// Store.PutAll like any import.
func importOther(name, format string, crs geo.CRS) ([]gazetteer.Input, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".gpkg":
			format = "gpkg"
		case ".jsonld":
			format = "lpf"
		}
	}
	switch format {
	case "gpkg":
		if crs == 0 || crs == geo.WGS84 {
			fc, err := export.FileCRS(name)
			if err != nil {
				return nil, err
			}
			crs = fc
		}
		return export.ReadGPKG(name, crs)
	case "lpf", "kml", "lptsv":
		f, err := os.Open(name)
		if err != nil {
			return nil, gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
		}
		defer f.Close()
		read := map[string]func(io.Reader, string, geo.CRS) ([]gazetteer.Input, error){
			"lpf": export.ReadLPF, "kml": export.ReadKML, "lptsv": export.ReadLPTSV}[format]
		return read(gazetteer.SkipBOM(f), filepath.Base(name), crs)
	}
	return nil, usagef("unknown import format %q (jsonl, geojson, csv, gpkg, lpf, kml, lptsv)", format)
}
