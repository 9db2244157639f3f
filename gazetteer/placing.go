package gazetteer

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"wumen/geo"
)

// Positioning places that have none (docs/domain.md §7: every coordinate carries
// its method, accuracy and source): an officer draws it on the map or
// uploads a table, and each becomes a revision with its author.

// Placement is a position given to a place, with how it was obtained.
type Placement struct {
	ID       int64  // the place, or
	Code     string // its statistical code
	Geometry orb.Geometry
	Coord    Coord
	Where    string // file:row of an uploaded position
	// IfUpdated, when set, is the Updated time of the place as the officer
	// saw it: a place changed since is a conflict, not overwritten.
	IfUpdated string
}

// checkPlacement validates what a person supplies with a position: a method
// (digitized when drawn on the map), an honest accuracy and its source.
func checkPlacement(p *Placement, needNote bool) error {
	if p.Geometry == nil {
		return invalid("geometry", "no position given")
	}
	if err := ValidGeometry(p.Geometry); err != nil {
		return err
	}
	if p.Coord.Method == "" {
		p.Coord.Method = "digitized"
	}
	if !validMethods[p.Coord.Method] {
		return invalid("method", "unknown method %q (surveyed, digitized, estimated)", p.Coord.Method)
	}
	if p.Coord.AccuracyM <= 0 {
		return invalid("accuracy", "give the position's honest accuracy in metres")
	}
	if strings.TrimSpace(p.Coord.Source) == "" {
		return invalid("source", "say where the position comes from (a survey, a map, the village committee …)")
	}
	if needNote && strings.TrimSpace(p.Coord.Note) == "" {
		return invalid("note", "add a note on how the position was taken")
	}
	return nil
}

// SetPlacements gives places their positions in one transaction, each as a
// revision by c.Actor: either every position is valid and lands, or none
// does and the error lists every bad one with its row. needNote requires a
// note with each (the map form; an uploaded table may leave it out).
func (s *Store) SetPlacements(ctx context.Context, ps []Placement, c Change, needNote bool) (*Report, error) {
	var in []Input
	var bad []string
	for i := range ps {
		p := &ps[i]
		pl, err := s.positioned(ctx, p, needNote)
		if err != nil {
			if ErrorCode(err) != EInvalid && ErrorCode(err) != ENotFound {
				return nil, err
			}
			if len(bad) < maxListed {
				bad = append(bad, ErrorMessage(At(err, p.Where)))
			}
			continue
		}
		// The write names the revision read here, so a change made by someone
		// else between this read and the write is a conflict, never lost.
		in = append(in, Input{Place: pl, Where: p.Where, IfUpdated: pl.Updated})
	}
	if len(bad) > 0 {
		return nil, invalidRecords(bad, len(bad), len(ps))
	}
	return s.PutAll(ctx, in, c, PutOptions{})
}

// positioned returns the place of p with p's position.
func (s *Store) positioned(ctx context.Context, p *Placement, needNote bool) (*Place, error) {
	var pl *Place
	var err error
	switch {
	case p.ID != 0:
		pl, err = s.Get(ctx, p.ID)
	case p.Code != "":
		pl, err = s.GetByCode(ctx, p.Code)
	default:
		return nil, invalid("id", "give the place's id or statistical code")
	}
	if err != nil {
		if ErrorCode(err) == ENotFound {
			return nil, &Error{Code: EInvalid, Where: "id", Message: fmt.Sprintf("no place %d%s in the gazetteer", p.ID, p.Code)}
		}
		return nil, err
	}
	if p.IfUpdated != "" && pl.Updated != p.IfUpdated {
		return nil, staleWrite(pl.ID, pl)
	}
	if err := checkPlacement(p, needNote); err != nil {
		return nil, err
	}
	pl.Geometry, pl.Label = p.Geometry, nil
	c := p.Coord
	pl.Coord = &c
	Derive(pl)
	if err := s.cats.Validate(pl); err != nil {
		return nil, err
	}
	return pl, nil
}

