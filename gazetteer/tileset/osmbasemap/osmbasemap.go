// Package osmbasemap builds Wumen's street-level basemap from an
// OpenStreetMap extract: its streets and lanes by class, waters (areas and
// waterways), parks, buildings and place labels, as a PMTiles archive in
// the one tile schema (gazetteer/tileset/schema.json) that `wumen serve`
// and the static build lay over the shipped low-zoom basemap
// (tileset.Overlay). This is `wumen basemap build EXTRACT`.
//
// The extract is read as a stream by geo/osm (PBF, XML, Overpass JSON); a
// rule table (data/osm_basemap.tsv, the condition syntax of
// data/osm_tags.tsv) decides each object's layer, kind and first zoom, and
// the name table (data/osm_names.tsv) its label. Lines and areas are cut
// into tiles by geo/tiles, which simplifies them in tile units at each zoom,
// so a lane that is detail at z16 is a few points at z13 and gone below.
// The archive's metadata carries the ODbL attribution OpenStreetMap's
// licence requires (https://www.openstreetmap.org/copyright).
package osmbasemap

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/osm"

	"wumen/gazetteer"
	"wumen/gazetteer/osmimport"
	"wumen/gazetteer/tileset"
	"wumen/geo"
	geosm "wumen/geo/osm"
	"wumen/geo/pmtiles"
)

// Attribution is the notice of an archive built from OpenStreetMap data
// (ODbL 1.0 §4.3: "© OpenStreetMap contributors", as
// https://www.openstreetmap.org/copyright asks).
const Attribution = "Streets, water and buildings of the street basemap © OpenStreetMap contributors (ODbL 1.0, https://www.openstreetmap.org/copyright)"

// Rule is one row of the basemap table (data/osm_basemap.tsv).
type Rule struct {
	Line        int // in the table
	When        string
	conds       geosm.Conditions
	Layer, Kind string
	MinZoom     int
	area        bool // the layer holds polygons
	point       bool // the layer holds points
}

// Table is the basemap's rule table and the name table that labels.
type Table struct {
	Rules []*Rule
	names *osmimport.Mapping
}

