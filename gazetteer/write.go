package gazetteer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"wumen/gazetteer/romanize"
	wgeo "wumen/geo"
)

// TimeLayout is how the store writes times: RFC 3339 in UTC with a fixed
// nine-digit fraction, so that times compare correctly as text (the
// changed-since filter is a string comparison in SQL).
const TimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// normalTime rewrites an RFC 3339 time carried by an imported record in
// TimeLayout.
func normalTime(v string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return "", invalid("updated", "%q is not an RFC 3339 time", v)
	}
	return t.UTC().Format(TimeLayout), nil
}

// Action says what a write did to a place.
type Action string

// Write actions.
const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
)

// Outcome is the result of writing one place.
type Outcome struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Action Action `json:"action"`
	Where  string `json:"where,omitempty"` // file:line of the input record
}

// Report summarises a batch write (an import).
type Report struct {
	Created, Updated, Unchanged int
	// Outcomes are the outcomes of the first 10,000 records written.
	Outcomes []Outcome
	// Skipped lists the bad records an import left out (SkipInvalid), the
	// first hundred by name; SkippedCount counts them all.
	Skipped      []string
	SkippedCount int
}

// Input is one record to write, with where it came from for error reports.
type Input struct {
	Place *Place
	Where string // "file:line"
	// IfUpdated, when set, is the Updated time of the record this one was
	// made from: as PutOptions.IfUpdated, for this record alone.
	IfUpdated string

	// doc is the record encoded ahead, beside the writer (see encodeAhead),
	// as a new place with id docID; nil when not.
	doc   []byte
	docID int64
	// toneless are the toneless readings of its names (TonelessNames),
	// computed beside the writer too.
	toneless []string
}

// PutOptions tune a batch write.
type PutOptions struct {
	// DryRun computes the report and rolls the transaction back.
	DryRun bool
	// MatchLinks upserts by concordance (OSM, GeoNames, NBS code) when a
	// record has no id.
	MatchLinks bool
	// Progress, when set, is called after each record.
	Progress func(done int)
	// Outcome, when set, is called with the outcome of each record (the
	// Report keeps the first 10,000).
	Outcome func(Outcome)
	// SkipInvalid makes Import write the valid records of a stream that
	// has bad ones, reporting what it skipped, instead of writing nothing.
	SkipInvalid bool
	// Also, when set, runs inside the write's transaction after the places
	// are written and before the commit, so that a change of another
	// domain table (a naming-review proposal marked applied) lands together
	// with the places or not at all.
	Also func(ctx context.Context, tx Tx, rep *Report) error

	// IfUpdated, when set, is the Updated time of the record the caller
	// read and changed (its revision): a write that finds another revision
	// since is an EConflict error, never a silent overwrite (optimistic
	// concurrency; the API answers 409).
	IfUpdated string
}

// Put validates and writes one place as one revision. A place with ID 0 gets a
// new id. It returns the action taken.
func (s *Store) Put(ctx context.Context, p *Place, c Change) (Action, error) {
	rep, err := s.PutAll(ctx, []Input{{Place: p}}, c, PutOptions{})
	if err != nil {
		return "", err
	}
	return rep.Outcomes[0].Action, nil
}

