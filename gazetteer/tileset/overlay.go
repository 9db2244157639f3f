package tileset

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"wumen/gazetteer"
	"wumen/geo/pmtiles"
	"wumen/geo/tiles"
)

// Overlay is a basemap archive in the tile schema — the street-level
// basemap `wumen basemap build` writes from an OpenStreetMap extract — laid
// over a Set: each tile of the set is served with the archive's tile of
// the same z/x/y merged into it (features of a layer both have joined into
// one layer), and the archive's tiles where the set has none as they are.
// So the shipped low-zoom basemap and the places stay, and the archive adds
// streets, buildings and its finer water where it covers.
type Overlay struct {
	name string
	f    *os.File
	r    *pmtiles.Reader
	// Attribution is the archive's own notice (its metadata's
	// attribution), which the map and the TileJSON must carry.
	Attribution string
	// Bounds is the archive's WGS84 extent.
	Bounds orb.Bound
	// MinZoom and MaxZoom are the archive's zooms.
	MinZoom, MaxZoom maptile.Zoom
}

// OpenOverlay opens a PMTiles archive of gzipped MVT tiles whose layers
// (its metadata's vector_layers) are all layers of the tile schema.
func OpenOverlay(name string) (*Overlay, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	o, err := newOverlay(name, f)
	if err != nil {
		f.Close()
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s: %v", filepath.Base(name), err)
	}
	return o, nil
}

func newOverlay(name string, f *os.File) (*Overlay, error) {
	r, err := pmtiles.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("not a PMTiles archive: %v", err)
	}
	h := r.Header()
	if h.TileType != pmtiles.MVT || h.TileCompression != pmtiles.Gzip {
		return nil, fmt.Errorf("the archive holds tiles of type %d, compression %d; a basemap holds gzipped vector tiles (MVT)", h.TileType, h.TileCompression)
	}
	md, err := r.Metadata()
	if err != nil {
		return nil, err
	}
	for _, l := range md.VectorLayers {
		if schema.Layer(l.ID) == nil {
			return nil, fmt.Errorf("layer %q is not in Wumen's tile schema (gazetteer/tileset/schema.json); build the archive with `wumen basemap build`", l.ID)
		}
	}
	if md.Attribution == "" {
		return nil, fmt.Errorf("the archive's metadata has no attribution, which its data's licence requires the map to show")
	}
	return &Overlay{name: name, f: f, r: r, Attribution: md.Attribution,
		Bounds:  orb.Bound{Min: orb.Point{h.MinLon, h.MinLat}, Max: orb.Point{h.MaxLon, h.MaxLat}},
		MinZoom: maptile.Zoom(h.MinZoom), MaxZoom: maptile.Zoom(h.MaxZoom)}, nil
}

// Close closes the archive.
func (o *Overlay) Close() error { return o.f.Close() }

// tile returns the archive's gzipped tile z/x/y, nil when it has none.
func (o *Overlay) tile(z maptile.Zoom, x, y uint32) ([]byte, error) {
	if z < o.MinZoom || z > o.MaxZoom {
		return nil, nil
	}
	b, err := o.r.Tile(uint8(z), x, y)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(o.name), err)
	}
	return b, nil
}

// each calls fn with every tile of the archive from minZoom to maxZoom.
func (o *Overlay) each(minZoom, maxZoom maptile.Zoom, fn func(t maptile.Tile, gz []byte) error) error {
	return o.r.Entries(func(e pmtiles.Entry) error {
		for id := e.TileID; id < e.TileID+uint64(e.RunLength); id++ {
			z, x, y := pmtiles.IDToZxy(id)
			if maptile.Zoom(z) < minZoom || maptile.Zoom(z) > maxZoom {
				continue
			}
			b, err := o.tile(maptile.Zoom(z), x, y)
			if err != nil {
				return err
			}
			if err := fn(maptile.New(x, y, maptile.Zoom(z)), b); err != nil {
				return err
			}
		}
		return nil
	})
}

// MergeTiles joins two encoded vector tiles (gzipped or not) into one:
// the layers of both, features of a layer in both in one layer (a's first,
// so b's draw on top). The result is not compressed.
func MergeTiles(a, b []byte) ([]byte, error) {
	la, err := tiles.Decode(a)
	if err != nil {
		return nil, err
	}
	lb, err := tiles.Decode(b)
	if err != nil {
		return nil, err
	}
	for _, l := range lb {
		i := slices.IndexFunc(la, func(x *mvt.Layer) bool { return x.Name == l.Name })
		if i < 0 {
			la = append(la, l)
			continue
		}
		if la[i].Extent != l.Extent {
			return nil, fmt.Errorf("layer %q: extents %d and %d differ", l.Name, la[i].Extent, l.Extent)
		}
		la[i].Features = append(la[i].Features, l.Features...)
	}
	slices.SortFunc(la, func(x, y *mvt.Layer) int { return bytes.Compare([]byte(x.Name), []byte(y.Name)) })
	return mvt.Marshal(la)
}
