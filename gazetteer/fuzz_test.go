package gazetteer_test

import (
	"bytes"
	"regexp"
	"testing"

	"wumen/gazetteer"
	"wumen/geo"
)

// goWords are what a message for a user must never show: Go's type names
// and the decoder's own words.
var goWords = regexp.MustCompile(`\*?gazetteer\.|\bstruct\b|map\[|\[\]|float64|int64|Go value|json: cannot`)

// checkReadErr fails when a reader's error is not an invalid-input error
// that names where and speaks to a user.
func checkReadErr(t *testing.T, err error) {
	t.Helper()
	if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Fatalf("error %q is not an invalid-input error (code %v)", err, gazetteer.ErrorCode(err))
	}
	if goWords.MatchString(err.Error()) {
		t.Fatalf("error speaks Go: %q", err)
	}
}

// FuzzJSONLRecords: any bytes read as JSON Lines give records that validate
// or errors for a user, never a panic. CI runs it briefly (.ci/run).
func FuzzJSONLRecords(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"name":"山塘街","category":{"class":"交通运输设施","subclass":"街巷"},"status":"current"}`,
		`{"name":"桥","category":"桥梁","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]},"coord":{"method":"digitized"}}`,
		"\ufeff{\"name\":1}\n{", `{"names":[{"text":""}]}`, `{"wumen_crs":"gcj02","geometry":{"type":"Point","coordinates":[1e400,2]}}`,
	} {
		f.Add([]byte(s))
	}
	cats := gazetteer.DefaultCategories()
	f.Fuzz(func(t *testing.T, b []byte) {
		for r, err := range gazetteer.JSONLRecords(bytes.NewReader(b), "f.jsonl", geo.WGS84) {
			if err != nil {
				checkReadErr(t, err)
				continue
			}
			if err := cats.Validate(r.Place); err != nil {
				checkReadErr(t, err)
			}
		}
	})
}

// FuzzReadGeoJSON: any bytes read as a GeoJSON FeatureCollection give
// features or an error for a user, never a panic.
func FuzzReadGeoJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"桥","category":"桥梁"},"geometry":null}]}`,
		`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:4490"}},"features":[{"type":"Feature","properties":{"names":3},"geometry":{"type":"LineString","coordinates":[[1,2]]}}]}`,
		`{"type":"Feature"}`, `[]`,
	} {
		f.Add([]byte(s))
	}
	cats := gazetteer.DefaultCategories()
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := gazetteer.ReadGeoJSONWith(bytes.NewReader(b), "f.geojson", gazetteer.GeoJSONOptions{Categories: cats})
		if err != nil {
			checkReadErr(t, err)
			return
		}
		for _, r := range in {
			if err := cats.Validate(r.Place); err != nil {
				checkReadErr(t, err)
			}
		}
	})
}