// PutAll validates and writes places in one transaction: either all of them
// land, each with its revision, or none does and the store is exactly as it
// was. Errors name the input's file, line and field.
func (s *Store) PutAll(ctx context.Context, in []Input, c Change, opt PutOptions) (*Report, error) {
	if c.Actor == "" {
		return nil, Errorf(EInvalid, "a write needs an actor (who)")
	}
	for _, r := range in {
		if err := ctx.Err(); err != nil {
			return nil, interrupted(err)
		}
		Derive(r.Place)
		if err := s.cats.Validate(r.Place); err != nil {
			return nil, At(err, r.Where)
		}
	}
	return s.write(ctx, c, opt, func(w *writer) error {
		for _, r := range in {
			if err := ctx.Err(); err != nil {
				return interrupted(err) // SIGTERM: the transaction rolls back
			}
			if err := w.add(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn with a batch writer in one bulk transaction of the backend,
// then writes what is queued, runs opt.Also and commits (or, for a dry run,
// rolls back), then hands the change feed on.
func (s *Store) write(ctx context.Context, c Change, opt PutOptions, fn func(*writer) error) (*Report, error) {
	var w *writer
	err := s.b.Update(ctx, TxOptions{Bulk: true, DryRun: opt.DryRun}, func(tx Tx) error {
		var err error
		if w, err = s.newWriter(ctx, tx, c, opt); err != nil {
			return err
		}
		if err := fn(w); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		if opt.Also != nil {
			return opt.Also(ctx, tx, w.rep)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !opt.DryRun {
		// The subscribers of the change feed see the write before it
		// returns; a step that fails here is taken again by the next write
		// or by Follow.
		s.advance(ctx)
	}
	return w.rep, nil
}

// interrupted is the error of a write stopped by its context (SIGINT or
// SIGTERM during an import): nothing was written. It says so in words and
// unwraps to the context's error.
func interrupted(err error) error {
	why := "stopped (SIGTERM or Ctrl-C)"
	if errors.Is(err, context.DeadlineExceeded) {
		why = "out of time"
	}
	return interruptedError{why, err}
}

type interruptedError struct {
	why string
	err error
}

func (e interruptedError) Error() string { return "interrupted: " + e.why + "; nothing was written" }
func (e interruptedError) Unwrap() error { return e.err }

// At places a domain error at where ("file.jsonl:12", "features[3]"),
// before any place it already names; other errors pass through unchanged.
func At(err error, where string) error {
	var e *Error
	if errors.As(err, &e) && where != "" {
		c := *e
		if c.Where == "" {
			c.Where = where
		} else {
			c.Where = where + ": " + c.Where
		}
		return &c
	}
	return err
}

// mustJSON encodes a place as the store keeps it. It calls MarshalJSON
// itself: through json.Marshal the finished document is scanned and copied
// once more (a tenth of an import's CPU, BENCHMARKS.md "Import").
func mustJSON(p *Place) []byte {
	b, err := p.MarshalJSON()
	if err != nil {
		panic(err) // a validated Place always marshals
	}
	return b
}

// TonelessNames returns the toneless reading (romanize.Toneless) of each of
// AllNames(p), in that order.
func TonelessNames(p *Place) []string {
	names := AllNames(p)
	out := make([]string, len(names))
	for i, n := range names {
		if i > 0 && n.Text == names[0].Text {
			out[i] = out[0]
		} else {
			out[i] = romanize.Toneless(n.Text)
		}
	}
	return out
}

// AllNames returns the standard name followed by the place's other names, so
// that the standard name is always first (条例 第十八条).
func AllNames(p *Place) []Name {
	out := []Name{{Text: p.Name, Script: ScriptHans, Kind: KindStandard}}
	for _, n := range p.Names {
		if n.Kind == KindStandard && n.Text == p.Name {
			out[0] = n
			continue
		}
		out = append(out, n)
	}
	return out
}

// Derive fills the derived fields of a record that its author may leave out:
// the 专名/通名 split, the standard pinyin and sign form (docs/domain.md §4), polygon
// rings in RFC 7946's orientation, and a label point for a geometry. Values already present are kept: a reviewed
// romanization in the record overrides the generated one.
func Derive(p *Place) {
	if p.Specific == "" && p.Generic == "" && p.Name != "" {
		p.Specific, p.Generic = romanize.Split(p.Name)
	}
	switch {
	case p.Name == "":
	case p.Pinyin == "" && p.Sign == "":
		p.Pinyin, p.Sign = romanize.Forms(p.Specific, p.Generic, p.Joined)
	case p.Pinyin == "":
		p.Pinyin = romanize.Standard(p.Specific, p.Generic, p.Joined)
	case p.Sign == "":
		p.Sign = romanize.Sign(p.Specific, p.Generic, p.Joined)
	}
	if p.Status == "" {
		p.Status = StatusCurrent
	}
	if p.Geometry != nil {
		p.Geometry = wgeo.OrientRings(p.Geometry) // RFC 7946 orientation, whatever the file had
	}
	if p.Label == nil && p.Geometry != nil {
		l := LabelPoint(p.Geometry)
		p.Label = &l
	}
}

// LabelPoint returns where a geometry's label goes: the point itself, the
// middle vertex of a line, or for a polygon a point inside it and off its
// holes (a lake's label on its water, not on an island).
func LabelPoint(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return wgeo.InteriorPoint(g)
	case orb.Point:
		return g
	case orb.MultiPoint:
		if len(g) > 0 {
			return g[0]
		}
	case orb.LineString:
		if len(g) > 0 {
			return g[len(g)/2]
		}
	case orb.MultiLineString:
		if len(g) > 0 && len(g[0]) > 0 {
			return g[0][len(g[0])/2]
		}
	}
	return g.Bound().Center()
}

// String describes an outcome for logs and the CLI.
func (o Outcome) String() string {
	return fmt.Sprintf("%s %d %s", o.Action, o.ID, o.Name)
}
