package gazetteer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// What every text file Wumen reads or writes for people and their tools
// shares: a byte-order mark is accepted, one record has a size limit, a
// cell meant for a spreadsheet cannot run as a formula, and one file gives
// one id once.

// MaxRecordBytes is the most bytes one record may take in a file: one line
// of JSON Lines or GeoJSON Lines, one feature of a FeatureCollection. The
// largest real records (an OSM county boundary of a few hundred thousand
// vertices) take a few MiB; a longer record is refused with this limit
// named rather than read into memory.
const MaxRecordBytes = 64 << 20

// utf8BOM is the UTF-8 byte-order mark that Windows tools (Notepad, Excel's
// "CSV UTF-8", some GIS exports) put at the start of a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// SkipBOM returns r without a leading UTF-8 byte-order mark, if it has one.
func SkipBOM(r io.Reader) io.Reader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	return br
}

// trimBOM drops a leading UTF-8 byte-order mark from b.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// tooLong is the error of a record over MaxRecordBytes.
func tooLong(where string, n int) *Error {
	return &Error{Code: EInvalid, Where: where, Message: fmt.Sprintf(
		"the record is %d MiB or more; one record may take at most %d MiB (simplify its geometry, e.g. ogr2ogr -simplify, or split it)",
		n>>20, MaxRecordBytes>>20)}
}

// formulaStart are the first characters with which a spreadsheet reads a
// cell as a formula (OWASP, "CSV Injection": = + - @, tab and carriage
// return).
const formulaStart = "=+-@\t\r"

// SpreadsheetCell returns s as a CSV cell a spreadsheet shows as text: a
// value that would start a formula gets a leading apostrophe (OWASP's rule),
// which Excel, LibreOffice and Numbers hide. Numbers (-12.5) are left alone:
// a spreadsheet reads them as numbers, never as formulas.
func SpreadsheetCell(s string) string {
	if s == "" || !strings.ContainsRune(formulaStart, rune(s[0])) || isNumber(s) {
		return s
	}
	return "'" + s
}

// SpreadsheetValue undoes SpreadsheetCell: a cell read from CSV that starts
// with an apostrophe before a formula character is the value after it.
func SpreadsheetValue(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) && !isNumber(s[1:]) {
		return s[1:]
	}
	return s
}

// isNumber reports whether s is a plain decimal number such as -12.5 or
// +3 (what a spreadsheet reads as a number, not a formula).
func isNumber(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return s != "."
}

// UniqueIDs passes on the records of one file, and turns a record that
// gives an id an earlier record of the file already gave into an error
// naming both places: two records for one place in one file is a mistake in
// the file (which one did its author mean?), not an update. Records without
// an id, and errors, pass unchanged.
func UniqueIDs(recs Records) Records {
	return func(yield func(Input, error) bool) {
		seen := map[int64]string{}
		for r, err := range recs {
			if err == nil && r.Place != nil && r.Place.ID != 0 {
				if first, ok := seen[r.Place.ID]; ok {
					err = &Error{Code: EInvalid, Where: r.Where + ": id", Message: fmt.Sprintf(
						"id %d is given twice in this file, first at %s; keep one record for each place", r.Place.ID, first)}
				} else {
					seen[r.Place.ID] = r.Where
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}
