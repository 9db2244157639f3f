package gazetteer

import (
	"context"
	"io"

	"github.com/paulmach/orb"
)

// The interfaces a store implementation satisfies. Store (store.go) holds
// the domain rules — validation, derived fields, what a write does to a
// record, events, exports, the locator — and asks a Backend for what is kept:
// gazetteer/sqlite is the embedded implementation; any other (PostgreSQL)
// is one more package that passes the behaviour suite in gazetteer/storetest.
// Nothing above Store knows which implementation it has.

// PlaceReader reads stored places.
type PlaceReader interface {
	// Get returns the place with the given id (ENotFound when none).
	Get(ctx context.Context, id int64) (*Place, error)
	// GetByCode returns the administrative unit with the statistical code.
	GetByCode(ctx context.Context, code string) (*Place, error)
	// EachDoc streams the stored JSON records the filter selects, in id
	// order, honouring Limit and Offset.
	EachDoc(ctx context.Context, f Filter, fn func(doc []byte) error) error
	// Count returns how many places the filter selects, ignoring paging.
	Count(ctx context.Context, f Filter) (int, error)
	// NextID returns an id that has never been used.
	NextID(ctx context.Context) (int64, error)
	// Revisions returns the revisions of a place, oldest first.
	Revisions(ctx context.Context, placeID int64) ([]Revision, error)
	// AdminNames maps statistical codes to the first place holding each.
	AdminNames(ctx context.Context) (map[string]string, error)
	// Walks returns every walk in order.
	Walks(ctx context.Context) ([]Walk, error)
}

// Feed is the change feed: revisions are numbered in the order they were
// committed, by this process or any other writing the same store, and a
// derived view follows them by number.
type Feed interface {
	// Head returns the position of the newest revision.
	Head(ctx context.Context) (Position, error)
	// At returns the position of revision rev (an empty Store when there is
	// no such revision; the empty history at rev 0).
	At(ctx context.Context, rev int64) (Position, error)
	// Changed returns the ids of the places with a revision in (after, upTo].
	Changed(ctx context.Context, after, upTo int64) ([]int64, error)
	// Version returns a number that changes after every committed write,
	// from this process at once and from another within a short poll.
	Version() int64
}

// Spatial answers the bounding-box queries of the locator and reverse
// lookup.
type Spatial interface {
	// Within returns the current places whose bounding box meets box.
	Within(ctx context.Context, box orb.Bound, shape Shape) ([]BoxHit, error)
	// Units returns the current administrative units with those codes,
	// broadest (shortest code) first.
	Units(ctx context.Context, codes []string) ([]AdminRef, error)
	// Extents returns, per 大类, how many places there are and the bound of
	// those with a geometry (OGC API collections).
	Extents(ctx context.Context) ([]Extent, error)
}

// Shape narrows a spatial query to point places or to the others.
type Shape int

// Shapes of a spatial query.
const (
	AnyShape Shape = iota
	PointsOnly
	AreasOnly
)

// BoxHit is a place a spatial query found: what a reverse answer shows of
// it, its revision time (to decode its geometry once per revision) and
// whether its bounding box is a point.
type BoxHit struct {
	Nearby
	Updated string
	Point   bool
}

// Extent is how many places a 大类 holds and the bound of their geometries
// (nil when none has one).
type Extent struct {
	Class string
	Count int
	Bound *orb.Bound
}

// Views counts how often places' public pages are looked at, for the
// officers' list of places awaiting a position.
type Views interface {
	// Unpositioned lists the places without a position the filter selects,
	// the most looked-at first (only ID and Views set), and how many there
	// are.
	Unpositioned(ctx context.Context, f AwaitingFilter) ([]Awaiting, int, error)
	// AddViews adds counted page views. It is bookkeeping no page shows:
	// it does not change Version.
	AddViews(ctx context.Context, counts map[int64]int64) error
}

// Backend is a store implementation.
type Backend interface {
	PlaceReader
	Feed
	Spatial
	Views
	// Update runs fn in one transaction: everything fn writes lands, with
	// the audit entry ctx carries (WithAudit), or nothing does. Writers are
	// serialised. With opt.DryRun the transaction is rolled back after fn.
	Update(ctx context.Context, opt TxOptions, fn func(Tx) error) error
	// SetAuditLog registers how an audit entry is written inside a
	// transaction (the account package keeps the log).
	SetAuditLog(write func(ctx context.Context, tx Tx, e AuditEntry) error)
	// Meta returns a value of the store's settings ("" when unset).
	Meta(ctx context.Context, key string) (string, error)
	// SetMeta sets a value of the store's settings.
	SetMeta(ctx context.Context, key, value string) error
	// Backup writes a consistent copy of the live store to dest.
	Backup(ctx context.Context, dest string) error
	// Path names where the store lives (a file, a database URL).
	Path() string
	io.Closer
}

// TxOptions tune a transaction.
type TxOptions struct {
	// Bulk sets the transaction up for many rows (an import).
	Bulk bool
	// DryRun rolls the transaction back after it ran.
	DryRun bool
}

// Tx is one transaction's writes of places and walks. An implementation's
// transaction also satisfies the interfaces of the domain packages with
// tables of their own (review.Tx, account.Tx).
type Tx interface {
	// NextID returns one more than the largest id stored.
	NextID(ctx context.Context) (int64, error)
	// Stored returns the stored records of those ids that exist.
	Stored(ctx context.Context, ids []int64) (map[int64][]byte, error)
	// Match returns the stored record with the place's OSM id, GeoNames id
	// or statistical code, in that order (nil when none).
	Match(ctx context.Context, p *Place) ([]byte, error)
	// WritePlaces writes places, each with its revision.
	WritePlaces(ctx context.Context, c Change, at string, ws []PlaceWrite) error
	// PutWalks replaces the stored walks.
	PutWalks(ctx context.Context, walks []Walk, at string) error
}

// PlaceWrite is one place written: the place as stored, its JSON record,
// the record it replaces (nil for a creation) and its names' toneless
// readings.
type PlaceWrite struct {
	Place  *Place
	Doc    []byte
	Before []byte
	// Toneless are TonelessNames(Place) when the writer computed them
	// beside the backend's goroutine (nil when not).
	Toneless []string
}
