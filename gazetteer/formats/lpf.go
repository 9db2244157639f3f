package formats

import (
	"bytes"
	"io"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/geo/lpf"
)

// Linked Places (JSON-LD) and LP-TSV, the World Historical Gazetteer's
// contribution formats.
func init() {
	register(Format{
		Name: "lpf", Title: "Linked Places format (JSON-LD), for the World Historical Gazetteer",
		Exts: []string{".jsonld"}, MediaType: "application/ld+json",
		Lost:  export.LPFLost(),
		write: export.WriteLPF,
		open: slurp(func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error) {
			return export.ReadLPF(r, name, o.CRS)
		}),
	})
	register(Format{
		Name: "lptsv", Title: "LP-TSV, the World Historical Gazetteer's tabular upload format",
		Exts: []string{".tsv"}, MediaType: "text/tab-separated-values; charset=utf-8",
		Lost: export.LPTSVLost(), Sidecar: true, // WHG's columns are fixed: the loss is said in all.tsv.json
		// A .tsv is LP-TSV when its header begins id, title, title_source.
		Claims: func(head []byte) bool {
			return bytes.HasPrefix(head, []byte(lpf.TSVHeader[0]+"\t"+lpf.TSVHeader[1]+"\t"+lpf.TSVHeader[2]+"\t"))
		},
		write: export.WriteLPTSV,
		open: slurp(func(r io.Reader, name string, o ReadOptions) ([]gazetteer.Input, error) {
			return export.ReadLPTSV(r, name, o.CRS)
		}),
	})
}
