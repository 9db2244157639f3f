package gazetteer

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite gazetteer: the only thing Wumen writes. Everything else
// (the search index, static pages, tiles) is derived from it.
type Store struct {
	db   *sql.DB
	path string

	// mu serialises writers inside the process; SQLite's busy timeout covers
	// other processes.
	mu       sync.Mutex
	watchers []func(*Place)
	auditLog atomic.Pointer[auditWriter]
	cats     *Categories
	now      func() time.Time
	views    views // page views counted between writes (placing.go)

	locOnce sync.Once
	locator *PlaceLocator // see Locator (locate.go)

	ver version // see Version (version.go)
}

// Open opens (creating if needed) the store at path, with WAL, foreign keys
// and a busy timeout, and applies any pending migrations.
func Open(path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(9) // 8 for queries and writes, one for Version's poll
	s := &Store{db: db, path: path, cats: DefaultCategories(), now: time.Now}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.FlushViews(context.Background()) // counted page views are kept
	s.closeVersion()
	return s.db.Close()
}

// DB returns the underlying database for packages of the domain that keep
// their own tables (naming review). Writers must use the store's methods.
func (s *Store) DB() *sql.DB { return s.db }

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// SetCategories replaces the category table used to validate records.
func (s *Store) SetCategories(c *Categories) { s.cats = c }

// Categories returns the category table in force.
func (s *Store) Categories() *Categories { return s.cats }

// Watch registers fn to be called after every committed write of a place,
// with the place as written. The search index keeps itself current this way.
func (s *Store) Watch(fn func(*Place)) {
	s.mu.Lock()
	s.watchers = append(s.watchers, fn)
	s.mu.Unlock()
}

// MigrationFS is satisfied by embedded migration folders of other domain
// packages (naming review keeps its tables beside the places).
type MigrationFS interface {
	fs.ReadDirFS
	fs.ReadFileFS
}

func (s *Store) migrate() error {
	return s.Migrate("core", migrations, "migrations")
}

// Migrate applies, in order and once each, the numbered *.sql files in dir of
// fsys, recording them under the given set name.
func (s *Store) Migrate(set string, fsys MigrationFS, dir string) error {
	if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (set_name TEXT NOT NULL, name TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (set_name, name))`); err != nil {
		return err
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		var one int
		err := s.db.QueryRow(`SELECT 1 FROM schema_migrations WHERE set_name=? AND name=?`, set, n).Scan(&one)
		if err == nil {
			continue
		} else if err != sql.ErrNoRows {
			return err
		}
		b, err := fsys.ReadFile(path.Join(dir, n))
		if err != nil {
			return err
		}
		tx, err := s.db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(b)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s/%s: %w", set, n, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_migrations VALUES (?,?,?)`, set, n, s.now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
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
func (s *Store) Get(ctx context.Context, id int64) (*Place, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM places WHERE id=?`, id).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, Errorf(ENotFound, "place %d not found", id)
	} else if err != nil {
		return nil, err
	}
	return decodeDoc(doc)
}

// GetByCode returns the administrative unit with the given statistical code.
func (s *Store) GetByCode(ctx context.Context, code string) (*Place, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM places WHERE code=? ORDER BY id LIMIT 1`, code).Scan(&doc)
	if err == sql.ErrNoRows {
		return nil, Errorf(ENotFound, "no administrative unit with code %s", code)
	} else if err != nil {
		return nil, err
	}
	return decodeDoc(doc)
}

