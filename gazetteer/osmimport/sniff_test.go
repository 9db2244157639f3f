package osmimport

import (
	"testing"

	"wumen/gazetteer"
)

func TestExtracts(t *testing.T) {
	for _, c := range []struct {
		files  []string
		format string
		want   bool
		code   string
	}{
		{[]string{"suzhou.osm.pbf"}, "", true, ""},
		{[]string{"a.osm", "b.osm.bz2"}, "", true, ""},
		{[]string{"places.jsonl"}, "", false, ""},
		{[]string{"places.jsonl"}, "osm", true, ""},
		{[]string{"suzhou.osm.pbf"}, "jsonl", false, ""},
		{[]string{"suzhou.osm.pbf", "places.jsonl"}, "", false, gazetteer.EInvalid},
	} {
		got, err := Extracts(c.files, c.format)
		if got != c.want || gazetteer.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("Extracts(%v, %q) = %v, %v; want %v, code %q", c.files, c.format, got, err, c.want, c.code)
		}
	}
}
