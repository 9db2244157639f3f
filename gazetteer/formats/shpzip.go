package formats

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/export"
	"wumen/geo"
	"wumen/geo/shp"
)

// Zipped Shapefiles: the format GIS desktops and the census's own tools
// open directly (QGIS and GDAL read the .zip as it is). A Shapefile holds
// one shape type, so the archive has a layer a kind — places_points (with
// the unpositioned places as null shapes), places_multipoints,
// places_lines, places_polygons — each with its .shx, a UTF-8 .dbf (said by
// a .cpg) of CSV's plain columns and a .prj of the export's CRS — and
// wumen_metadata.json naming the fields the attributes cannot hold.
func init() {
	register(Format{
		Name: "shpzip", Title: "zipped Esri Shapefiles, a layer a geometry kind, UTF-8 attributes and a .prj",
		Exts: []string{".zip"}, MediaType: "application/zip", File: true,
		Lost:      append(slices.Clone(lostInShapefile), "text over 254 bytes (dBASE's limit: cut at a character)"),
		writeFile: writeShapefiles, open: openShapefiles,
	})
}

// ShapefileMetadata is the file in a Shapefile archive that says what it
// holds and what it lost (a Sidecar); readers skip it.
const ShapefileMetadata = "wumen_metadata.json"

// shpLayers are the layers by kind, in archive order.
var shpLayers = []struct {
	kind shp.Kind
	name string
}{{shp.Point, "places_points"}, {shp.MultiPoint, "places_multipoints"}, {shp.PolyLine, "places_lines"}, {shp.Polygon, "places_polygons"}}

// dbfName shortens a CSV column to dBASE's 10 bytes (the census reader
// knows the short form).
func dbfName(col string) string {
	if col == "coord_method" {
		return "coord_meth"
	}
	return col
}

// prjOf is the .prj of a CRS, in the ESRI WKT GIS tools read. GCJ-02 and
// BD-09 have no EPSG code: their .prj names the offset on the WGS 84 datum,
// so that a tool shows it for what it is and Wumen reads it back.
func prjOf(c geo.CRS) string {
	const wgs = `DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	switch c {
	case geo.CGCS2000:
		return `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	case geo.GCJ02:
		return `GEOGCS["GCJ-02 (offset from WGS 84, not an EPSG CRS)",` + wgs
	case geo.BD09:
		return `GEOGCS["BD-09 (Baidu offset on GCJ-02, not an EPSG CRS)",` + wgs
	}
	return `GEOGCS["GCS_WGS_1984",` + wgs
}

