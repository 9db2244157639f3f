package gazetteer

import (
	"fmt"

	"wumen/geo"
)

// DeclaredCRS reconciles the CRS an import was told (--crs; zero when not
// given) with the one a file or record declares (wumen_crs, a GeoJSON crs
// member, a CSV crs column; empty when it declares none), so that a
// GCJ-02 export read back as WGS84 is an error instead of every point
// shifted by about 500 m (docs/domain.md §7). where names the file and the
// member for the error.
func DeclaredCRS(where string, told geo.CRS, declared string) (geo.CRS, error) {
	if declared == "" {
		return told, nil
	}
	d, err := geo.ParseCRSID(declared)
	if err != nil {
		return 0, &Error{Code: EInvalid, Where: where, Message: err.Error()}
	}
	if told != 0 && !geo.SameDatum(told, d) {
		return 0, &Error{Code: EInvalid, Where: where,
			Message: fmt.Sprintf("the file says its coordinates are %s, but the import was told --crs %s; drop --crs or convert the file", d, told)}
	}
	return d, nil
}

// crsName is the CRS an export names in wumen_crs and CSV's crs column:
// the names ParseCRS reads (wgs84, cgcs2000, gcj02, bd09).
func crsName(c geo.CRS) string {
	if c == 0 {
		return geo.WGS84.String()
	}
	return c.String()
}
