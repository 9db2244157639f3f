package search

import (
	"strings"

	"github.com/paulmach/orb/geojson"
)

// FeatureCollection writes the hits as an RFC 7946 FeatureCollection of
// their points (hits without a point get a null geometry) with the
// properties geocoder users expect: id, name, label ("山塘街, 姑苏区, 苏州市"),
// category, admin, pinyin, score, distance, matched_name, matched_kind.
// adminName resolves an admin code to its name for the label; nil uses the
// admin units in the index (Index.AdminName).
func (ix *Index) FeatureCollection(hits []Hit, adminName func(code string) string) *geojson.FeatureCollection {
	if adminName == nil {
		adminName = ix.AdminName
	}
	fc := geojson.NewFeatureCollection()
	for _, h := range hits {
		var f *geojson.Feature
		if h.Point != nil {
			f = geojson.NewFeature(*h.Point)
		} else {
			f = &geojson.Feature{Type: "Feature", Properties: geojson.Properties{}}
		}
		f.ID = h.ID
		p := f.Properties
		p["id"] = h.ID
		p["name"] = h.Name
		p["label"] = Label(h.Name, h.Admin, adminName)
		cat := h.Class
		if h.Subclass != "" {
			cat = h.Subclass
		}
		p["category"] = cat
		p["admin"] = h.Admin
		if h.Pinyin != "" {
			p["pinyin"] = h.Pinyin
		}
		if h.English != "" {
			p["english"] = h.English
		}
		p["score"] = h.Score
		if h.DistanceM != nil {
			p["distance"] = *h.DistanceM / 1000 // km, as Pelias
		}
		if h.Matched.Text != "" {
			p["matched_name"] = h.Matched.Text
			p["matched_kind"] = h.Matched.Kind
			p["matched_span"] = []int{h.Matched.Span.RuneStart, h.Matched.Span.RuneEnd}
		}
		if len(h.Heritage) > 0 {
			p["heritage"] = h.Heritage
		}
		fc.Append(f)
	}
	return fc
}

// Label is the display label of a place: its name and then its admin
// ancestors from the nearest to the broadest, as geocoders print them.
// Provinces are left out (every place here is in 江苏省) and so are
// repetitions.
func Label(name string, admin []string, adminName func(code string) string) string {
	parts := []string{name}
	for i := len(admin) - 1; i >= 0; i-- {
		if len(admin[i]) <= 2 {
			continue
		}
		n := adminName(admin[i])
		if n != "" && n != parts[len(parts)-1] && n != name {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, ", ")
}