// writeShapefiles writes the archive: a first pass over the selection sizes
// the text fields and finds the kinds present, a second writes the layers
// into a scratch folder, which is then zipped into path.
func writeShapefiles(ctx context.Context, s *gazetteer.Store, path string, o export.Options) (int, error) {
	crs := o.Export.CRS
	if crs == 0 {
		crs = geo.WGS84
	}
	// The attributes are CSV's plain columns (dBASE names are 10 bytes at
	// most, one value a field), less the WKT the shape holds.
	cols := slices.DeleteFunc(slices.Clone(gazetteer.CSVPlainHeader), func(c string) bool { return c == "wkt" })
	widths := make([]int, len(cols))
	kinds := map[shp.Kind]bool{shp.Point: true}
	row := func(p *gazetteer.Place) []string {
		all := gazetteer.CSVRow(p, crs)
		out := make([]string, 0, len(cols))
		for i, v := range all[:len(gazetteer.CSVPlainHeader)] {
			if gazetteer.CSVHeader[i] != "wkt" {
				out = append(out, cutUTF8(v, 254))
			}
		}
		return out
	}
	first := o.Export
	first.Progress = nil
	if err := s.Each(ctx, first.Filter, func(p *gazetteer.Place) error {
		for i, v := range row(p) {
			widths[i] = max(widths[i], len(v))
		}
		if k, ok := shp.KindOf(p.Geometry); ok {
			kinds[k] = true
		}
		return nil
	}); err != nil {
		return 0, err
	}
	fields := make([]shp.Field, len(cols))
	for i, c := range cols {
		fields[i] = shp.Field{Name: dbfName(c), Type: 'C', Length: max(widths[i], 1)}
		if c == "id" {
			fields[i] = shp.Field{Name: c, Type: 'N', Length: 19}
		}
	}
	dir, err := os.MkdirTemp("", "wumen-shp-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	layers := map[shp.Kind]*shp.Writer{}
	closeAll := func() {
		for _, w := range layers {
			w.Close()
		}
	}
	for _, l := range shpLayers {
		if kinds[l.kind] {
			w, err := shp.Create(filepath.Join(dir, l.name), l.kind, fields, prjOf(crs))
			if err != nil {
				closeAll()
				return 0, err
			}
			layers[l.kind] = w
		}
	}
	n := 0
	err = s.Each(ctx, o.Export.Filter, func(p *gazetteer.Place) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		k, ok := shp.KindOf(p.Geometry)
		g := geo.FromWGS84(p.Geometry, crs)
		if !ok {
			k, g = shp.Point, nil // no position, or a collection: a null shape
		}
		if err := layers[k].Write(g, row(p)); err != nil {
			return fmt.Errorf("place %d: %w", p.ID, err)
		}
		n++
		if o.Export.Progress != nil {
			o.Export.Progress(n)
		}
		return nil
	})
	closeAll()
	if err != nil {
		return n, err
	}
	// The archive says what its attribute tables cannot hold.
	f, _ := Get("shpzip")
	if err := os.WriteFile(filepath.Join(dir, ShapefileMetadata), sidecarJSON(f, filepath.Base(path), o), 0o644); err != nil {
		return n, err
	}
	return n, zipFolder(dir, path)
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// zipFolder writes the files of dir, in name order, into a new archive at
// path; a failure leaves no archive.
func zipFolder(dir, path string) (err error) {
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	zw := zip.NewWriter(f)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(name), Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		r, err := os.Open(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// openShapefiles reads every layer of a zipped set of Shapefiles (any
// folder inside the archive) as census layers, one after another.
func openShapefiles(name string, o ReadOptions) (*Input, error) {
	dir, err := os.MkdirTemp("", "wumen-shp-")
	if err != nil {
		return nil, err
	}
	layers, err := unzipShapefiles(name, dir)
	if err == nil && len(layers) == 0 {
		err = gazetteer.Errorf(gazetteer.EInvalid, "%s: the archive holds no .shp layer", filepath.Base(name))
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var tables []*census.Table
	closeAll := func() error {
		for _, t := range tables {
			t.Close()
		}
		tables = nil
		return os.RemoveAll(dir)
	}
	open := func(admin *gazetteer.AdminIndex) error {
		for _, l := range layers {
			rel, _ := filepath.Rel(dir, l)
			t, err := census.OpenShapefile(l, census.Options{Name: filepath.Base(name) + "/" + rel, CRS: o.CRS, Columns: o.Columns,
				Categories: o.Categories, Admin: admin})
			if err != nil {
				return err
			}
			tables = append(tables, t)
		}
		return nil
	}
	if err := open(o.Admin); err != nil {
		closeAll()
		return nil, err
	}
	if o.Admin != nil { // units a layer defines may be named by any layer
		units := map[string]string{}
		for _, t := range tables {
			if t.DefinesUnits() {
				for k, v := range t.Units() {
					units[k] = v
				}
			}
		}
		if len(units) > 0 {
			for _, t := range tables {
				t.Close()
			}
			tables = nil
			if err := open(o.Admin.With(units)); err != nil {
				closeAll()
				return nil, err
			}
		}
	}
	var notes []string
	for _, t := range tables {
		notes = append(notes, t.Describe())
	}
	recs := func(yield func(gazetteer.Input, error) bool) {
		for _, t := range tables {
			for r, err := range t.Records() {
				if !yield(r, err) {
					return
				}
			}
		}
	}
	return &Input{Records: recs, Note: strings.Join(notes, "; "), Close: closeAll}, nil
}

// maxUnzipped bounds what an archive may unpack to: a crafted archive must
// not fill the disk.
const maxUnzipped = 8 << 30

// unzipShapefiles unpacks an archive's Shapefile parts into dir and returns
// the .shp files, in archive order. Names are kept inside dir.
func unzipShapefiles(name, dir string) ([]string, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s: not a zip archive (%v)", filepath.Base(name), err)
	}
	defer zr.Close()
	var layers []string
	var total int64
	for _, f := range zr.File {
		ext := strings.ToLower(filepath.Ext(f.Name))
		if f.FileInfo().IsDir() || !slices.Contains([]string{".shp", ".shx", ".dbf", ".prj", ".cpg"}, ext) {
			continue
		}
		clean := filepath.Clean("/" + f.Name)[1:] // no way out of dir
		dst := filepath.Join(dir, strings.TrimSuffix(clean, filepath.Ext(clean))+ext)
		if total += int64(f.UncompressedSize64); total > maxUnzipped {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s: unpacks to more than %d GB", filepath.Base(name), maxUnzipped>>30)
		}
		if err := unzipOne(f, dst); err != nil {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s: %s: %v", filepath.Base(name), f.Name, err)
		}
		if ext == ".shp" {
			layers = append(layers, dst)
		}
	}
	return layers, nil
}

func unzipOne(f *zip.File, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.Create(dst)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, io.LimitReader(r, int64(f.UncompressedSize64)))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
