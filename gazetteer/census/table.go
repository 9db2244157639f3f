package census

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"wumen/gazetteer"
	"wumen/geo"
)

// headerSearchRows is how far down a table its header row may start: census
// 成果表 often carry a title and a note above it.
const headerSearchRows = 20

// sniffBytes is how much of a CSV file is read to tell its encoding.
const sniffBytes = 1 << 20

// Table is an open census table: its rows, its header and what was detected.
type Table struct {
	// Encoding names the text encoding read: UTF-8, UTF-8 with BOM,
	// UTF-16, or GB18030 (which includes GBK).
	Encoding string
	opts     Options
	h        *header
	headRow  int
	next     func() ([]string, int, error) // the next row and its number; io.EOF at the end
	// geom, when set, is the geometry of the row next returned last (a
	// Shapefile's shape), in crs.
	geom  func() orb.Geometry
	crs   geo.CRS
	unit  string // "row" or "feature", for messages
	close func() error
}

// Describe says how the file is read: encoding, header row and column map.
func (t *Table) Describe() string {
	if t.unit == "feature" {
		return fmt.Sprintf("%s: %s; fields %s", t.opts.Name, t.Encoding, t.h.describe())
	}
	return fmt.Sprintf("%s: %s, header on row %d; columns %s", t.opts.Name, t.Encoding, t.headRow, t.h.describe())
}

// Close releases the file.
func (t *Table) Close() error {
	if t.close != nil {
		return t.close()
	}
	return nil
}

// OpenCSV opens a CSV table, detecting its encoding (a UTF-8 or UTF-16
// byte-order mark; UTF-8; otherwise GB18030, the superset of GBK that census
// software writes) and its delimiter (comma, tab or semicolon).
func OpenCSV(r io.Reader, o Options) (*Table, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, _ := br.Peek(sniffBytes)
	enc := "UTF-8"
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		enc = "UTF-8 with BOM"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
		enc = "UTF-16"
	case !validUTF8Prefix(head):
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		enc = "GB18030 (GBK)"
	}
	sep := ','
	if line, _, _ := bytes.Cut(head, []byte("\n")); bytes.Count(line, []byte("\t")) > bytes.Count(line, []byte(",")) {
		sep = '\t'
	} else if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		sep = ';'
	}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.Comma = sep
	cr.ReuseRecord = false
	o.encoding = enc
	t := &Table{Encoding: enc, opts: o}
	t.next = func() ([]string, int, error) {
		rec, err := cr.Read()
		line := 0
		if err == nil {
			line, _ = cr.FieldPos(0) // FieldPos panics after an error or the end
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.Line, fmt.Errorf("%s", pe.Err)
		}
		for i, c := range rec {
			rec[i] = gazetteer.SpreadsheetValue(c) // a Wumen export's neutralised formula cell
		}
		return rec, line, err
	}
	return t, t.findHeader()
}

// validUTF8Prefix reports whether the sample b is UTF-8, leaving out its
// last character, which the end of the sample may have cut.
func validUTF8Prefix(b []byte) bool {
	n := len(b)
	for n > 0 && len(b)-n < utf8.UTFMax && !utf8.RuneStart(b[n-1]) {
		n--
	}
	if n > 0 {
		n--
	}
	return utf8.Valid(b[:n])
}

// OpenXLSX opens the first sheet of an Excel workbook that has a header row,
// read row by row (excelize's streaming reader), so a workbook of any size
// is read in bounded memory.
func OpenXLSX(path string, o Options) (*Table, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name, Message: "not a readable .xlsx workbook: " + err.Error()}
	}
	var firstErr error
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			f.Close()
			return nil, &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name + ": " + sheet, Message: "the sheet cannot be read: " + err.Error()}
		}
		so := o
		so.Name = o.Name + ": " + sheet
		so.encoding = "UTF-8"
		t := &Table{Encoding: "xlsx (UTF-8)", opts: so}
		n := 0
		t.next = func() ([]string, int, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, n, err
				}
				return nil, n, io.EOF
			}
			n++
			cols, err := rows.Columns()
			return cols, n, err
		}
		t.close = func() error { rows.Close(); return f.Close() }
		if err := t.findHeader(); err == nil {
			return t, nil
		} else if firstErr == nil {
			firstErr = err
		}
		rows.Close()
	}
	f.Close()
	if firstErr == nil {
		firstErr = &gazetteer.Error{Code: gazetteer.EInvalid, Where: o.Name, Message: "the workbook has no sheets"}
	}
	return nil, firstErr
}

