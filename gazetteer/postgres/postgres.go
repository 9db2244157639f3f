package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"wumen/gazetteer"
)

// DB is the PostgreSQL store. It implements gazetteer.Backend,
// review.Storage and account.Storage.
type DB struct {
	pool     *pgxpool.Pool
	url      string
	auditLog atomic.Pointer[auditWriter]

	ver      atomic.Int64 // see Version (feed.go)
	readOnly bool         // a streaming replica (replica.go)
	cancel   context.CancelFunc
	done     chan struct{}
}

type auditWriter func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error

// IsURL reports whether a --db value names a PostgreSQL database rather than
// a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open opens the database at url (postgres://user@host:port/db), applying
// any pending migrations, and returns the gazetteer kept in it.
func Open(url string) (*gazetteer.Store, error) {
	db, err := OpenDB(context.Background(), url)
	if err != nil {
		return nil, err
	}
	return gazetteer.New(db), nil
}

// OpenDB connects to the database, migrates it and starts following the
// change notices of every node writing to it.
func OpenDB(ctx context.Context, dbURL string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "the database URL cannot be read: %v", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", Redact(dbURL), err)
	}
	s := &DB{pool: pool, url: dbURL}
	if err := pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&s.readOnly); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", Redact(dbURL), err)
	}
	if s.readOnly {
		err = checkReplicaSchema(ctx, pool)
	} else {
		err = migrate(ctx, pool)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %w", Redact(dbURL), err)
	}
	if s.readOnly {
		s.followReplay()
	} else {
		s.follow()
	}
	return s, nil
}

// Close stops following changes and closes the connections.
func (s *DB) Close() error {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	s.pool.Close()
	return nil
}

// Path returns the database URL, without its password.
func (s *DB) Path() string { return Redact(s.url) }

// URL returns the database URL as given (with its password), for a second
// connection to the same database.
func (s *DB) URL() string { return s.url }

// Pool returns the connection pool, for tests of this package's tables.
func (s *DB) Pool() *pgxpool.Pool { return s.pool }

// Meta returns a value of the store's settings ("" when unset).
func (s *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key=$1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta sets a value of the store's settings.
func (s *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Backup writes a consistent copy of the live database to the file dest,
// with pg_dump (custom format: restore it with pg_restore into an empty
// database; PostgreSQL's client programs are needed).
func (s *DB) Backup(ctx context.Context, dest string) error {
	out, err := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--no-owner", "--file="+dest, "--dbname="+s.url).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_dump: %v: %s", err, out)
	}
	return nil
}

// SetAuditLog registers how audit entries are written inside a transaction.
func (s *DB) SetAuditLog(write func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error) {
	w := auditWriter(write)
	s.auditLog.Store(&w)
}

// Redact drops a password from a URL for messages.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the database"
	}
	return p.Redacted()
}
