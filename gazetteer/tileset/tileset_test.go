package tileset

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/geo/gdaltest"
	"wumen/geo/pmtiles"
	"wumen/geo/tiles"
)

var (
	placesOnce sync.Once
	placesAll  []*gazetteer.Place
	placesErr  error
)

// shipped returns every place of the shipped dataset, read back from a
// freshly seeded store (so labels and romanization are the store's).
func shipped(t testing.TB) []*gazetteer.Place {
	t.Helper()
	placesOnce.Do(func() {
		ctx := context.Background()
		st, err := sqlite.Open(filepath.Join(os.TempDir(), "wumen-tileset-test-"+time.Now().Format("150405.000000")+".db"))
		if err != nil {
			placesErr = err
			return
		}
		defer st.Close()
		if _, placesErr = st.Seed(ctx, data.FS, nil); placesErr != nil {
			return
		}
		placesErr = st.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
			placesAll = append(placesAll, p)
			return nil
		})
	})
	if placesErr != nil {
		t.Fatal(placesErr)
	}
	return placesAll
}

func TestEveryTileFollowsTheSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: renders every tile of the dataset")
	}
	set, err := Build(shipped(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n := 0
	err = set.Each(MinZoom, MaxZoom, func(tl maptile.Tile, b []byte) error {
		n++
		_, err := Schema().CheckTile(b, tl)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tiles z%d–%d in %v", n, MinZoom, MaxZoom, time.Since(start))
}

// TestGDALReadsTheTiles writes the tiles of the old city and 太湖 at z12
// from a PMTiles archive of the set as a tile directory (z/x/y.pbf and
// metadata.json, the layout GDAL's MVT driver reads) and opens it with
// ogrinfo: GDAL must find the schema's layers with the lake and the places.
func TestGDALReadsTheTiles(t *testing.T) {
	set, err := Build(shipped(t), Options{Gzip: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := set.WritePMTiles(&buf, 12, 12, pmtiles.Metadata{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	rd, err := pmtiles.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	md, err := rd.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, p := range []orb.Point{{120.62, 31.31}, {120.25, 31.14}} {
		tl := maptile.At(p, 12)
		data, err := rd.Tile(12, tl.X, tl.Y)
		if err != nil || data == nil {
			t.Fatalf("tile 12/%d/%d: %v", tl.X, tl.Y, err)
		}
		f := filepath.Join(dir, "12", strconv.Itoa(int(tl.X)), strconv.Itoa(int(tl.Y))+".pbf")
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		// GDAL reads .pbf tiles gzipped or not; keep them as archived.
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	layers, _ := json.Marshal(map[string]any{"vector_layers": md.VectorLayers})
	meta, _ := json.Marshal(map[string]any{"name": "wumen", "format": "pbf", "minzoom": "12", "maxzoom": "12", "json": string(layers)})
	if err := os.WriteFile(filepath.Join(dir, "metadata.json"), meta, 0o644); err != nil {
		t.Fatal(err)
	}
	out := gdaltest.Quiet(t, "ogrinfo", "-ro", "-al", "-oo", "METADATA_FILE="+filepath.Join(dir, "metadata.json"), filepath.Join(dir, "12"))
	for _, want := range []string{"Layer name: land", "Layer name: water", "Layer name: waterway", "Layer name: places",
		"name (String) = 太湖", "name (String) = 京杭大运河", "kind (String) = lake", "class (String) = 纪念地旅游景点"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo of the tile directory lacks %q", want)
		}
	}
}

// TestSchemaFile: schema.json parses, and every layer has a zoom range
// within the set's and fields for every attribute Build writes.
func TestSchemaFile(t *testing.T) {
	s, err := tiles.ParseSchema(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range s.Layers {
		if l.MinZoom < MinZoom || l.MaxZoom > MaxZoom {
			t.Errorf("layer %s: zooms %d–%d outside %d–%d", l.ID, l.MinZoom, l.MaxZoom, MinZoom, MaxZoom)
		}
	}
	if _, err := tiles.ParseSchema([]byte(`{"layers":[{"id":"a","minzoom":3,"maxzoom":2,"geometry":["Point"]}]}`)); err == nil ||
		!strings.Contains(err.Error(), `layer 1 ("a")`) {
		t.Errorf("a bad zoom range: %v", err)
	}
}
