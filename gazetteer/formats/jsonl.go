package formats

import (
	"context"
	"io"
	"path/filepath"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
)

// JSON Lines: one Wumen record a line, exactly as stored; the whole record.
func init() {
	register(Format{
		Name: "jsonl", Title: "JSON Lines, one Wumen record a line (the whole record)",
		Exts: []string{".jsonl", ".ndjson"}, MediaType: "application/jsonl; charset=utf-8",
		write: func(ctx context.Context, s *gazetteer.Store, w io.Writer, o export.Options) (int, error) {
			return s.WriteJSONL(ctx, w, o.Export)
		},
		open: func(name string, o ReadOptions) (*Input, error) {
			fh, err := openFile(name)
			if err != nil {
				return nil, err
			}
			return &Input{Records: gazetteer.JSONLRecords(fh, filepath.Base(name), o.CRS), Close: fh.Close}, nil
		},
	})
}
