package geo

import "testing"

func TestCRSURIRoundTrip(t *testing.T) {
	for _, c := range []CRS{WGS84, CGCS2000, GCJ02, BD09} {
		got, err := ParseCRSID(c.URI())
		if err != nil || got != c {
			t.Errorf("ParseCRSID(%q) = %v, %v; want %v", c.URI(), got, err, c)
		}
		if got, err := ParseCRSID(c.String()); err != nil || got != c {
			t.Errorf("ParseCRSID(%q) = %v, %v", c.String(), got, err)
		}
	}
	for s, want := range map[string]CRS{"urn:ogc:def:crs:EPSG::4490": CGCS2000, "urn:ogc:def:crs:OGC:1.3:CRS84": WGS84,
		"http://www.opengis.net/def/crs/EPSG/0/4326": WGS84, "EPSG:4326": WGS84} {
		if got, err := ParseCRSID(s); err != nil || got != want {
			t.Errorf("ParseCRSID(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if _, err := ParseCRSID("EPSG:3857"); err == nil {
		t.Error("EPSG:3857 accepted")
	}
}
