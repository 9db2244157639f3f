package geo

import (
	"fmt"
	"strings"
)

// GCJ02URI is the identifier Wumen gives GCJ-02, which has no EPSG code:
// a URN of this project, declared in the OGC service's crs lists (OGC API –
// Features Part 2 §6.2 lets a server list CRSs by any URI) and in the files
// Wumen writes, so a reader can tell such coordinates from WGS84.
const GCJ02URI = "urn:wumen:def:crs:gcj02"

// BD09URI is Wumen's identifier for BD-09, Baidu's offset on GCJ-02.
const BD09URI = "urn:wumen:def:crs:bd09"

// URI returns the CRS identifier of c as OGC API – Features Part 2 and the
// OGC naming authority write them: CRS84 (longitude first) for WGS84, the
// EPSG URI for CGCS2000, and Wumen's URNs for the offset systems.
func (c CRS) URI() string {
	switch c {
	case 0, WGS84:
		return "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	case CGCS2000:
		return "http://www.opengis.net/def/crs/EPSG/0/4490"
	case GCJ02:
		return GCJ02URI
	case BD09:
		return BD09URI
	}
	return ""
}

// ParseCRSID reads a CRS as files and services name it: the names ParseCRS
// takes, OGC URIs (http://www.opengis.net/def/crs/EPSG/0/4326, …/OGC/1.3/
// CRS84), OGC URNs (urn:ogc:def:crs:EPSG::4490, urn:ogc:def:crs:OGC:1.3:
// CRS84), and Wumen's URNs for GCJ-02 and BD-09.
func ParseCRSID(s string) (CRS, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "https://")
	t = strings.TrimPrefix(t, "http://")
	switch t {
	case "www.opengis.net/def/crs/ogc/1.3/crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "crs84",
		"www.opengis.net/def/crs/epsg/0/4326", "urn:ogc:def:crs:epsg::4326":
		return WGS84, nil
	case "www.opengis.net/def/crs/epsg/0/4490", "urn:ogc:def:crs:epsg::4490":
		return CGCS2000, nil
	case GCJ02URI, "gcj-02":
		return GCJ02, nil
	case BD09URI, "bd-09":
		return BD09, nil
	}
	if c, err := ParseCRS(s); err == nil {
		return c, nil
	}
	return 0, fmt.Errorf("geo: unknown CRS %q (want wgs84, cgcs2000, gcj02, bd09, an EPSG code 4326 or 4490, or its OGC URI)", s)
}

// SameDatum reports whether coordinates in a and b are the same numbers:
// equal CRSs, or WGS84 and CGCS2000 (the same to centimetres here, docs/domain.md
// §7). The zero CRS is WGS84.
func SameDatum(a, b CRS) bool {
	w := func(c CRS) bool { return c == 0 || c == WGS84 || c == CGCS2000 }
	return a == b || (w(a) && w(b))
}