// findHeader reads rows until one maps onto a name column and more.
func (t *Table) findHeader() error {
	var first []string
	for i := 0; i < headerSearchRows; i++ {
		rec, n, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &gazetteer.Error{Code: gazetteer.EInvalid, Where: fmt.Sprintf("%s: row %d", t.opts.Name, n), Message: err.Error()}
		}
		if first == nil {
			first = rec
		}
		h, err := mapHeader(rec, t.opts.Columns)
		if err != nil {
			return &gazetteer.Error{Code: gazetteer.EInvalid, Where: fmt.Sprintf("%s: row %d", t.opts.Name, n), Message: err.Error()}
		}
		if h.usable() {
			t.h, t.headRow = h, n
			return nil
		}
	}
	return &gazetteer.Error{Code: gazetteer.EInvalid, Where: t.opts.Name,
		Message: fmt.Sprintf("no header row with a name column (标准名称, 名称 or name) and a category column in the first %d rows (first row: %s); map the columns with --columns",
			headerSearchRows, strings.Join(first, ", "))}
}

// Records yields the table's records one at a time. A bad row is yielded as
// an error naming the file, row and column, and reading goes on; an error
// that ends the file is yielded last.
func (t *Table) Records() iter.Seq2[gazetteer.Input, error] {
	crs := t.crs
	if crs == 0 {
		crs = t.opts.CRS
	}
	if crs == 0 {
		crs = geo.CGCS2000
	}
	unit := t.unit
	if unit == "" {
		unit = "row"
	}
	return func(yield func(gazetteer.Input, error) bool) {
		for {
			rec, n, err := t.next()
			if err == io.EOF {
				return
			}
			where := fmt.Sprintf("%s: %s %d", t.opts.Name, unit, n)
			if err != nil {
				yield(gazetteer.Input{Where: where}, &gazetteer.Error{Code: gazetteer.EInvalid, Where: where, Message: err.Error()})
				if t.unit == "feature" && n > 0 {
					continue // a Shapefile reads on past a bad feature
				}
				return
			}
			if blank(rec) {
				continue
			}
			var g orb.Geometry
			if t.geom != nil {
				g = t.geom()
			}
			p, err := t.opts.place(row{h: t.h, cells: rec}, g, crs)
			if err != nil {
				if !yield(gazetteer.Input{Where: where}, gazetteer.At(err, where)) {
					return
				}
				continue
			}
			if !yield(gazetteer.Input{Place: p, Where: where}, nil) {
				return
			}
		}
	}
}

// DefinesUnits reports whether the table has a statistical-code column, so
// that its rows may define administrative units (see Units).
func (t *Table) DefinesUnits() bool {
	_, ok := t.h.col["code"]
	return ok
}

// Units reads the whole table for the administrative units it defines —
// rows with a statistical code, as a census table of a township lists its
// villages, or a Wumen CSV export its counties — and returns them (code →
// name). It consumes the table: open the file again to import it with an
// AdminIndex that knows them (gazetteer.AdminIndex.With). Rows that cannot
// be read are left for the import to report.
func (t *Table) Units() map[string]string {
	t.opts.noAdmin = true
	units := map[string]string{}
	for r, err := range t.Records() {
		if err == nil && r.Place.Code != "" {
			units[r.Place.Code] = r.Place.Name
		}
	}
	return units
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
