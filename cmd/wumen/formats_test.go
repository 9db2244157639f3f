package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/gazetteer/sqlite"
	"wumen/geo"
)

// onePlace opens a store in dir holding 北寺塔, OSM way/206076447 (ODbL).
func onePlace(t *testing.T, dir string) *gazetteer.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(dir, "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := &gazetteer.Place{Name: "北寺塔", Category: gazetteer.Category{Class: "纪念地旅游景点"}, Geometry: orb.Point{120.6154018, 31.3245428},
		Coord: &gazetteer.Coord{Method: "osm"}, Links: gazetteer.Links{OSM: "way/206076447"}}
	if _, err := s.Put(context.Background(), p, gazetteer.Change{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestExportImportOther(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := onePlace(t, dir)
	for _, format := range []string{"gpkg", "lpf"} {
		out := filepath.Join(dir, "out."+format)
		n, err := exportTo(ctx, s, format, out, gazetteer.ExportOptions{CRS: geo.GCJ02})
		if err != nil || n != 1 {
			t.Fatalf("%s: export = %d, %v", format, n, err)
		}
		in, err := importFrom(t, out, format, map[string]geo.CRS{"gpkg": geo.WGS84, "lpf": geo.GCJ02}[format])
		if err != nil || len(in) != 1 {
			t.Fatalf("%s: import = %v, %v", format, in, err)
		}
		got := in[0].Place.Geometry.(orb.Point)
		if in[0].Place.Name != "北寺塔" || !(abs(got[0]-120.6154018) < 1e-7 && abs(got[1]-31.3245428) < 1e-7) {
			t.Errorf("%s: read back %s at %v", format, in[0].Place.Name, got)
		}
	}
	gpkg, _ := formats.Get("gpkg")
	if _, err := gpkg.Write(ctx, s, io.Discard, export.Options{}); err == nil {
		t.Error("gpkg to standard output accepted")
	}
}

// exportTo writes a format to a file through the registry, as the export
// command does.
func exportTo(ctx context.Context, s *gazetteer.Store, format, out string, o gazetteer.ExportOptions) (int, error) {
	f, err := formats.ForWrite(format)
	if err != nil {
		return 0, err
	}
	return f.WriteFile(ctx, s, out, export.Options{Export: o})
}

// importFrom reads a file back through the registry.
func importFrom(t *testing.T, name, format string, crs geo.CRS) ([]gazetteer.Input, error) {
	f, err := formats.ForRead(format)
	if err != nil {
		return nil, err
	}
	in, err := f.Open(name, formats.ReadOptions{CRS: crs})
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var out []gazetteer.Input
	for r, err := range in.Records {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestExportGPKGRelativePath: -o takes a plain file name, as a user types
// it (a relative name once failed as "invalid uri authority").
func TestExportGPKGRelativePath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := onePlace(t, dir)
	t.Chdir(dir)
	for _, crs := range []geo.CRS{geo.WGS84, geo.GCJ02} {
		out := crs.String() + ".gpkg"
		if n, err := exportTo(ctx, s, "gpkg", out, gazetteer.ExportOptions{CRS: crs}); err != nil || n != 1 {
			t.Fatalf("export -o %s = %d, %v", out, n, err)
		}
		if in, err := importFrom(t, out, "gpkg", geo.WGS84); err != nil || len(in) != 1 {
			t.Fatalf("import %s = %v, %v", out, in, err)
		}
	}
}