// ParseTable reads the basemap table and the name table (their file names
// are for errors), checking every layer against the tile schema.
func ParseTable(rules []byte, rulesName string, names []byte, namesName string) (*Table, error) {
	m, err := osmimport.ParseMapping(nil, "", names, namesName, nil)
	if err != nil {
		return nil, err
	}
	t := &Table{names: m}
	err = geosm.EachRow(rules, rulesName, 4, func(line int, f []string) error {
		where := fmt.Sprintf("%s:%d", rulesName, line)
		r := &Rule{Line: line, When: f[0], Layer: f[1], Kind: f[2]}
		if r.conds, err = geosm.ParseConditions(f[0]); err != nil {
			return fmt.Errorf("%s: when: %v", where, err)
		}
		l := tileset.Schema().Layer(f[1])
		if l == nil {
			return fmt.Errorf("%s: layer: %q is not a layer of the tile schema (gazetteer/tileset/schema.json)", where, f[1])
		}
		r.area, r.point = l.Geometry[0] == "Polygon", l.Geometry[0] == "Point"
		if r.MinZoom, err = strconv.Atoi(f[3]); err != nil || r.MinZoom < l.MinZoom || r.MinZoom > l.MaxZoom {
			return fmt.Errorf("%s: minzoom: %q is not a zoom of layer %s (%d–%d)", where, f[3], l.ID, l.MinZoom, l.MaxZoom)
		}
		if f[2] == "" {
			return fmt.Errorf("%s: kind: empty", where)
		}
		t.Rules = append(t.Rules, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Match returns the first rule the tags meet, or nil.
func (t *Table) Match(tags osm.Tags) *Rule {
	name, _ := t.names.Label(tags)
	for _, r := range t.Rules {
		if r.conds.Holds(tags, name) {
			return r
		}
	}
	return nil
}

// Options configure Build.
type Options struct {
	// TempDir holds the reader's node and way indexes ("" for the system's).
	TempDir string
	// Progress, when set, is called during the read (geo/osm Reader).
	Progress func(geosm.Stats)
}

// Stats says what a build read and wrote.
type Stats struct {
	Read geosm.Stats
	// Features counts the features drawn, by layer.
	Features map[string]int
	// Broken lists objects that could not be drawn and why (an area whose
	// way does not close, a relation with members missing).
	Broken []string
	// Tiles is the number of tiles written.
	Tiles int
	// Bounds is the WGS84 extent of the features.
	Bounds orb.Bound
}

// maxBroken bounds the broken objects listed (the count is in the message).
const maxBroken = 100

// Build reads the extract and writes its basemap archive to w.
func Build(ctx context.Context, extract string, t *Table, w io.Writer, o Options) (Stats, error) {
	st := Stats{Features: map[string]int{}}
	var feats []*geojson.Feature
	broken := 0
	rd := &geosm.Reader{TempDir: o.TempDir, Progress: o.Progress,
		Keep: func(_ string, tags osm.Tags) bool { return t.Match(tags) != nil }}
	read, err := rd.ReadFile(ctx, extract, func(obj *geosm.Object) error {
		r := t.Match(obj.Tags)
		if r == nil {
			return nil
		}
		g, why := shape(r, obj)
		if why != "" {
			if broken++; broken <= maxBroken {
				st.Broken = append(st.Broken, obj.Ref()+": "+why)
			}
			return nil
		}
		if g == nil {
			return nil
		}
		feats = append(feats, t.feature(r, obj, g))
		st.Features[r.Layer]++
		return nil
	})
	st.Read = read
	if broken > maxBroken {
		st.Broken = append(st.Broken, fmt.Sprintf("… and %d more", broken-maxBroken))
	}
	if err != nil {
		if ctx.Err() != nil {
			return st, ctx.Err()
		}
		return st, gazetteer.Errorf(gazetteer.EInvalid, "%v", err)
	}
	if len(feats) == 0 {
		return st, gazetteer.Errorf(gazetteer.EInvalid, "%s: no street, water, building or place of data/osm_basemap.tsv in the extract: nothing to draw", extract)
	}
	set, err := tileset.FromFeatures(feats, true)
	if err != nil {
		return st, err
	}
	st.Bounds = set.Bounds
	st.Tiles, err = set.WritePMTiles(w, tileset.MinZoom, tileset.MaxZoom, pmtiles.Metadata{
		Name: "wumen-osm-basemap", Description: "Street-level basemap from an OpenStreetMap extract (wumen basemap build)",
		Attribution: Attribution, Type: "baselayer", Version: "1"})
	return st, err
}

// shape is the geometry an object is drawn with in its rule's layer: areas
// as polygons (a closed way is its ring), lines as lines, labels as points
// (an area's label at a point inside it). why says why an object cannot be
// drawn; a nil geometry with no why is an object the layer does not take
// (a line tagged as a place).
func shape(r *Rule, o *geosm.Object) (orb.Geometry, string) {
	if o.Err != nil {
		return nil, o.Err.Error()
	}
	g := o.Geometry
	switch {
	case r.point:
		switch g.(type) {
		case orb.Point:
			return g, ""
		case orb.Polygon, orb.MultiPolygon:
			return geo.InteriorPoint(g), ""
		case orb.LineString:
			if o.Closed {
				return geo.InteriorPoint(orb.Polygon{orb.Ring(g.(orb.LineString))}), ""
			}
		}
		return nil, ""
	case r.area:
		switch t := g.(type) {
		case orb.Polygon, orb.MultiPolygon:
			return g, ""
		case orb.LineString:
			if !o.Closed || len(t) < 4 {
				return nil, fmt.Sprintf("%s=%s is an area, but the way does not close", r.conds.Tag(o.Tags), r.Kind)
			}
			return orb.Polygon{orb.Ring(t)}, ""
		}
		return nil, ""
	}
	switch g.(type) {
	case orb.LineString, orb.MultiLineString:
		return g, ""
	}
	return nil, ""
}

// feature is the tile feature of an object drawn by rule r.
func (t *Table) feature(r *Rule, o *geosm.Object, g orb.Geometry) *geojson.Feature {
	f := geojson.NewFeature(g)
	f.Properties = geojson.Properties{"layer": r.Layer, "kind": r.Kind, "source": "osm"}
	if r.MinZoom > 0 {
		f.Properties["minzoom"] = r.MinZoom
	}
	fields := tileset.Schema().Layer(r.Layer).Fields
	name, latin := t.names.Label(o.Tags)
	if _, ok := fields["name"]; ok && name != "" {
		f.Properties["name"] = name
	}
	if _, ok := fields["name_en"]; ok && latin != "" {
		f.Properties["name_en"] = latin
	}
	if _, ok := fields["bridge"]; ok {
		if b := o.Tags.Find("bridge"); b != "" && b != "no" {
			f.Properties["bridge"] = true
		}
	}
	return f
}
