package gazetteer_test

import (
	"testing"

	"wumen/gazetteer"
)

// TestSpreadsheetCell: cells a spreadsheet would run as formulas get an
// apostrophe, numbers and ordinary text do not, and SpreadsheetValue gives
// every value back.
func TestSpreadsheetCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+SUM(A1)": "'+SUM(A1)", "-1+2": "'-1+2", "@cmd": "'@cmd", "\tx": "'\tx", "\rx": "'\rx",
		"-12.5": "-12.5", "+3": "+3", "120.62": "120.62", "山塘街": "山塘街", "": "", "'quoted": "'quoted", "-": "'-",
	} {
		got := gazetteer.SpreadsheetCell(in)
		if got != want {
			t.Errorf("SpreadsheetCell(%q) = %q, want %q", in, got, want)
		}
		if back := gazetteer.SpreadsheetValue(got); back != in {
			t.Errorf("SpreadsheetValue(%q) = %q, want %q", got, back, in)
		}
	}
}
