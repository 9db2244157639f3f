package gazetteer

import (
	"context"
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

// ID returns the store's identity (meta store_id, made when it was created).
func (s *Store) ID(ctx context.Context) (string, error) {
	return s.Meta(ctx, "store_id")
}

// Head returns the position of the newest revision.
func (s *Store) Head(ctx context.Context) (Position, error) {
	return s.b.Head(ctx)
}

// Contains reports whether p is a position of this store's history: the same
// store, and revision p.Revision exists and is the revision p was taken at.
func (s *Store) Contains(ctx context.Context, p Position) (bool, error) {
	if p.Store == "" {
		return false, nil
	}
	at, err := s.b.At(ctx, p.Revision)
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
	ids, err = s.b.Changed(ctx, p.Revision, head.Revision)
	if err != nil {
		return nil, p, err
	}
	return ids, head, nil
}
