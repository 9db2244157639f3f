package gazetteer

import (
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// ParseFilter reads the filters every listing and export shares, by the
// names the API, OGC service and command line use: category, admin,
// heritage, status, bbox, since (or changed_since), ids, missing_geometry.
// param returns a parameter's value ("" when absent). Paging is the caller's.
// Errors are EInvalid and name the parameter.
func ParseFilter(param func(name string) string) (Filter, error) {
	get := func(k string) string { return strings.TrimSpace(param(k)) }
	f := Filter{Class: get("category"), Admin: get("admin"), Heritage: get("heritage"), Status: Status(get("status"))}
	if f.Admin != "" && !isDigits(f.Admin) {
		return f, invalid("admin", "admin must be a statistical code prefix (digits)")
	}
	switch f.Status {
	case "", StatusCurrent, StatusHistorical, StatusCancelled:
	default:
		return f, invalid("status", "status must be current, historical or cancelled")
	}
	if v := get("bbox"); v != "" {
		b, err := ParseBBox(v)
		if err != nil {
			return f, err
		}
		f.BBox = &b
	}
	since := get("since")
	if since == "" {
		since = get("changed_since")
	}
	if since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			t, err = time.Parse("2006-01-02", since)
		}
		if err != nil {
			return f, invalid("since", "since must be YYYY-MM-DD or RFC 3339")
		}
		f.ChangedSince = t
	}
	for _, s := range strings.Split(get("ids"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, invalid("ids", "ids must be comma-separated positive integers")
		}
		f.IDs = append(f.IDs, id)
	}
	switch v := get("missing_geometry"); v {
	case "", "0", "false":
	case "1", "true":
		f.MissingGeometry = true
	default:
		return f, invalid("missing_geometry", "missing_geometry must be true or false")
	}
	return f, nil
}

// ParseBBox reads minLon,minLat,maxLon,maxLat in WGS84 (or the six-number
// form with heights, OGC API – Features 7.15.3, whose heights are ignored).
func ParseBBox(v string) (orb.Bound, error) {
	bad := invalid("bbox", "bbox must be minLon,minLat,maxLon,maxLat within -180..180, -90..90")
	b, ok := BBoxCorners(v)
	if !ok || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return orb.Bound{}, bad
	}
	return b, nil
}

// BBoxCorners reads the numbers of a bbox parameter as they are written,
// in whatever CRS and axis order (OGC API – Features 7.15.3: four numbers,
// or six with heights, which are dropped; lower corner first): false when
// they are not numbers or the lower corner is above the upper.
func BBoxCorners(v string) (orb.Bound, bool) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, false
	}
	n := make([]float64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || x != x {
			return orb.Bound{}, false
		}
		n[i] = x
	}
	if len(n) == 6 {
		n = []float64{n[0], n[1], n[3], n[4]}
	}
	if n[0] > n[2] || n[1] > n[3] {
		return orb.Bound{}, false
	}
	return orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}, true
}
