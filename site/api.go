package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	f.Properties["label"] = gazetteer.Label(p, s.adminNames())
	if p.Label != nil {
		f.Properties["label_point"] = [2]float64{p.Label.Lon(), p.Label.Lat()}
	}
	if p.Category.Code != "" {
		f.Properties["category_code"] = p.Category.Code
	}
	anc := []map[string]string{}
	for _, c := range p.Admin {
		if n, ok := s.adminNames()[c]; ok {
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

// ParseFilter reads the list filters of the places API: those every listing
// shares (gazetteer.ParseFilter: category, admin, heritage, status, bbox,
// since, ids, missing_geometry) and the paging (limit, offset).
func ParseFilter(q url.Values, maxLimit int) (gazetteer.Filter, error) {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f, err := gazetteer.ParseFilter(get)
	if err != nil {
		return f, err
	}
	bad := func(field, msg string) error {
		return &gazetteer.Error{Code: gazetteer.EInvalid, Where: field, Message: msg}
	}
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
