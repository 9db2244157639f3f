// Package lpf writes and reads the Linked Places Format (LPF), the JSON-LD
// extension of GeoJSON used by the World Historical Gazetteer
// (github.com/LinkedPasts/linked-places-format, v1.1), and writes its
// delimited companion LP-TSV.
//
// The types are plain structs mirroring the format; mapping Wumen's
// gazetteer records onto them happens in the caller.
package lpf

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// Context is the JSON-LD context of LPF v1.1.
const Context = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"

// Feature is one place.
type Feature struct {
	ID         string     `json:"@id"`
	Type       string     `json:"type"` // always "Feature"
	Properties Properties `json:"properties"`
	When       *When      `json:"when,omitempty"`
	Names      []Name     `json:"names"`
	Types      []Type     `json:"types,omitempty"`
	// Geometry is omitted for a place without a position: WHG's LPF
	// schema (v1.2) wants an object or no member, never null.
	Geometry     *geojson.Geometry `json:"geometry,omitempty"`
	Links        []Link            `json:"links,omitempty"`
	Relations    []Relation        `json:"relations,omitempty"`
	Descriptions []Description     `json:"descriptions,omitempty"`
}

// Properties holds the title (the preferred name) and ISO 3166 country
// codes.
type Properties struct {
	Title  string   `json:"title"`
	CCodes []string `json:"ccodes,omitempty"`
	Extra  Extra    `json:"-"` // the producer's own members (extra.go)
}

// Name is a toponym attested in a language, optionally for a period.
type Name struct {
	Toponym   string     `json:"toponym"`
	Lang      string     `json:"lang,omitempty"` // BCP 47, e.g. zh, zh-Latn-pinyin
	Citations []Citation `json:"citations,omitempty"`
	When      *When      `json:"when,omitempty"`
	Extra     Extra      `json:"-"`
}

// Citation names the source of a statement.
type Citation struct {
	Label string `json:"label"`
	ID    string `json:"@id,omitempty"`
	Year  string `json:"year,omitempty"`
}

// When is a temporal scope: timespans and/or named periods.
type When struct {
	Timespans []Timespan `json:"timespans,omitempty"`
	Periods   []Period   `json:"periods,omitempty"`
	Label     string     `json:"label,omitempty"`
}

// Timespan has a start and an optional end.
type Timespan struct {
	Start Time  `json:"start"`
	End   *Time `json:"end,omitempty"`
}

// Time is an ISO 8601 date or year ("1368", "-0514", "1912-01-01"): either
// a known instant In, or bounds Earliest/Latest.
type Time struct {
	In       string `json:"in,omitempty"`
	Earliest string `json:"earliest,omitempty"`
	Latest   string `json:"latest,omitempty"`
}

// Period is a named period from a period gazetteer (e.g. PeriodO).
type Period struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

// Type is a place type, ideally a Getty AAT concept ("aat:300008347").
type Type struct {
	Identifier string `json:"identifier,omitempty"`
	Label      string `json:"label"`
	When       *When  `json:"when,omitempty"`
}

// Link types allowed in Link.Type.
const (
	CloseMatch     = "closeMatch"
	ExactMatch     = "exactMatch"
	PrimaryTopicOf = "primaryTopicOf"
	SubjectOf      = "subjectOf"
)

// Link asserts that another resource describes the same place.
type Link struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"` // prefixed, e.g. wd:Q1234, gn:1886760
}

// Relation links to another place (e.g. gvp:broaderPartitive for "part
// of").
type Relation struct {
	RelationType string     `json:"relationType"`
	RelationTo   string     `json:"relationTo"`
	Label        string     `json:"label,omitempty"`
	When         *When      `json:"when,omitempty"`
	Citations    []Citation `json:"citations,omitempty"`
	Extra        Extra      `json:"-"`
}

// Description is a short text about the place.
type Description struct {
	Value string `json:"value"`
	Lang  string `json:"lang,omitempty"`
	ID    string `json:"@id,omitempty"`
	Extra Extra  `json:"-"`
}

