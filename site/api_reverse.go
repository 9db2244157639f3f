package site

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/search"
)

// MaxReverseKm is the largest radius a reverse lookup accepts (kilometres).
const MaxReverseKm = 50

// handleReverse answers /api/v1/reverse?point.lat=&point.lon= (or lat=&lon=)
// &boundary.circle.radius= (or radius=, km, default 1)&size=: where the
// point lies (admin units and how that was decided, the water body it is
// in) and the named places within the radius, nearest first, each with its
// distance. A point outside the gazetteer's coverage answers 200 with no
// places and "outside_coverage": true — never a place 100 km away.
func (s *Server) handleReverse(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	pt, err := reversePoint(v)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	radiusM := float64(gazetteer.DefaultReverseM)
	f, t := "boundary.circle.radius", v.Get("boundary.circle.radius")
	if t == "" {
		f, t = "radius", v.Get("radius")
	}
	if t != "" {
		km, err := strconv.ParseFloat(t, 64)
		if err != nil || !(km > 0 && km <= MaxReverseKm) {
			s.searchError(w, r, &search.Error{Field: f, Message: "must be more than 0 and at most 50 km"})
			return
		}
		radiusM = km * 1000
	}
	size, err := sizeParam(v)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	res, err := s.store.Locator().Reverse(r.Context(), pt, radiusM, size)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := marshalJSON(s.reverseCollection(r.Context(), res))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/geo+json", "public, max-age=300", b)
}

// reversePoint reads the point: the Pelias names point.lat/point.lon, or
// lat/lon.
func reversePoint(v url.Values) (orb.Point, error) {
	prefix := "point."
	if v.Get("point.lat") == "" && v.Get("point.lon") == "" && (v.Get("lat") != "" || v.Get("lon") != "") {
		prefix = ""
	}
	lat, err1 := strconv.ParseFloat(v.Get(prefix+"lat"), 64)
	lon, err2 := strconv.ParseFloat(v.Get(prefix+"lon"), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || math.IsNaN(lat) || math.IsNaN(lon) {
		field := "point"
		if prefix == "" {
			field = "lat,lon"
		}
		return orb.Point{}, &search.Error{Field: field, Message: prefix + "lat and " + prefix + "lon must be WGS84 degrees"}
	}
	return orb.Point{lon, lat}, nil
}

// reverseCollection is the reverse answer as a GeoJSON FeatureCollection of
// the nearby places (at their label points, with the geocoder properties of
// a search hit and distance_m), with where the point lies as foreign members.
func (s *Server) reverseCollection(ctx context.Context, res *gazetteer.Surroundings) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, n := range res.Nearby {
		f := geojson.NewFeature(n.Label)
		f.ID = n.ID
		f.Properties = geojson.Properties{
			"id": n.ID, "name": n.Name, "label": search.Label(n.Name, n.Admin, s.adminName),
			"category": category(n), "admin": n.Admin, "score": 0,
			"distance": math.Round(n.DistanceM) / 1000, "distance_m": math.Round(n.DistanceM),
		}
		if e := s.entryByID(ctx, n.ID); e != nil {
			f.Properties["path"] = e.Path
		}
		fc.Append(f)
	}
	water := make([]map[string]any, 0, len(res.Water))
	for _, n := range res.Water {
		water = append(water, map[string]any{"id": n.ID, "name": n.Name, "category": category(n)})
	}
	admin := res.Admin
	if admin == nil {
		admin = []gazetteer.AdminRef{}
	}
	fc.ExtraMembers = map[string]any{
		"admin": admin, "location": res.Location, "water": water,
		"outside_coverage": res.Outside(), "radius_m": res.RadiusM, "attribution": gazetteer.Attribution,
	}
	return fc
}

// category is the census subclass of a place, or its class when it has none.
func category(n *gazetteer.Nearby) string {
	if n.Subclass != "" {
		return n.Subclass
	}
	return n.Class
}
