package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
)

// geographySources are the sources of the shapes in data/src/geography.tsv
// (attribution as its licence requires: docs/data-sources.md).
var geographySources = map[string]gazetteer.Source{
	"gshhg": {ID: "gshhg", Title: "GSHHG 2.3.7 full resolution (Wessel, P., and W. H. F. Smith (1996), A Global Self-consistent, Hierarchical, High-resolution Shoreline Database, J. Geophys. Res., 101(B4), 8741–8743), with its WDB II rivers",
		URL: "https://www.soest.hawaii.edu/pwessel/gshhg/", License: "LGPL-3.0-or-later"},
}

// geographyFiles maps a file named in geography.tsv to its source id.
var geographyFiles = map[string]string{
	"water_polygons.geojson": "gshhg",
	"rivers.geojson":         "gshhg",
}

// applyShapes gives the curated places listed in data/src/geography.tsv the
// polygon or line of their feature in shared/data/geography, replacing the
// point they had: the coordinate's method becomes "digitized", its source the
// file's, its note the table's account of how the name was assigned, and the
// record's licence that of the shape (the point it replaces is no longer in
// the record). It returns how many places got a polygon and a line.
func applyShapes(table, geoDir string, sets ...[]gazetteer.Place) (polys, lines int, err error) {
	rows, err := readTSV(table)
	if err != nil {
		return 0, 0, err
	}
	for id, s := range geographySources {
		sourceByID[id] = s
	}
	byID := map[int64]*gazetteer.Place{}
	for _, set := range sets {
		for i := range set {
			byID[set[i].ID] = &set[i]
		}
	}
	files := map[string]map[string]orb.Geometry{}
	for _, r := range rows {
		where := table + ":" + r["_line"]
		id, err := strconv.ParseInt(r["id"], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: id %q is not a number", where, r["id"])
		}
		p := byID[id]
		if p == nil || p.Name != r["name"] {
			return 0, 0, fmt.Errorf("%s: no curated place %d named %s", where, id, r["name"])
		}
		src, ok := geographyFiles[r["file"]]
		if !ok {
			return 0, 0, fmt.Errorf("%s: file %q has no known source", where, r["file"])
		}
		if files[r["file"]] == nil {
			if files[r["file"]], err = loadFeatures(filepath.Join(geoDir, r["file"])); err != nil {
				return 0, 0, err
			}
		}
		geom, found := files[r["file"]][r["feature"]]
		if found && geom == nil {
			return 0, 0, fmt.Errorf("%s: %s has more than one feature named %s", where, r["file"], r["feature"])
		}
		if !found {
			return 0, 0, fmt.Errorf("%s: %s has no feature named %s", where, r["file"], r["feature"])
		}
		if err := gazetteer.ValidGeometry(geom); err != nil {
			return 0, 0, fmt.Errorf("%s: %s %s: %w", where, r["file"], r["feature"], err)
		}
		acc, err := strconv.ParseFloat(r["accuracy_m"], 64)
		if err != nil || acc <= 0 {
			return 0, 0, fmt.Errorf("%s: accuracy_m %q must be a positive number of metres", where, r["accuracy_m"])
		}
		if r["note"] == "" {
			return 0, 0, fmt.Errorf("%s: a shape needs a note saying how its name was assigned", where)
		}
		p.Geometry = geom
		p.Coord = &gazetteer.Coord{Method: "digitized", AccuracyM: acc, Source: src, Note: r["note"]}
		p.License = geographySources[src].License
		addSource(p, src)
		switch geom.(type) {
		case orb.Polygon, orb.MultiPolygon:
			polys++
		default:
			lines++
		}
	}
	return polys, lines, nil
}

// loadFeatures reads a GeoJSON FeatureCollection and maps each named
// feature to its geometry; a name used twice maps to nil (the table could not
// say which is meant).
func loadFeatures(path string) (map[string]orb.Geometry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]orb.Geometry{}
	for _, f := range fc.Features {
		name, _ := f.Properties["name"].(string)
		if name == "" {
			continue
		}
		if _, dup := out[name]; dup {
			out[name] = nil
			continue
		}
		out[name] = f.Geometry
	}
	return out, nil
}
