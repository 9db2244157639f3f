package ogc

import (
	"net/http"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/geo"
)

// OGC API – Features Part 2: Coordinate Reference Systems by Reference
// (OGC 18-058r1). Features are stored in WGS84 longitude, latitude (CRS84,
// the storage CRS); a client may ask for them, and give its bbox, in any CRS
// of outputCRS.

// crsInfo is one CRS the service offers: its URI, the CRS its numbers are
// in, and whether its first axis is latitude (EPSG:4326 and EPSG:4490 are
// defined latitude first, OGC 18-058r1 §6.2 and the EPSG registry; CRS84
// and Wumen's GCJ-02 URN are longitude first).
type crsInfo struct {
	URI    string
	CRS    geo.CRS
	LatLon bool
}

// EPSG URIs of the OGC naming authority.
const (
	EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
	EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
)

// outputCRS lists the CRSs of every collection, storage CRS first. GCJ-02
// has no EPSG code; it is declared by Wumen's URN (geo.GCJ02URI, README:
// "OGC API – Features"), longitude first like CRS84.
var outputCRS = []crsInfo{
	{CRS84, geo.WGS84, false},
	{EPSG4326, geo.WGS84, true},
	{EPSG4490, geo.CGCS2000, true},
	{geo.GCJ02URI, geo.GCJ02, false},
}

// crsURIs returns the URIs of outputCRS, for a collection's crs list.
func crsURIs() []string {
	out := make([]string, len(outputCRS))
	for i, c := range outputCRS {
		out[i] = c.URI
	}
	return out
}

// parseCRSParam reads the crs, bbox-crs or filter-crs parameter (param):
// one of outputCRS's URIs (angle brackets around it allowed, as the
// Content-Crs header writes it), CRS84 when absent.
func parseCRSParam(param, v string) (crsInfo, error) {
	v = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "<"), ">")
	if v == "" {
		return outputCRS[0], nil
	}
	for _, c := range outputCRS {
		if c.URI == v {
			return c, nil
		}
	}
	return crsInfo{}, invalid(param, param+" must be one of "+strings.Join(crsURIs(), ", "))
}

// toCRS returns a copy of the stored (CRS84) geometry g in c, axes in c's
// order.
func (c crsInfo) toCRS(g orb.Geometry) orb.Geometry {
	out := geo.FromWGS84(g, c.CRS)
	if c.LatLon {
		out = geo.SwapAxes(out)
	}
	return out
}

// toStorage returns the bound b, given in c (axes in c's order), as a CRS84
// bound: the bound of its transformed corners.
func (c crsInfo) toStorage(b orb.Bound) orb.Bound {
	var g orb.Geometry = orb.MultiPoint{b.Min, {b.Min[0], b.Max[1]}, b.Max, {b.Max[0], b.Min[1]}}
	if c.LatLon {
		g = geo.SwapAxes(g)
	}
	return geo.ToWGS84(g, c.CRS).Bound()
}

// pointToStorage returns the point p, given in c, in CRS84.
func (c crsInfo) pointToStorage(p orb.Point) orb.Point {
	if c.LatLon {
		p = orb.Point{p[1], p[0]}
	}
	return geo.ToWGS84(p, c.CRS).(orb.Point)
}

// parseBBoxIn reads the bbox parameter in the CRS c, in c's axis order
// (OGC 17-069r4 §7.15.3; 18-058r1 §6.2.2 for bbox-crs), returned in CRS84.
func parseBBoxIn(v string, c crsInfo) (orb.Bound, error) {
	first, second := "minLon,minLat", "maxLon,maxLat"
	if c.LatLon {
		first, second = "minLat,minLon", "maxLat,maxLon"
	}
	bad := invalid("bbox", "bbox must be "+first+","+second+" in "+c.URI+" (bbox-crs), lower corner first")
	b, ok := gazetteer.BBoxCorners(v)
	if !ok {
		return orb.Bound{}, bad
	}
	lon, lat := 0, 1
	if c.LatLon {
		lon, lat = 1, 0
	}
	if b.Min[lon] < -180 || b.Max[lon] > 180 || b.Min[lat] < -90 || b.Max[lat] > 90 {
		return orb.Bound{}, bad
	}
	if c.CRS == geo.WGS84 || c.CRS == geo.CGCS2000 {
		if c.LatLon {
			return orb.Bound{Min: orb.Point{b.Min[1], b.Min[0]}, Max: orb.Point{b.Max[1], b.Max[0]}}, nil
		}
		return b, nil
	}
	return c.toStorage(b), nil
}

// setContentCRS writes the Content-Crs header (OGC 18-058r1 §6.2.4,
// /req/crs/ogc-crs-header): the URI in angle brackets.
func setContentCRS(w http.ResponseWriter, c crsInfo) {
	w.Header().Set("Content-Crs", "<"+c.URI+">")
}
