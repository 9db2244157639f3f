// Package stores opens a store by its target, as the commands name it: a
// SQLite file (wumen.db) or a PostgreSQL database
// (postgres://user@host:5432/db). It says whether the store was just
// created (so the caller seeds it), whether one is set up there, how
// messages name it without a password, and where its search index lives.
package stores

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres"
	"wumen/gazetteer/sqlite"
)

// initialisedKey marks a PostgreSQL database that Open (`wumen init`, or a
// first open) has set up, as the existence of the file marks a SQLite store.
const initialisedKey = "wumen_initialised"

// Open opens the store target names; fresh is true when it was just
// created (a new file, a database never set up), so that the caller seeds
// it.
func Open(ctx context.Context, target string) (s *gazetteer.Store, fresh bool, err error) {
	if !postgres.IsURL(target) {
		_, statErr := os.Stat(target)
		s, err := sqlite.Open(target)
		return s, os.IsNotExist(statErr), err
	}
	s, err = postgres.Open(target)
	if err != nil {
		return nil, false, err
	}
	v, err := s.Backend().Meta(ctx, initialisedKey)
	if err != nil {
		s.Close()
		return nil, false, err
	}
	if v == "" {
		if err := s.Backend().SetMeta(ctx, initialisedKey, "1"); err != nil {
			s.Close()
			return nil, false, err
		}
	}
	return s, v == "", nil
}

// Exists reports whether the store target names has been set up.
func Exists(ctx context.Context, target string) (bool, error) {
	if !postgres.IsURL(target) {
		_, err := os.Stat(target)
		return err == nil, nil
	}
	db, err := postgres.OpenDB(ctx, target)
	if err != nil {
		return false, err
	}
	defer db.Close()
	v, err := db.Meta(ctx, initialisedKey)
	return v != "", err
}

// Name is how messages and logs name a store: the file, or the
// database URL without its password.
func Name(target string) string {
	if postgres.IsURL(target) {
		return postgres.Redact(target)
	}
	return target
}

// IndexDir is where a store's search index lives unless --index
// says: beside a SQLite file, and for a database in the working folder
// under a name derived from the URL (each serving node keeps its own).
func IndexDir(db string) string {
	if !postgres.IsURL(db) {
		return db + ".index"
	}
	h := sha256.Sum256([]byte(postgres.Redact(db)))
	return fmt.Sprintf("wumen-%s.index", hex.EncodeToString(h[:6]))
}
