package site

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
)

// placeFeature is a place as the API returns it: its record as properties,
// plus the geocoder-style label and the administrative ancestors by name.
func (s *Server) placeFeature(p *gazetteer.Place) (*geojson.Feature, error) {
	f, err := gazetteer.Feature(p)
	if err != nil {
		return nil, err
	}
	f.Properties["label"] = gazetteer.Label(p, s.admin)
	if p.Label != nil {
		f.Properties["label_point"] = [2]float64{p.Label.Lon(), p.Label.Lat()}
	}
	if p.Category.Code != "" {
		f.Properties["category_code"] = p.Category.Code
	}
	anc := []map[string]string{}
	for _, c := range p.Admin {
		if n, ok := s.admin[c]; ok {
			anc = append(anc, map[string]string{"code": c, "name": n})
		}
	}
	f.Properties["ancestors"] = anc
	f.Properties["category"] = p.Category.Class
	f.Properties["subcategory"] = p.Category.Subclass
	return f, nil
}

func (s *Server) handlePlace(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.EInvalid, "place id must be a positive integer"))
		return
	}
	p, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.placeFeature(p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveJSON(w, r, "application/geo+json", f)
}

// serveJSON answers v as JSON with an ETag (a conditional request gets 304)
// and a short public cache lifetime: places change only by revision.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveBytes(w, r, contentType, "public, max-age=60", b)
}

// ParseFilter reads the list filters shared by the places API and exports:
// category, admin, heritage, status, bbox, missing_geometry, limit, offset.
func ParseFilter(q map[string][]string, maxLimit int) (gazetteer.Filter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := gazetteer.Filter{Class: get("category"), Admin: get("admin"), Heritage: get("heritage"), Status: gazetteer.Status(get("status"))}
	bad := func(field, msg string) error {
		return &gazetteer.Error{Code: gazetteer.EInvalid, Where: field, Message: msg}
	}
	if f.Admin != "" {
		for _, r := range f.Admin {
			if r < '0' || r > '9' {
				return f, bad("admin", "admin must be a statistical code prefix (digits)")
			}
		}
	}
	switch f.Status {
	case "", gazetteer.StatusCurrent, gazetteer.StatusHistorical, gazetteer.StatusCancelled:
	default:
		return f, bad("status", "status must be current, historical or cancelled")
	}
	if v := get("bbox"); v != "" {
		b, err := ParseBBox(v)
		if err != nil {
			return f, bad("bbox", err.Error())
		}
		f.BBox = &b
	}
	f.MissingGeometry = get("missing_geometry") == "true" || get("missing_geometry") == "1"
	f.Limit = 100
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return f, bad("limit", "limit must be between 1 and "+strconv.Itoa(maxLimit))
		}
		f.Limit = n
	}
	if v := get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, bad("offset", "offset must be a non-negative integer")
		}
		f.Offset = n
	}
	return f, nil
}

// ParseBBox parses minLon,minLat,maxLon,maxLat in WGS84.
func ParseBBox(v string) (orb.Bound, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, errBBox
	}
	var n [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || x != x {
			return orb.Bound{}, errBBox
		}
		n[i] = x
	}
	if n[0] < -180 || n[2] > 180 || n[1] < -90 || n[3] > 90 || n[0] > n[2] || n[1] > n[3] {
		return orb.Bound{}, errBBox
	}
	return orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}, nil
}

var errBBox = bboxError{}

type bboxError struct{}

func (bboxError) Error() string {
	return "bbox must be minLon,minLat,maxLon,maxLat within -180..180, -90..90"
}

func (s *Server) handlePlaces(w http.ResponseWriter, r *http.Request) {
	f, err := ParseFilter(r.URL.Query(), 1000)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	places, total, err := s.store.List(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fc := geojson.NewFeatureCollection()
	for _, p := range places {
		ft, err := s.placeFeature(p)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		fc.Append(ft)
	}
	fc.ExtraMembers = geojson.Properties{"total": total, "limit": f.Limit, "offset": f.Offset, "attribution": gazetteer.Attribution}
	s.serveJSON(w, r, "application/geo+json", fc)
}
