// Package basemap is the land, water and city-label data under Wumen's map,
// derived from GSHHG 2.3.7 and Natural Earth by
// `go run ./data/basemap/internal/gen` (see README.md). GeoJSON holds one
// RFC 7946 FeatureCollection whose features carry the tile layer they
// belong to ("layer": land, water, waterway, place_label), a "kind", the
// names (name, name_en) and the key of their source. This package imports
// only the standard library.
package basemap

import _ "embed"

// GeoJSON is basemap.geojson.
//
//go:embed basemap.geojson
var GeoJSON []byte

// Attribution is the notice of the basemap on its own: GSHHG's LGPL-3+
// requires it; Natural Earth (public domain) asks for it (LabelsAttribution).
const Attribution = "Coastline, lake and river data: GSHHG 2.3.7, Wessel & Smith (1996), GNU LGPL v3+; " + LabelsAttribution

// LabelsAttribution is the Natural Earth part of Attribution: what a notice
// that already credits GSHHG (the gazetteer's, whose lake shapes come from
// the same release) adds for the basemap.
const LabelsAttribution = "city labels: Made with Natural Earth (public domain)"
