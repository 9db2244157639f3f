package export

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"wumen/geo/pmtiles"
)

func TestTileFeatures(t *testing.T) {
	s := testStore(t)
	fs, err := TileFeatures(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 6 { // 姑苏区 has no geometry
		t.Fatalf("%d tile features, want 6", len(fs))
	}
	p := fs[1].Properties
	if p["name"] != "北寺塔" || p["pinyin"] != "Běisì Tǎ" || p["category"] != "纪念地旅游景点" || p["rank"] != 0.7 || p["id"] != int64(3) {
		t.Errorf("北寺塔 tile properties %v", p)
	}
}

func TestPMTiles(t *testing.T) {
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
	if err != nil || !strings.Contains(md.Attribution, "OpenStreetMap contributors") || len(md.VectorLayers) != 5 {
		t.Errorf("metadata %+v, %v", md, err)
	}
	tile := maptile.At(Beisita, 16)
	data, err := rd.Tile(16, tile.X, tile.Y)
	if err != nil || data == nil {
		t.Fatalf("tile 16/%d/%d: %v", tile.X, tile.Y, err)
	}
	layers, err := mvt.UnmarshalGzipped(data)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range layers {
		for _, f := range l.Features {
			if f.Properties["name"] == "北寺塔" && l.Name == "纪念地旅游景点" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("北寺塔 not in its z16 tile")
	}
}
