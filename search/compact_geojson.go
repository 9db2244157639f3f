package search

import (
	"encoding/json"

	"github.com/paulmach/orb"
)

// FeatureCollectionJSON writes the hits as the same RFC 7946
// FeatureCollection as FeatureCollection, with extra foreign members
// (total, attribution, facets) at its top level, as JSON — without orb's
// geojson package, for the search compiled to WebAssembly (search/wasm),
// which leaves that package and the BSON codec it imports out. A test
// holds the two to the same bytes. more, when given, adds properties to
// each feature (the site path of a place's page).
func (ix *Index) FeatureCollectionJSON(hits []Hit, adminName func(code string) string, extra map[string]any, more func(id int64, p map[string]any)) ([]byte, error) {
	if adminName == nil {
		adminName = ix.AdminName
	}
	type point struct {
		Type        string    `json:"type"`
		Coordinates orb.Point `json:"coordinates"`
	}
	type feature struct { // the member order of orb's geojson.Feature
		ID         any            `json:"id,omitempty"`
		Type       string         `json:"type"`
		Geometry   *point         `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	fs := make([]feature, len(hits))
	for i, h := range hits {
		fs[i] = feature{ID: h.ID, Type: "Feature", Properties: h.properties(adminName)}
		if h.Point != nil {
			fs[i].Geometry = &point{Type: "Point", Coordinates: *h.Point}
		}
		if more != nil {
			more(h.ID, fs[i].Properties)
		}
	}
	doc := make(map[string]any, len(extra)+2)
	for k, v := range extra {
		doc[k] = v
	}
	doc["type"], doc["features"] = "FeatureCollection", fs
	return json.Marshal(doc)
}
