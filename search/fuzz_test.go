package search

import (
	"context"
	"errors"
	"net/url"
	"testing"
)

// FuzzSearch: any text and parameters a visitor can send give results or a
// query error (a 400), never a panic or another error. CI runs it briefly
// (.ci/run).
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"山塘街", "shantang", "stj", "蘇州閶門", "tiger hill", "山塘jie", "*", "\"", "a~2", "+-&&||!(){}[]^~*?:\\/", "平江府 1911"} {
		f.Add(s, "")
	}
	f.Add("桥", "bbox=120,31,121,32&year=1911&facets=1")
	f.Add("", "lat=91&lon=0&radius=5")
	ix := testIndex(f)
	f.Fuzz(func(t *testing.T, text, params string) {
		v, err := url.ParseQuery(params)
		if err != nil {
			return
		}
		v.Set("q", text)
		q, err := ParseQuery(v)
		var qe *Error
		if err != nil {
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%v): %v is not a query error", v, err)
			}
			return
		}
		if _, err := ix.Search(context.Background(), q); err != nil && !errors.As(err, &qe) {
			t.Fatalf("Search(%q, %v): %v", text, params, err)
		}
	})
}
