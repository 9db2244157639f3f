package gazetteer

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
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
	Outcomes                    []Outcome
	// Skipped lists the bad records an import left out (SkipInvalid), the
	// first hundred by name; SkippedCount counts them all.
	Skipped      []string
	SkippedCount int
}

// Input is one record to write, with where it came from for error reports.
type Input struct {
	Place *Place
	Where string // "file:line"
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
	// SkipInvalid makes Import write the valid records of a stream that
	// has bad ones, reporting what it skipped, instead of writing nothing.
	SkipInvalid bool
	// Also, when set, runs inside the write's transaction after the places
	// are written and before the commit, so that a change of another
	// domain table (a naming-review proposal marked applied) lands together
	// with the places or not at all.
	Also func(ctx context.Context, tx *sql.Tx, rep *Report) error

	// ifUpdated, when set, is the Updated time of the record the caller
	// read and changed: a write that finds another revision since is a
	// conflict, never a silent overwrite (optimistic concurrency).
	ifUpdated string
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
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var maxID sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM places`).Scan(&maxID); err != nil {
		return nil, err
	}
	next := maxID.Int64 + 1
	st, err := prepare(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer st.close()
	now := s.now().UTC().Format(TimeLayout)
	rep := &Report{}
	var written []*Place
	for i, r := range in {
		if err := ctx.Err(); err != nil {
			return nil, interrupted(err) // SIGTERM: the transaction rolls back
		}
		p := r.Place
		before, err := s.findExisting(ctx, tx, st.byID, p, opt.MatchLinks)
		if err != nil {
			return nil, At(err, r.Where)
		}
		if opt.ifUpdated != "" && (before == nil || before.Updated != opt.ifUpdated) {
			return nil, Errorf(EConflict, "place %d changed since it was read; try again", p.ID)
		}
		if before != nil {
			p.ID = before.ID
		} else if p.ID == 0 {
			p.ID = next
		}
		if p.ID >= next {
			next = p.ID + 1
		}
		act := Created
		var beforeDoc []byte
		if before != nil {
			beforeDoc = mustJSON(before)
			p.Updated = before.Updated
			if bytes.Equal(beforeDoc, mustJSON(p)) {
				act = Unchanged
			} else {
				act = Updated
			}
		}
		if act != Unchanged {
			// A new record keeps the time it carries (an export's last
			// revision, so export → import → export is lossless); a change
			// is stamped now.
			if act == Updated || p.Updated == "" {
				p.Updated = now
			} else if p.Updated, err = normalTime(p.Updated); err != nil {
				return nil, At(err, r.Where)
			}
			doc := string(mustJSON(p))
			if err := st.writeRow(ctx, p, doc, before != nil); err != nil {
				return nil, At(err, r.Where)
			}
			var bd any
			if beforeDoc != nil {
				bd = string(beforeDoc)
			}
			if _, err := st.revision.ExecContext(ctx, p.ID, now, c.Actor, c.Reason, bd, doc); err != nil {
				return nil, err
			}
			written = append(written, p)
		}
		switch act {
		case Created:
			rep.Created++
		case Updated:
			rep.Updated++
		default:
			rep.Unchanged++
		}
		rep.Outcomes = append(rep.Outcomes, Outcome{ID: p.ID, Name: p.Name, Action: act, Where: r.Where})
		if opt.Progress != nil {
			opt.Progress(i + 1)
		}
	}
	if opt.Also != nil {
		if err := opt.Also(ctx, tx, rep); err != nil {
			return nil, err
		}
	}
	if opt.DryRun {
		return rep, nil
	}
	if err := s.Commit(ctx, tx); err != nil {
		return nil, err
	}
	for _, p := range written {
		for _, w := range s.watchers {
			w(p)
		}
	}
	return rep, nil
}

// interrupted is the error of a write stopped by its context (SIGINT or
// SIGTERM during an import): nothing was written.
func interrupted(err error) error {
	return fmt.Errorf("interrupted (%w); nothing was written", err)
}

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

func mustJSON(p *Place) []byte {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // a validated Place always marshals
	}
	return b
}

// findExisting returns the stored place this record updates: by id, or, with
// matchLinks, by OSM id, GeoNames id or statistical code.
func (s *Store) findExisting(ctx context.Context, tx *sql.Tx, byID *sql.Stmt, p *Place, matchLinks bool) (*Place, error) {
	var doc string
	if p.ID != 0 {
		err := byID.QueryRowContext(ctx, p.ID).Scan(&doc)
		if err == nil {
			return decodeDoc(doc)
		} else if err != sql.ErrNoRows {
			return nil, err
		}
		return nil, nil // an explicit new id is a new place
	}
	if !matchLinks {
		return nil, nil
	}
	try := func(q string, arg any) (*Place, error) {
		err := tx.QueryRowContext(ctx, q, arg).Scan(&doc)
		if err == sql.ErrNoRows {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return decodeDoc(doc)
	}
	if p.Links.OSM != "" {
		if e, err := try(`SELECT doc FROM places WHERE json_extract(doc,'$.links.osm')=? LIMIT 1`, p.Links.OSM); e != nil || err != nil {
			return e, err
		}
	}
	if p.Links.GeoNames != 0 {
		if e, err := try(`SELECT doc FROM places WHERE json_extract(doc,'$.links.geonames')=? LIMIT 1`, p.Links.GeoNames); e != nil || err != nil {
			return e, err
		}
	}
	if p.Code != "" {
		if e, err := try(`SELECT doc FROM places WHERE code=? LIMIT 1`, p.Code); e != nil || err != nil {
			return e, err
		}
	}
	return nil, nil
}

// stmts are the statements of a batch write, prepared once per transaction:
// re-parsing SQL for every record was the largest cost of an import.
type stmts struct {
	place, name, admin, heritage, rtree, revision, byID *sql.Stmt
	clear                                               []*sql.Stmt
}

func prepare(ctx context.Context, tx *sql.Tx) (*stmts, error) {
	st := &stmts{}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = tx.PrepareContext(ctx, q)
		return s
	}
	st.place = prep(`INSERT INTO places(id,name,specific,generic,class,subclass,status,code,level,pinyin,toneless,has_geom,lon,lat,rank,updated,doc)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, specific=excluded.specific, generic=excluded.generic, class=excluded.class,
		subclass=excluded.subclass, status=excluded.status, code=excluded.code, level=excluded.level, pinyin=excluded.pinyin,
		toneless=excluded.toneless, has_geom=excluded.has_geom, lon=excluded.lon, lat=excluded.lat, rank=excluded.rank,
		updated=excluded.updated, doc=excluded.doc`)
	st.byID = prep(`SELECT doc FROM places WHERE id=?`)
	st.name = prep(`INSERT INTO place_names VALUES (?,?,?,?,?,?,?,?)`)
	st.admin = prep(`INSERT OR IGNORE INTO place_admin VALUES (?,?)`)
	st.heritage = prep(`INSERT OR IGNORE INTO place_heritage VALUES (?,?,?,?)`)
	st.rtree = prep(`INSERT INTO places_rtree VALUES (?,?,?,?,?)`)
	st.revision = prep(`INSERT INTO revisions(place_id, at, actor, reason, before, after) VALUES (?,?,?,?,?,?)`)
	for _, q := range []string{`DELETE FROM place_names WHERE place_id=?`, `DELETE FROM place_admin WHERE place_id=?`,
		`DELETE FROM place_heritage WHERE place_id=?`, `DELETE FROM places_rtree WHERE id=?`} {
		st.clear = append(st.clear, prep(q))
	}
	return st, err
}

func (st *stmts) close() {
	for _, s := range append([]*sql.Stmt{st.byID, st.place, st.name, st.admin, st.heritage, st.rtree, st.revision}, st.clear...) {
		if s != nil {
			s.Close()
		}
	}
}

func (st *stmts) writeRow(ctx context.Context, p *Place, doc string, exists bool) error {
	var lon, lat any
	hasGeom := 0
	if p.Label != nil {
		lon, lat = p.Label.Lon(), p.Label.Lat()
	}
	if p.Geometry != nil {
		hasGeom = 1
	}
	if exists {
		for _, c := range st.clear {
			if _, err := c.ExecContext(ctx, p.ID); err != nil {
				return err
			}
		}
	}
	_, err := st.place.ExecContext(ctx, p.ID, p.Name, p.Specific, p.Generic, p.Category.Class, p.Category.Subclass, string(p.Status),
		p.Code, p.Level, p.Pinyin, romanize.Toneless(p.Name), hasGeom, lon, lat, p.Rank, p.Updated, doc)
	if err != nil {
		return err
	}
	for i, n := range AllNames(p) {
		if _, err := st.name.ExecContext(ctx, p.ID, i, n.Text, n.Script, n.Kind, n.Start, n.End, romanize.Toneless(n.Text)); err != nil {
			return err
		}
	}
	for _, a := range p.Admin {
		if _, err := st.admin.ExecContext(ctx, p.ID, a); err != nil {
			return err
		}
	}
	for _, h := range p.Heritage {
		if _, err := st.heritage.ExecContext(ctx, p.ID, h.List, h.Level, h.Year); err != nil {
			return err
		}
	}
	if p.Geometry != nil {
		b := p.Geometry.Bound()
		if _, err := st.rtree.ExecContext(ctx, p.ID, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat()); err != nil {
			return err
		}
	}
	return nil
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
// the 专名/通名 split, the standard pinyin and sign form (DOMAIN.md §4), and a
// label point for a geometry. Values already present are kept: a reviewed
// romanization in the record overrides the generated one.
func Derive(p *Place) {
	if p.Specific == "" && p.Generic == "" && p.Name != "" {
		p.Specific, p.Generic = romanize.Split(p.Name)
	}
	if p.Pinyin == "" && p.Name != "" {
		p.Pinyin = romanize.Standard(p.Specific, p.Generic, p.Joined)
	}
	if p.Sign == "" && p.Name != "" {
		p.Sign = romanize.Sign(p.Specific, p.Generic, p.Joined)
	}
	if p.Status == "" {
		p.Status = StatusCurrent
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
