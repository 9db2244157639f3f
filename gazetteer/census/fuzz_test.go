package census_test

import (
	"bytes"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
)

// FuzzOpenCSV: any bytes read as a census table (any encoding, delimiter,
// header position) give places or errors that name the row, never a panic.
// CI runs it briefly (.ci/run).
func FuzzOpenCSV(f *testing.F) {
	for _, s := range []string{
		"标准名称,地名类别,东经,北纬\n山塘街,街巷,120°37′30.5″E,31.3\n",
		"name;category;lon;lat\n桥;桥梁;abc;\n", "\xef\xbb\xbf标准名称\t地名类别\n\"a\t桥梁\n", "\xff\xfe\x00\x00", "普查表\n\n标准名称,所在行政区\n甲,苏州市姑苏区\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := census.OpenCSV(bytes.NewReader(b), census.Options{Name: "f.csv", Categories: gazetteer.DefaultCategories()})
		if err != nil {
			if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
				t.Fatalf("opening: %v (code %v)", err, gazetteer.ErrorCode(err))
			}
			return
		}
		for r, err := range tab.Records() {
			if err != nil {
				if gazetteer.ErrorCode(err) != gazetteer.EInvalid || r.Where == "" {
					t.Fatalf("row error %v at %q", err, r.Where)
				}
			}
		}
	})
}