// ReadPlacementsCSV reads an uploaded table of positions: a header with id
// or code, lon, lat, accuracy and source (method and note optional; lon and
// lat in decimal degrees or 度分秒, WGS84/CGCS2000). Every bad row is
// reported with its row and column; nothing is returned unless all are good.
func ReadPlacementsCSV(r io.Reader, name string) ([]Placement, error) {
	cr, _, col, err := csvWithHeader(r, name+": row 1")
	if err != nil {
		return nil, err
	}
	_, hasID := col["id"]
	_, hasCode := col["code"]
	for _, req := range []string{"lon", "lat", "accuracy", "source"} {
		if _, ok := col[req]; !ok || !(hasID || hasCode) {
			return nil, &Error{Code: EInvalid, Where: name + ": row 1",
				Message: "the header needs the columns id (or code), lon, lat, accuracy and source; method and note are optional"}
		}
	}
	var out []Placement
	var bad []string
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		where := fmt.Sprintf("%s: row %d", name, n)
		if err != nil {
			bad = append(bad, where+": "+err.Error())
			continue
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p, err := placementRow(get)
		if err != nil {
			if len(bad) < maxListed {
				bad = append(bad, ErrorMessage(At(err, where)))
			}
			continue
		}
		p.Where = where
		out = append(out, p)
	}
	if len(bad) > 0 {
		return nil, invalidRecords(bad, len(bad), len(out)+len(bad))
	}
	return out, nil
}

func placementRow(get func(string) string) (Placement, error) {
	p := Placement{Code: get("code"), Coord: Coord{Method: get("method"), Source: get("source"), Note: get("note")}}
	if s := get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return p, invalid("id", "%q is not a place id", s)
		}
		p.ID = id
	}
	lon, err := geo.ParseDegrees(get("lon"), geo.Lon)
	if err != nil {
		return p, invalid("lon", "%v", err)
	}
	lat, err := geo.ParseDegrees(get("lat"), geo.Lat)
	if err != nil {
		return p, invalid("lat", "%v", err)
	}
	p.Geometry = orb.Point{lon, lat}
	if s := get("accuracy"); s != "" {
		a, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return p, invalid("accuracy", "%q is not a number of metres", s)
		}
		p.Coord.AccuracyM = a
	}
	return p, checkPlacement(&p, false)
}

// Awaiting is a place awaiting a position, with how often its page is
// looked at.
type Awaiting struct {
	ID       int64
	Name     string
	Category Category
	Admin    []string
	Views    int64
}

// AwaitingFilter selects the places awaiting a position: within an
// administrative unit (a county or township code), of a category (大类 or
// 子类).
type AwaitingFilter struct {
	Admin, Category string
	Limit, Offset   int
}

// AwaitingPosition lists places without a position, the most looked-at
// first, and how many there are.
func (s *Store) AwaitingPosition(ctx context.Context, f AwaitingFilter) ([]Awaiting, int, error) {
	s.FlushViews(ctx)
	if f.Limit <= 0 {
		f.Limit = 100
	}
	found, total, err := s.b.Unpositioned(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var out []Awaiting
	for _, x := range found {
		p, err := s.Get(ctx, x.ID)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, Awaiting{ID: p.ID, Name: p.Name, Category: p.Category, Admin: p.Admin, Views: x.Views})
	}
	return out, total, nil
}

// viewFlushEvery and viewFlushAt say when counted page views are written:
// every so often, or once so many are pending.
const (
	viewFlushEvery = 30 * time.Second
	viewFlushAt    = 500
)

// views counts page views in memory between writes.
type views struct {
	mu      sync.Mutex
	pending map[int64]int64
	n       int
	last    time.Time
}

// Viewed counts one look at a place's public page. Counts are kept in
// memory and added to the store in batches (every 30 s or 500 views, and
// by FlushViews), so a page view never waits for a write.
func (s *Store) Viewed(id int64) {
	v := &s.views
	v.mu.Lock()
	if v.pending == nil {
		v.pending, v.last = map[int64]int64{}, time.Now()
	}
	v.pending[id]++
	v.n++
	due := v.n >= viewFlushAt || time.Since(v.last) >= viewFlushEvery
	v.mu.Unlock()
	if due {
		go s.FlushViews(context.Background())
	}
}

// FlushViews adds the counted page views to the store (Backend.AddViews:
// bookkeeping that no page shows, so it leaves the store's Version and the
// caches it keeps valid).
func (s *Store) FlushViews(ctx context.Context) error {
	v := &s.views
	v.mu.Lock()
	batch := v.pending
	v.pending, v.n, v.last = map[int64]int64{}, 0, time.Now()
	v.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	return s.b.AddViews(ctx, batch)
}
