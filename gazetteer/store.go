package gazetteer

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// Store is the gazetteer: the only thing Wumen writes. Everything else (the
// search index, static pages, tiles) is derived from it. It holds the domain
// rules and keeps what it is given in a Backend (gazetteer/sqlite by
// default); New wraps one.
type Store struct {
	b Backend

	feed  feed // the change feed (changes.go)
	cats  *Categories
	now   func() time.Time
	views views // page views counted between writes (placing.go)

	locOnce sync.Once
	locator *PlaceLocator // see Locator (locate.go)
}

// New returns the store kept by b.
func New(b Backend) *Store {
	return &Store{b: b, cats: DefaultCategories(), now: time.Now}
}

// Backend returns the implementation the store keeps its records in. Domain
// packages with tables of their own (naming review, accounts) ask it for
// their interfaces.
func (s *Store) Backend() Backend { return s.b }

// ReadOnly reports whether the store only reads (a node on a PostgreSQL
// streaming replica): every write is then an EUnavailable error.
func (s *Store) ReadOnly() bool {
	ro, ok := s.b.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// Close keeps the counted page views and closes the backend.
func (s *Store) Close() error {
	s.FlushViews(context.Background())
	return s.b.Close()
}

// Path returns where the store lives.
func (s *Store) Path() string { return s.b.Path() }

// SetCategories replaces the category table used to validate records.
func (s *Store) SetCategories(c *Categories) { s.cats = c }

// Categories returns the category table in force.
func (s *Store) Categories() *Categories { return s.cats }

// Update runs fn in one transaction of the backend (see Backend.Update).
func (s *Store) Update(ctx context.Context, fn func(Tx) error) error {
	return s.b.Update(ctx, TxOptions{}, fn)
}

// SetAuditLog registers how audit entries are written (the account package
// keeps the log). Until one is registered, an audited commit is refused.
func (s *Store) SetAuditLog(write func(ctx context.Context, tx Tx, e AuditEntry) error) {
	s.b.SetAuditLog(write)
}

// Change says who writes and why; every revision carries it.
type Change struct {
	Actor  string
	Reason string
}

// Revision is one appended record of a write.
type Revision struct {
	ID      int64           `json:"id"`
	PlaceID int64           `json:"place_id"`
	At      string          `json:"at"`
	Actor   string          `json:"actor"`
	Reason  string          `json:"reason"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
}

// Get returns the place with the given id.
func (s *Store) Get(ctx context.Context, id int64) (*Place, error) { return s.b.Get(ctx, id) }

// GetByCode returns the administrative unit with the given statistical code.
func (s *Store) GetByCode(ctx context.Context, code string) (*Place, error) {
	return s.b.GetByCode(ctx, code)
}

// DecodeDoc decodes a stored JSON record.
func DecodeDoc(doc []byte) (*Place, error) {
	p := new(Place)
	if err := json.Unmarshal(doc, p); err != nil {
		return nil, fmt.Errorf("decode stored place: %w", err)
	}
	return p, nil
}

// Filter selects places. Zero fields select everything.
type Filter struct {
	IDs             []int64
	Class           string // 大类 or 子类
	Admin           string // statistical-code prefix of any administrative parent, or of the place's own code
	Heritage        string // heritage list name, or "*" or "any" for any list
	Status          Status
	BBox            *orb.Bound
	MissingGeometry bool
	ChangedSince    time.Time
	Limit, Offset   int
}

// Each calls fn for every place the filter selects, in id order, streaming
// (memory stays bounded however many places match).
func (s *Store) Each(ctx context.Context, f Filter, fn func(*Place) error) error {
	return s.b.EachDoc(ctx, f, func(doc []byte) error {
		p, err := DecodeDoc(doc)
		if err != nil {
			return err
		}
		return fn(p)
	})
}

// eachDoc streams the stored JSON records themselves. A record is stored
// exactly as it is exported, so a WGS84 JSON Lines export copies them.
func (s *Store) eachDoc(ctx context.Context, f Filter, fn func(doc []byte) error) error {
	return s.b.EachDoc(ctx, f, fn)
}

// List returns the selected places (honouring Limit and Offset) and the total
// number that match without paging.
func (s *Store) List(ctx context.Context, f Filter) ([]*Place, int, error) {
	total, err := s.Count(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var out []*Place
	err = s.Each(ctx, f, func(p *Place) error { out = append(out, p); return nil })
	return out, total, err
}

// Count returns how many places the filter selects (ignoring paging).
func (s *Store) Count(ctx context.Context, f Filter) (int, error) { return s.b.Count(ctx, f) }

// NextID returns an id that has never been used. Places are never deleted, so
// one more than the largest id is never a reuse.
func (s *Store) NextID(ctx context.Context) (int64, error) { return s.b.NextID(ctx) }

// Revisions returns the revisions of a place, oldest first.
func (s *Store) Revisions(ctx context.Context, placeID int64) ([]Revision, error) {
	return s.b.Revisions(ctx, placeID)
}

// Backup writes a consistent copy of the live store to dest, read from one
// snapshot while writers go on. Restore is copying the file back while no
// server runs.
func (s *Store) Backup(ctx context.Context, dest string) error { return s.b.Backup(ctx, dest) }

// Meta returns a value of the meta table ("" when unset).
func (s *Store) Meta(ctx context.Context, key string) (string, error) { return s.b.Meta(ctx, key) }

// SetMeta sets a value of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.b.SetMeta(ctx, key, value)
}

// Version returns a number that changes after every committed write: at
// once for writes through this process, and shortly after a commit by any
// other process. Caches of what is derived from the store (rendered pages,
// API answers) are valid while it stays the same.
func (s *Store) Version() int64 { return s.b.Version() }

// ChangedSince returns the ids of the places written after revision
// afterRev, and the newest revision id. A server polls it to keep its
// derived state (the search index) current with writes made by other
// processes, such as a command-line import.
func (s *Store) ChangedSince(ctx context.Context, afterRev int64) (ids []int64, last int64, err error) {
	head, err := s.b.Head(ctx)
	if err != nil || head.Revision <= afterRev {
		return nil, afterRev, err
	}
	ids, err = s.b.Changed(ctx, afterRev, head.Revision)
	if err != nil {
		return nil, afterRev, err
	}
	return ids, head.Revision, nil
}

// LastRevision returns the id of the newest revision (0 for an empty store).
func (s *Store) LastRevision(ctx context.Context) (int64, error) {
	head, err := s.b.Head(ctx)
	return head.Revision, err
}

// Extents returns, per 大类, how many places there are and the bound of
// those with a geometry.
func (s *Store) Extents(ctx context.Context) ([]Extent, error) { return s.b.Extents(ctx) }
