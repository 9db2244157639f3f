//go:build !js

package gazetteer

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

// wireGeometry is a place's geometry in its JSON record: an RFC 7946
// geometry object (orb's geojson package).
type wireGeometry = geojson.Geometry

func newWireGeometry(g orb.Geometry) *wireGeometry { return geojson.NewGeometry(g) }

// unmarshalWKT and marshalWKT read and write a geometry as WKT in CSV
// (orb's wkt package).
func unmarshalWKT(s string) (orb.Geometry, error) { return wkt.Unmarshal(s) }

func marshalWKT(g orb.Geometry) string { return wkt.MarshalString(g) }
