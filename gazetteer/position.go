package gazetteer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
)

// Position is a point in one store's history: the store's identity (a random
// id made when the store was created), the last revision applied and a
// checksum of that revision. A derived view (the search index) saves the
// position it has reached; on open it asks the store whether that position is
// still part of its history (Contains). A restored backup or an older copy
// has the same id but not the same revision under that number (or none), and
// another store has another id: either way the view rebuilds instead of
// serving what the store no longer holds.
type Position struct {
	Store    string `json:"store"`
	Revision int64  `json:"revision"`
	Checksum string `json:"checksum"`
}

// ID returns the store's identity (meta store_id, made by migration 0002).
func (s *Store) ID(ctx context.Context) (string, error) {
	return s.Meta(ctx, "store_id")
}

// Head returns the position of the newest revision.
func (s *Store) Head(ctx context.Context) (Position, error) {
	return s.positionAt(ctx, -1)
}

// positionAt returns the position of revision rev (the newest when rev < 0;
// revision 0, the empty history, has no checksum). A revision that does not
// exist gives a position with an empty Store.
func (s *Store) positionAt(ctx context.Context, rev int64) (Position, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='store_id'`).Scan(&id)
	if err != nil {
		return Position{}, err
	}
	var row *sql.Row
	if rev < 0 {
		row = s.db.QueryRowContext(ctx, `SELECT id, place_id, at, actor, after FROM revisions ORDER BY id DESC LIMIT 1`)
	} else {
		row = s.db.QueryRowContext(ctx, `SELECT id, place_id, at, actor, after FROM revisions WHERE id=?`, rev)
	}
	var r struct {
		id, place        int64
		at, actor, after string
	}
	switch err := row.Scan(&r.id, &r.place, &r.at, &r.actor, &r.after); {
	case err == sql.ErrNoRows && rev <= 0:
		return Position{Store: id}, nil
	case err == sql.ErrNoRows:
		return Position{}, nil
	case err != nil:
		return Position{}, err
	}
	h := sha256.New()
	for _, f := range []string{strconv.FormatInt(r.id, 10), strconv.FormatInt(r.place, 10), r.at, r.actor, r.after} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return Position{Store: id, Revision: r.id, Checksum: hex.EncodeToString(h.Sum(nil)[:16])}, nil
}

// Contains reports whether p is a position of this store's history: the same
// store, and revision p.Revision exists and is the revision p was taken at.
func (s *Store) Contains(ctx context.Context, p Position) (bool, error) {
	if p.Store == "" {
		return false, nil
	}
	at, err := s.positionAt(ctx, p.Revision)
	if err != nil {
		return false, err
	}
	return at == p, nil
}

// ChangesSince returns the ids of the places written after position p and the
// position of the newest revision among them (p itself when nothing changed):
// every change up to the returned position is in ids. Revisions are only ever
// appended, so reading the head first and then the revisions up to it needs
// no transaction. A position this store does not contain (a restored backup,
// another store) is an EConflict error: the caller rebuilds.
func (s *Store) ChangesSince(ctx context.Context, p Position) (ids []int64, to Position, err error) {
	head, err := s.Head(ctx)
	if err != nil {
		return nil, p, err
	}
	if ok, err := s.Contains(ctx, p); err != nil || !ok {
		if err == nil {
			err = Errorf(EConflict, "the store is not the one this view was built from (restored, replaced or copied)")
		}
		return nil, p, err
	}
	if head.Revision == p.Revision {
		return nil, p, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT place_id FROM revisions WHERE id > ? AND id <= ? ORDER BY place_id`, p.Revision, head.Revision)
	if err != nil {
		return nil, p, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, p, err
		}
		ids = append(ids, id)
	}
	return ids, head, rows.Err()
}
