package osmimport

import (
	"wumen/gazetteer"
	geosm "wumen/geo/osm"
)

// Format is the name an import's --format gives OpenStreetMap extracts.
const Format = "osm"

// Extracts reports whether an import of files reads OpenStreetMap: format
// is Format, or format is empty and every file is an extract by its name or
// first bytes (.osm.pbf, .osm, .osm.bz2, .osm.gz, Overpass JSON: geo/osm's
// Sniff). Extracts mixed with other files are an EInvalid error: they are
// imported on their own, conflated with the places held, not as records.
func Extracts(files []string, format string) (bool, error) {
	if format != "" {
		return format == Format, nil
	}
	n := 0
	for _, f := range files {
		if _, ok := geosm.Sniff(f); ok {
			n++
		}
	}
	if n > 0 && n < len(files) {
		return false, gazetteer.Errorf(gazetteer.EInvalid, "OpenStreetMap extracts are imported on their own, not with other files")
	}
	return n > 0, nil
}
