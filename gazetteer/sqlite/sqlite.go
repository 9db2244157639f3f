// Package sqlite keeps the gazetteer in an embedded SQLite file
// (modernc.org/sqlite): every table, migration and query of the places,
// their revisions, naming review's proposals and the officers' accounts.
// It implements gazetteer.Backend, review.Storage and account.Storage; the
// domain packages above hold no SQL.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"wumen/gazetteer"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

//go:embed migrations/*/*.sql
var migrations embed.FS

// migrationSets are the folders of migrations, applied in this order, each
// recorded under its name (the names earlier versions recorded them under).
var migrationSets = []string{"core", "review", "account"}

// DB is the SQLite store.
type DB struct {
	db   *sql.DB
	path string

	// mu serialises writers inside the process; SQLite's busy timeout covers
	// other processes.
	mu       sync.Mutex
	auditLog atomic.Pointer[auditWriter]
	stmts    sync.Map // SQL text → *sql.Stmt, see queryPrepared

	ver version // see Version (feed.go)
}

// Open opens (creating if needed) the store at path and returns the
// gazetteer kept in it.
func Open(path string) (*gazetteer.Store, error) {
	db, err := OpenDB(path)
	if err != nil {
		return nil, err
	}
	return gazetteer.New(db), nil
}

// OpenDB opens (creating if needed) the SQLite file at path, with WAL,
// foreign keys and a busy timeout, and applies any pending migrations.
func OpenDB(file string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(9) // 8 for queries and writes, one for Version's poll
	s := &DB{db: db, path: file}
	for _, set := range migrationSets {
		if err := s.migrate(set, migrations, path.Join("migrations", set)); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return s, nil
}

// Close closes the database.
func (s *DB) Close() error {
	s.closeVersion()
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return s.db.Close()
}

// Path returns the file the store lives in.
func (s *DB) Path() string { return s.path }

// SQL returns the database itself, for tests of this package's tables.
func (s *DB) SQL() *sql.DB { return s.db }

// migrationFS is an embedded folder of migrations.
type migrationFS interface {
	fs.ReadDirFS
	fs.ReadFileFS
}

// migrate applies, in order and once each, the numbered *.sql files in dir of
// fsys, recording them under the given set name.
func (s *DB) migrate(set string, fsys migrationFS, dir string) error {
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
		if _, err := tx.Exec(`INSERT INTO schema_migrations VALUES (?,?,?)`, set, n, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Backup writes a consistent copy of the live store to dest (VACUUM INTO, which
// reads one snapshot while writers go on).
func (s *DB) Backup(ctx context.Context, dest string) error {
	_, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, dest)
	return err
}

// Meta returns a value of the meta table ("" when unset).
func (s *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key=?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// SetMeta sets a value of the meta table.
func (s *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, key, value)
	return err
}
