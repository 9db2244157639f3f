package export

import (
	"context"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
	"wumen/geo/pmtiles"
)

// Default zooms of a PMTiles export: the whole city (5) to the tile set's
// deepest zoom (14, which maps overzoom to street level).
const (
	DefaultMinZoom = 5
	DefaultMaxZoom = tileset.MaxZoom
)

// WritePMTiles writes the selected places with a position, over the basemap
// (land, water, waterways, city labels), as a PMTiles v3 archive of gzipped
// MVT tiles in the tile schema of gazetteer/tileset — the same tiles as the
// site's /tiles and the static build — zooms o.MinZoom–o.MaxZoom (default
// 5–14), with the schema's vector_layers, the attribution and the CRS in
// its metadata. Tiles are Web Mercator by definition; a GCJ-02 or BD-09
// export shifts the features so they sit on those basemaps, and says so in
// the description. It returns the number of places tiled.
func WritePMTiles(ctx context.Context, s *gazetteer.Store, w io.Writer, o Options) (int, error) {
	minZ, maxZ := o.MinZoom, o.MaxZoom
	if minZ == 0 && maxZ == 0 {
		minZ, maxZ = DefaultMinZoom, DefaultMaxZoom
	}
	if minZ < 0 || maxZ > tileset.MaxZoom || minZ > maxZ {
		return 0, gazetteer.Errorf(gazetteer.EInvalid, "tile zooms %d–%d: the tile set has zooms 0–%d", minZ, maxZ, tileset.MaxZoom)
	}
	var places []*gazetteer.Place
	if _, err := each(ctx, s, o.Export, func(p *gazetteer.Place) error {
		places = append(places, p)
		return nil
	}); err != nil {
		return 0, err
	}
	to := o.Export.CRS
	set, err := tileset.Build(places, tileset.Options{Gzip: true, Project: func(g orb.Geometry) orb.Geometry { return project(g, to) }})
	if err != nil {
		return 0, err
	}
	if set.Places == 0 {
		return 0, gazetteer.Errorf(gazetteer.EInvalid, "no place with a position matches: nothing to tile")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	_, err = set.WritePMTiles(w, maptile.Zoom(minZ), maptile.Zoom(maxZ), pmtiles.Metadata{
		Name:        "Wumen 吴门 — Suzhou place names",
		Description: "Place names (地名) of Suzhou over a basemap of land and water. Coordinates: " + CRSLabel(o.Export.CRS) + ".",
		Type:        "baselayer",
		Version:     "2",
	})
	if err != nil {
		return 0, err
	}
	return set.Places, nil
}
