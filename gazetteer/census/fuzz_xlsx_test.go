package census_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
)

// FuzzOpenXLSX: any bytes given as a census workbook give places or errors
// that name the file or the row, never a panic. The seed is a small census
// sheet made with excelize. CI runs it briefly (.ci/run).
func FuzzOpenXLSX(f *testing.F) {
	x := excelize.NewFile()
	for i, row := range [][]any{{"标准名称", "地名类别", "东经", "北纬"}, {"山塘街", "街巷", "120°37′30.5″E", 31.3}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		tab, err := census.OpenXLSX(path, census.Options{Name: "f.xlsx", Categories: gazetteer.DefaultCategories()})
		if err != nil {
			if gazetteer.ErrorCode(err) != gazetteer.EInvalid {
				t.Fatalf("opening: %v (code %v)", err, gazetteer.ErrorCode(err))
			}
			return
		}
		defer tab.Close()
		for r, err := range tab.Records() {
			if err != nil && (gazetteer.ErrorCode(err) != gazetteer.EInvalid || r.Where == "") {
				t.Fatalf("row error %v at %q", err, r.Where)
			}
		}
	})
}
