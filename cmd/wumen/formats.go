package main

import (
	"context"

	"wumen/gazetteer"
)

// exportOther writes the formats beyond the core text ones.
func exportOther(ctx context.Context, s *gazetteer.Store, format, out string, o gazetteer.ExportOptions) (int, error) {
	return 0, usagef("unknown export format %q (jsonl, geojson, geojsonl, csv)", format)
}
