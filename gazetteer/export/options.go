package export

import "wumen/gazetteer"

// Options are the export options of this package's formats: the core
// gazetteer options plus what only some formats use.
type Options struct {
	Export gazetteer.ExportOptions
	// BaseURI prefixes place ids in Linked Places @id, relationTo and
	// LP-TSV title_uri (DefaultBaseURI when empty).
	BaseURI string
	// MinZoom and MaxZoom bound a PMTiles archive (default 5–16).
	MinZoom, MaxZoom int
}

func (o Options) baseURI() string {
	if o.BaseURI == "" {
		return DefaultBaseURI
	}
	return o.BaseURI
}
