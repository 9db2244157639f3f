package formats

import (
	"context"
	"io"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
)

// GeoJSON (RFC 7946) as one FeatureCollection, as newline-delimited
// features, and as an RFC 8142 text sequence; each feature's properties are
// the whole Wumen record.
func init() {
	readSeq := func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error) {
		return gazetteer.ReadGeoJSONSeq(r, name, gazetteer.GeoJSONOptions{CRS: o.CRS, Categories: o.Categories})
	}
	register(Format{
		Name: "geojson", Title: "GeoJSON FeatureCollection (RFC 7946)",
		Exts: []string{".geojson", ".json"}, MediaType: "application/geo+json",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			return s.WriteGeoJSON(ctx, w, o.Export, false)
		},
		open: slurp(func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error) {
			return gazetteer.ReadGeoJSONWith(r, name, gazetteer.GeoJSONOptions{CRS: o.CRS, Categories: o.Categories})
		}),
	})
	register(Format{
		Name: "geojsonl", Title: "newline-delimited GeoJSON features",
		Exts: []string{".geojsonl"}, MediaType: "application/x-ndjson",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			return s.WriteGeoJSON(ctx, w, o.Export, true)
		},
		open: slurp(readSeq),
	})
	register(Format{
		// RFC 8142: records led by U+001E, the only form
		// application/geo+json-seq names.
		Name: "geojsonseq", Title: "GeoJSON text sequence (RFC 8142)",
		Exts: []string{".geojsons", ".geojsonseq"}, MediaType: "application/geo+json-seq",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			o.Export.Seq = true
			return s.WriteGeoJSON(ctx, w, o.Export, true)
		},
		open: slurp(readSeq),
	})
}