// Validate checks what LPF requires of a feature: an @id, a title, at
// least one name with a toponym, and link types from the allowed set.
func (f *Feature) Validate() error {
	switch {
	case f.ID == "":
		return errors.New("missing @id")
	case f.Properties.Title == "":
		return errors.New("missing properties.title")
	case len(f.Names) == 0:
		return errors.New("no names")
	}
	for i, n := range f.Names {
		if n.Toponym == "" {
			return fmt.Errorf("names[%d]: empty toponym", i)
		}
	}
	for i, l := range f.Links {
		switch l.Type {
		case CloseMatch, ExactMatch, PrimaryTopicOf, SubjectOf:
		default:
			return fmt.Errorf("links[%d]: type %q not one of closeMatch, exactMatch, primaryTopicOf, subjectOf", i, l.Type)
		}
		if l.Identifier == "" {
			return fmt.Errorf("links[%d]: empty identifier", i)
		}
	}
	return nil
}

// Writer streams a FeatureCollection: features are encoded as they come,
// so a whole gazetteer never sits in memory.
type Writer struct {
	bw  *bufio.Writer
	n   int
	err error
}

// NewWriter writes the collection's opening to w.
func NewWriter(w io.Writer) (*Writer, error) {
	bw := bufio.NewWriter(w)
	ctx, _ := json.Marshal(Context)
	_, err := fmt.Fprintf(bw, `{"type":"FeatureCollection","@context":%s,"features":[`, ctx)
	return &Writer{bw: bw, err: err}, err
}

// Write validates and writes one feature (Type defaults to "Feature").
func (w *Writer) Write(f Feature) error {
	if w.err != nil {
		return w.err
	}
	if f.Type == "" {
		f.Type = "Feature"
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("lpf: feature %d (%s): %w", w.n, f.ID, err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("lpf: feature %d (%s): %w", w.n, f.ID, err)
	}
	if w.n > 0 {
		w.bw.WriteByte(',')
	}
	w.bw.WriteByte('\n')
	_, w.err = w.bw.Write(b)
	w.n++
	return w.err
}

// Close ends the collection and flushes; it does not close the underlying
// writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.bw.WriteString("\n]}\n")
	return w.bw.Flush()
}

// Read decodes an LPF FeatureCollection from r, calling fn for each feature
// as it is parsed (the collection is never held whole). Each feature is
// validated; errors name the feature's index and @id.
func Read(r io.Reader, fn func(Feature) error) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return fmt.Errorf("lpf: %w", err)
	}
	sawFeatures := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("lpf: %w", err)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var typ string
			if err := dec.Decode(&typ); err != nil || typ != "FeatureCollection" {
				return fmt.Errorf("lpf: type %q, want FeatureCollection", typ)
			}
		case "features":
			sawFeatures = true
			if err := expectDelim(dec, '['); err != nil {
				return fmt.Errorf("lpf: features: %w", err)
			}
			for i := 0; dec.More(); i++ {
				var f Feature
				if err := dec.Decode(&f); err != nil {
					return fmt.Errorf("lpf: feature %d: %w", i, err)
				}
				if err := f.Validate(); err != nil {
					return fmt.Errorf("lpf: feature %d (%s): %w", i, f.ID, err)
				}
				if err := fn(f); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return fmt.Errorf("lpf: %w", err)
			}
		default: // @context and any other member
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fmt.Errorf("lpf: %s: %w", key, err)
			}
		}
	}
	if !sawFeatures {
		return errors.New("lpf: no features member")
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", string(want), tok)
	}
	return nil
}

// join joins multi-valued LP-TSV fields with ";", rejecting values that
// contain the separator.
func join(field string, vs []string) (string, error) {
	for _, v := range vs {
		if strings.Contains(v, ";") {
			return "", fmt.Errorf("%s value %q contains ';'", field, v)
		}
	}
	return strings.Join(vs, ";"), nil
}
