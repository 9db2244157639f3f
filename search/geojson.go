package search

import "strings"

// properties are the GeoJSON properties of a hit that geocoder users
// expect: id, name, label ("山塘街, 姑苏区, 苏州市"), category, admin,
// pinyin, score, distance, matched_name, matched_kind. adminName resolves an
// admin code to its name for the label. The server's FeatureCollection and
// the browser's (FeatureCollectionJSON) both write them.
func (h Hit) properties(adminName func(code string) string) map[string]any {
	p := map[string]any{}
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
	return p
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
