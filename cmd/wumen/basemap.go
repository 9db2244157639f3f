package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/tileset/osmbasemap"
	geosm "wumen/geo/osm"
)

func init() {
	register(&command{name: "basemap", args: "build EXTRACT", help: "build the street-level basemap (PMTiles) from an OpenStreetMap extract", run: cmdBasemap})
}

// cmdBasemap is `wumen basemap build EXTRACT [-o FILE]`: the extract's
// streets, waters, parks, buildings and place labels, mapped by
// data/osm_basemap.tsv, written as a PMTiles archive in the site's tile
// schema, which `serve --osm-basemap FILE` and `build-site --osm-basemap
// FILE` lay over the shipped basemap. The archive is written whole or not
// at all (a temporary file renamed at the end).
func cmdBasemap(ctx context.Context, e *env, args []string) error {
	c := &command{name: "basemap"}
	fs := e.flags(c)
	out := fs.String("o", "basemap.pmtiles", "the archive to write")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "build" {
		return usagef("usage: wumen basemap build EXTRACT [-o basemap.pmtiles] (EXTRACT: .osm.pbf, .osm(.bz2/.gz) or Overpass .json)")
	}
	extract := pos[1]
	fi, err := os.Stat(extract)
	if err != nil {
		return gazetteer.Errorf(gazetteer.ENotFound, "%v", err)
	}
	rules, _ := data.FS.ReadFile("osm_basemap.tsv")
	names, _ := data.FS.ReadFile("osm_names.tsv")
	table, err := osmbasemap.ParseTable(rules, "data/osm_basemap.tsv", names, "data/osm_names.tsv")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".basemap-*.pmtiles")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	o := osmbasemap.Options{TempDir: filepath.Dir(*out)}
	prog, done := e.progress(int(fi.Size()), "reading "+extract)
	if prog != nil {
		o.Progress = func(st geosm.Stats) { prog(int(st.Bytes)) }
	}
	t0 := time.Now()
	st, err := osmbasemap.Build(ctx, extract, table, tmp, o)
	done()
	for _, b := range st.Broken {
		fmt.Fprintf(e.stdout, "broken\t%s\n", b)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	size := int64(0)
	if fi, err := os.Stat(*out); err == nil {
		size = fi.Size()
	}
	var layers []string
	for _, l := range slices.Sorted(maps.Keys(st.Features)) {
		layers = append(layers, fmt.Sprintf("%d %s", st.Features[l], l))
	}
	sec := time.Since(t0).Seconds()
	fmt.Fprintf(e.stdout, "wrote %s: %d tiles (z0–14), %d bytes, in %.1f s (%.0f tiles/s); %d nodes, %d ways, %d relations read; drawn: %s; %d broken\n",
		*out, st.Tiles, size, sec, float64(st.Tiles)/sec, st.Read.Nodes, st.Read.Ways, st.Read.Relations, strings.Join(layers, ", "), len(st.Broken))
	fmt.Fprintf(e.stdout, "serve it with: wumen serve --osm-basemap %s (or wumen build-site DIR --osm-basemap %s)\n", *out, *out)
	return nil
}
