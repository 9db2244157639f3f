package export

import (
	"context"
	"io"
	"sort"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/geo/pmtiles"
	"wumen/geo/tiles"
)

// Default zooms of a PMTiles export: the whole city (5) to a street (16).
const (
	DefaultMinZoom = 5
	DefaultMaxZoom = 16
)

// tileFeature is the compact form of a place on the map: id, name, pinyin,
// category (the 大类, which names the MVT layer) and rank.
func tileFeature(p *gazetteer.Place, o gazetteer.ExportOptions) *geojson.Feature {
	f := geojson.NewFeature(project(p.Geometry, o.CRS))
	f.ID = p.ID
	f.Properties = geojson.Properties{"id": p.ID, "name": p.Name, "pinyin": p.Pinyin, "category": p.Category.Class, "rank": p.Rank}
	if p.Category.Subclass != "" {
		f.Properties["subcategory"] = p.Category.Subclass
	}
	if p.Status != gazetteer.StatusCurrent {
		f.Properties["status"] = string(p.Status)
	}
	return f
}

// TileFeatures returns every place with a geometry as a compact WGS84
// feature (properties id, name, pinyin, category, rank; subcategory and a
// non-current status when set) for vector tiles: the site's
// /tiles/{z}/{x}/{y}.mvt and the PMTiles export both cut these with
// geo/tiles.
func TileFeatures(ctx context.Context, s *gazetteer.Store) ([]*geojson.Feature, error) {
	return tileFeatures(ctx, s, gazetteer.ExportOptions{})
}

func tileFeatures(ctx context.Context, s *gazetteer.Store, o gazetteer.ExportOptions) ([]*geojson.Feature, error) {
	var out []*geojson.Feature
	_, err := each(ctx, s, o, func(p *gazetteer.Place) error {
		if p.Geometry != nil {
			out = append(out, tileFeature(p, o))
		}
		return nil
	})
	return out, err
}

// WritePMTiles writes the selected places with a geometry as a PMTiles v3
// archive of gzipped MVT tiles, one layer per 大类, zooms o.MinZoom–o.MaxZoom
// (default 5–16), with the attribution and the CRS in its metadata. Tiles
// are Web Mercator by definition; a GCJ-02 or BD-09 export shifts the
// features so they sit on those basemaps, and says so in the description.
// The tile set is held in memory while it is written (geo/pmtiles clusters
// and deduplicates it); it returns the number of places tiled.
func WritePMTiles(ctx context.Context, s *gazetteer.Store, w io.Writer, o Options) (int, error) {
	minZ, maxZ := o.MinZoom, o.MaxZoom
	if minZ == 0 && maxZ == 0 {
		minZ, maxZ = DefaultMinZoom, DefaultMaxZoom
	}
	feats, err := tileFeatures(ctx, s, o.Export)
	if err != nil {
		return 0, err
	}
	if len(feats) == 0 {
		return 0, gazetteer.Errorf(gazetteer.EInvalid, "no place with a position matches: nothing to tile")
	}
	ix, err := tiles.NewIndex(feats, tiles.Options{Gzip: true})
	if err != nil {
		return 0, err
	}
	layers := map[string]bool{}
	for _, f := range feats {
		layers[f.Properties["category"].(string)] = true
	}
	names := make([]string, 0, len(layers))
	for n := range layers {
		names = append(names, n)
	}
	sort.Strings(names)
	var vl []pmtiles.VectorLayer
	for _, n := range names {
		vl = append(vl, pmtiles.VectorLayer{ID: n, Description: "Places of the census class " + n, MinZoom: minZ, MaxZoom: maxZ,
			Fields: map[string]string{"id": "Number", "name": "String", "pinyin": "String", "category": "String",
				"subcategory": "String", "status": "String", "rank": "Number"}})
	}
	pw := pmtiles.NewWriter(pmtiles.Options{Metadata: pmtiles.Metadata{
		Name:         "Wumen 吴门 — Suzhou place names",
		Description:  "Place names (地名) of Suzhou. Coordinates: " + CRSLabel(o.Export.CRS) + ".",
		Attribution:  gazetteer.Attribution,
		Type:         "overlay",
		Version:      "1",
		VectorLayers: vl,
	}})
	err = ix.BuildAll(maptile.Zoom(minZ), maptile.Zoom(maxZ), func(t maptile.Tile, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return pw.Add(uint8(t.Z), t.X, t.Y, data)
	})
	if err != nil {
		return 0, err
	}
	if _, err := pw.WriteTo(w); err != nil {
		return 0, err
	}
	return len(feats), nil
}
