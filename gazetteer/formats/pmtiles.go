package formats

import "wumen/gazetteer/export"

// PMTiles v3: the map's vector tiles (MVT v2, the one tile schema of
// gazetteer/tileset) in one archive, for any static host; written only.
func init() {
	register(Format{
		Name: "pmtiles", Title: "PMTiles v3 archive of the map's vector tiles",
		Exts: []string{".pmtiles"}, MediaType: "application/vnd.pmtiles",
		write: export.WritePMTiles,
	})
}
