package export

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer/tileset"
	"wumen/geo/pmtiles"
)

// TestPMTiles reads the export back with the PMTiles reader and orb's MVT
// decoder: zooms, metadata (the tile schema's layers, the basemap's
// attribution), and 北寺塔 in the places layer over land at z14.
func TestPMTiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: renders the tile archive of the dataset")
	}
	s := testStore(t)
	var buf bytes.Buffer
	n, err := WritePMTiles(context.Background(), s, &buf, Options{})
	if err != nil || n != 6 {
		t.Fatalf("WritePMTiles = %d, %v", n, err)
	}
	rd, err := pmtiles.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	h := rd.Header()
	if h.MinZoom != DefaultMinZoom || h.MaxZoom != DefaultMaxZoom {
		t.Errorf("zooms %d–%d", h.MinZoom, h.MaxZoom)
	}
	md, err := rd.Metadata()
	if err != nil || !strings.Contains(md.Attribution, "OpenStreetMap contributors") || !strings.Contains(md.Attribution, "GSHHG") ||
		len(md.VectorLayers) != len(tileset.Schema().Layers) {
		t.Errorf("metadata %+v, %v", md, err)
	}
	tile := maptile.At(Beisita, 14)
	data, err := rd.Tile(14, tile.X, tile.Y)
	if err != nil || data == nil {
		t.Fatalf("tile 14/%d/%d: %v", tile.X, tile.Y, err)
	}
	layers, err := tileset.Schema().CheckTile(data, tile)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]any{}
	for _, l := range layers {
		for _, f := range l.Features {
			names[l.Name] = append(names[l.Name], f.Properties["name"])
		}
	}
	if len(names["land"]) != 1 || !contains(names["places"], "北寺塔") {
		t.Errorf("z14 tile of 北寺塔 holds %v", names)
	}
	// Over 太湖 the same archive has water.
	lake := maptile.At(orb.Point{120.2, 31.2}, 9)
	data, err = rd.Tile(9, lake.X, lake.Y)
	if err != nil || data == nil {
		t.Fatalf("tile 9/%d/%d: %v", lake.X, lake.Y, err)
	}
	if layers, err = tileset.Schema().CheckTile(data, lake); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range layers {
		for _, f := range l.Features {
			found = found || l.Name == "water" && f.Properties["name"] == "太湖"
		}
	}
	if !found {
		t.Error("太湖 not in the water layer of its z9 tile")
	}
}

func contains(vs []any, v any) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
