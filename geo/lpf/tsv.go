package lpf

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// TSVHeader is the LP-TSV column order (WHG's delimited upload format).
var TSVHeader = []string{"id", "title", "title_source", "start", "end", "title_uri", "ccodes", "matches",
	"variants", "types", "aat_types", "parent_name", "parent_id", "lon", "lat", "geowkt", "geo_source",
	"geo_id", "description"}

// TSVRow is one LP-TSV record. Multi-valued fields are written joined with
// ";". Start and End are ISO 8601 dates or years.
type TSVRow struct {
	ID, Title, TitleSource string // required
	// Start is optional: WHG's upload validator (its Table Schema for
	// LP-TSV) does not require it, and a place whose names carry no dates
	// has no honest one.
	Start                string
	End                  string
	TitleURI             string
	CCodes               []string // ISO 3166-1 alpha-2, e.g. CN
	Matches              []string // prefixed IDs, e.g. wd:Q1234, gn:1886760
	Variants             []string // other names, "name@lang" allowed
	Types                []string
	AATTypes             []string // e.g. aat:300008347
	ParentName, ParentID string
	Lon, Lat             *float64 // nil leaves the cells empty
	GeoWKT               string
	GeoSource, GeoID     string
	Description          string
}

// TSVWriter writes LP-TSV. It quotes cells holding tabs, quotes or line
// breaks as RFC 4180 does, which WHG's parser accepts.
type TSVWriter struct {
	cw *csv.Writer
	n  int
}

// NewTSVWriter writes the header line to w.
func NewTSVWriter(w io.Writer) (*TSVWriter, error) {
	cw := csv.NewWriter(w)
	cw.Comma = '\t'
	if err := cw.Write(TSVHeader); err != nil {
		return nil, err
	}
	return &TSVWriter{cw: cw}, nil
}

// Write writes one row; errors name the row (1-based, after the header)
// and field.
func (w *TSVWriter) Write(r TSVRow) error {
	w.n++
	rec, err := r.record()
	if err != nil {
		return fmt.Errorf("lp-tsv: row %d (%s): %w", w.n, r.ID, err)
	}
	return w.cw.Write(rec)
}

func (r TSVRow) record() ([]string, error) {
	switch {
	case r.ID == "":
		return nil, errors.New("id is required")
	case r.Title == "":
		return nil, errors.New("title is required")
	case r.TitleSource == "":
		return nil, errors.New("title_source is required")
	case (r.Lon == nil) != (r.Lat == nil):
		return nil, errors.New("lon and lat must be given together")
	}
	multi := make([]string, 5)
	for i, f := range []struct {
		name string
		vs   []string
	}{{"ccodes", r.CCodes}, {"matches", r.Matches}, {"variants", r.Variants}, {"types", r.Types}, {"aat_types", r.AATTypes}} {
		s, err := join(f.name, f.vs)
		if err != nil {
			return nil, err
		}
		multi[i] = s
	}
	coord := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return []string{r.ID, r.Title, r.TitleSource, r.Start, r.End, r.TitleURI,
		multi[0], multi[1], multi[2], multi[3], multi[4], r.ParentName, r.ParentID,
		coord(r.Lon), coord(r.Lat), r.GeoWKT, r.GeoSource, r.GeoID, r.Description}, nil
}

// Flush writes buffered rows; call it when done.
func (w *TSVWriter) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// ReadTSV reads LP-TSV with its header line (columns found by name, in any
// order; id and title required), calling fn for each row. Multi-valued
// cells are split on ";". Errors name the line and column.
func ReadTSV(r io.Reader, fn func(line int, row TSVRow) error) error {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("lp-tsv: line 1: cannot read the header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, req := range []string{"id", "title"} {
		if _, ok := col[req]; !ok {
			return fmt.Errorf("lp-tsv: line 1: no %s column (LP-TSV needs id and title)", req)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lp-tsv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		list := func(k string) []string {
			var out []string
			for _, v := range strings.Split(get(k), ";") {
				if v = strings.TrimSpace(v); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
		row := TSVRow{ID: get("id"), Title: get("title"), TitleSource: get("title_source"), Start: get("start"), End: get("end"),
			TitleURI: get("title_uri"), CCodes: list("ccodes"), Matches: list("matches"), Variants: list("variants"),
			Types: list("types"), AATTypes: list("aat_types"), ParentName: get("parent_name"), ParentID: get("parent_id"),
			GeoWKT: get("geowkt"), GeoSource: get("geo_source"), GeoID: get("geo_id"), Description: get("description")}
		if row.ID == "" || row.Title == "" {
			return fmt.Errorf("lp-tsv: line %d: id and title are required", line)
		}
		for _, c := range []struct {
			name string
			dst  **float64
		}{{"lon", &row.Lon}, {"lat", &row.Lat}} {
			if s := get(c.name); s != "" {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return fmt.Errorf("lp-tsv: line %d: %s: %q is not a number", line, c.name, s)
				}
				*c.dst = &v
			}
		}
		if (row.Lon == nil) != (row.Lat == nil) {
			return fmt.Errorf("lp-tsv: line %d: lon and lat must be given together", line)
		}
		if err := fn(line, row); err != nil {
			return err
		}
	}
}
