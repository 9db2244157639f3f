package review

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
)

// ParseGeometry reads a geometry as officers type it: "lat,lon" (WGS84), WKT
// or GeoJSON (a geometry or a Feature). Empty text is no geometry.
func ParseGeometry(s string) (orb.Geometry, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var g orb.Geometry
	if strings.HasPrefix(s, "{") {
		if f, ferr := geojson.UnmarshalFeature([]byte(s)); ferr == nil && f.Type == "Feature" && f.Geometry != nil {
			g = f.Geometry
		} else if gg, err := gazetteer.ParseGeoJSONGeometry([]byte(s)); err != nil {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "the GeoJSON geometry cannot be read: %v", err)
		} else {
			g = gg
		}
	} else if la, lo, ok := strings.Cut(s, ","); ok && !strings.ContainsAny(s, "()") {
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		if err1 != nil || err2 != nil {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "the point %q is not lat,lon", s)
		}
		g = orb.Point{lon, lat}
	} else {
		var err error
		if g, err = wkt.Unmarshal(s); err != nil {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "the WKT geometry cannot be read: %v", err)
		}
	}
	if err := gazetteer.ValidGeometry(g); err != nil {
		return nil, err
	}
	return g, nil
}