func decodeDoc(doc string) (*Place, error) {
	p := new(Place)
	if err := json.Unmarshal([]byte(doc), p); err != nil {
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

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if len(f.IDs) > 0 {
		ph := strings.Repeat("?,", len(f.IDs))
		conds = append(conds, "p.id IN ("+ph[:len(ph)-1]+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.Class != "" {
		conds = append(conds, "(p.class=? OR p.subclass=?)")
		args = append(args, f.Class, f.Class)
	}
	if f.Admin != "" {
		conds = append(conds, "(p.code LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM place_admin a WHERE a.place_id=p.id AND a.code LIKE ? ESCAPE '\\'))")
		pre := likePrefix(f.Admin)
		args = append(args, pre, pre)
	}
	if f.Heritage == "*" || f.Heritage == "any" {
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id)")
	} else if f.Heritage != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM place_heritage h WHERE h.place_id=p.id AND (h.list=? OR h.level=?))")
		args = append(args, f.Heritage, f.Heritage)
	}
	if f.Status != "" {
		conds = append(conds, "p.status=?")
		args = append(args, string(f.Status))
	}
	if f.BBox != nil {
		conds = append(conds, "p.id IN (SELECT id FROM places_rtree WHERE max_lon>=? AND min_lon<=? AND max_lat>=? AND min_lat<=?)")
		args = append(args, f.BBox.Min.Lon(), f.BBox.Max.Lon(), f.BBox.Min.Lat(), f.BBox.Max.Lat())
	}
	if f.MissingGeometry {
		conds = append(conds, "p.has_geom=0")
	}
	if !f.ChangedSince.IsZero() {
		conds = append(conds, "p.updated>=?")
		args = append(args, f.ChangedSince.UTC().Format(TimeLayout))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// Each calls fn for every place the filter selects, in id order, streaming
// (memory stays bounded however many places match).
func (s *Store) Each(ctx context.Context, f Filter, fn func(*Place) error) error {
	return s.eachDoc(ctx, f, func(doc []byte) error {
		p, err := decodeDoc(string(doc))
		if err != nil {
			return err
		}
		return fn(p)
	})
}

// eachDoc streams the stored JSON records themselves. A record is stored
// exactly as it is exported, so a WGS84 JSON Lines export copies them.
func (s *Store) eachDoc(ctx context.Context, f Filter, fn func(doc []byte) error) error {
	where, args := f.where()
	q := `SELECT doc FROM places p` + where + ` ORDER BY p.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var doc []byte
	for rows.Next() {
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return rows.Err()
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
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM places p`+where, args...).Scan(&n)
	return n, err
}

// NextID returns an id that has never been used. Places are never deleted, so
// one more than the largest id is never a reuse.
func (s *Store) NextID(ctx context.Context) (int64, error) {
	var max sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(id) FROM places`).Scan(&max); err != nil {
		return 0, err
	}
	return max.Int64 + 1, nil
}

// Revisions returns the revisions of a place, oldest first.
func (s *Store) Revisions(ctx context.Context, placeID int64) ([]Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, place_id, at, actor, reason, coalesce(before,'null'), after FROM revisions WHERE place_id=? ORDER BY id`, placeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var before, after string
		if err := rows.Scan(&r.ID, &r.PlaceID, &r.At, &r.Actor, &r.Reason, &before, &after); err != nil {
			return nil, err
		}
		r.Before, r.After = json.RawMessage(before), json.RawMessage(after)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Backup writes a consistent copy of the live store to dest (VACUUM INTO, which
// reads one snapshot while writers go on). Restore is copying the file back
// while no server runs.
func (s *Store) Backup(ctx context.Context, dest string) error {
	_, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, dest)
	return err
}

// Meta returns a value of the meta table ("" when unset).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key=?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetMeta sets a value of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, key, value)
	return err
}

// ChangedSince returns the ids of the places written after revision
// afterRev, and the newest revision id. A server polls it to keep its
// derived state (the search index) current with writes made by other
// processes, such as a command-line import.
func (s *Store) ChangedSince(ctx context.Context, afterRev int64) (ids []int64, last int64, err error) {
	last = afterRev
	rows, err := s.db.QueryContext(ctx, `SELECT place_id, max(id) FROM revisions WHERE id > ? GROUP BY place_id ORDER BY place_id`, afterRev)
	if err != nil {
		return nil, last, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, rev int64
		if err := rows.Scan(&id, &rev); err != nil {
			return nil, last, err
		}
		ids = append(ids, id)
		if rev > last {
			last = rev
		}
	}
	return ids, last, rows.Err()
}

// LastRevision returns the id of the newest revision (0 for an empty store).
func (s *Store) LastRevision(ctx context.Context) (int64, error) {
	var last sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(id) FROM revisions`).Scan(&last)
	return last.Int64, err
}
