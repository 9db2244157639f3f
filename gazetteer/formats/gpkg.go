package formats

import (
	"context"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/geo"
)

// GeoPackage (OGC 12-128r18): a places layer with related name and event
// tables and the whole record in a column; a file, not a stream.
func init() {
	register(Format{
		Name: "gpkg", Title: "OGC GeoPackage: places layer, names and events tables, the whole record",
		Exts: []string{".gpkg"}, MediaType: "application/geopackage+sqlite3", File: true,
		writeFile: func(ctx context.Context, s *gazetteer.Store, path string, o export.Options) (int, error) {
			return export.WriteGPKG(ctx, s, path, o.Export)
		},
		open: func(name string, o ReadOptions) (*Input, error) {
			crs := o.CRS
			if crs == 0 || crs == geo.WGS84 {
				// The file's declared SRS; a file in another CRS than
				// the one declared is refused.
				fc, err := export.FileCRS(name)
				if err != nil {
					return nil, err
				}
				crs = fc
			}
			in, err := export.ReadGPKG(name, crs)
			if err != nil {
				return nil, err
			}
			return &Input{Records: gazetteer.Slice(in), Close: func() error { return nil }}, nil
		},
	})
}
