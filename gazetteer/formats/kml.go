package formats

import (
	"context"
	"io"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
)

// KML 2.2 (OGC 07-147r2): placemarks whose ExtendedData keeps the whole
// record, so that an import gives it back.
func init() {
	register(Format{
		Name: "kml", Title: "KML 2.2 placemarks, the whole record in ExtendedData",
		Exts: []string{".kml"}, MediaType: "application/vnd.google-earth.kml+xml",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			return export.WriteKML(ctx, s, w, o.Export)
		},
		open: slurp(func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error) {
			return export.ReadKML(r, name, o.CRS)
		}),
	})
}
