//go:build !js

package search

import "github.com/paulmach/orb/geojson"

// FeatureCollection writes the hits as an RFC 7946 FeatureCollection of
// their points (hits without a point get a null geometry) with the
// properties geocoder users expect (Hit.properties). adminName resolves an
// admin code to its name for the label; nil uses the admin units in the
// index (Index.AdminName).
//
// It is a server's: orb's geojson package brings the MongoDB BSON codec,
// which the search compiled to WebAssembly leaves out; that build writes the
// same document with FeatureCollectionJSON.
func (ix *Index) FeatureCollection(hits []Hit, adminName func(code string) string) *geojson.FeatureCollection {
	if adminName == nil {
		adminName = ix.AdminName
	}
	fc := geojson.NewFeatureCollection()
	for _, h := range hits {
		var f *geojson.Feature
		if h.Point != nil {
			f = geojson.NewFeature(*h.Point)
		} else {
			f = &geojson.Feature{Type: "Feature"}
		}
		f.ID = h.ID
		f.Properties = h.properties(adminName)
		fc.Append(f)
	}
	return fc
}
