//go:build !js

package search

import (
	"context"
	"fmt"

	"wumen/gazetteer"
)

// TooManyChanges is the error of a catch-up that would apply more changed
// places than its limit: rebuilding is then faster.
type TooManyChanges int

func (n TooManyChanges) Error() string { return fmt.Sprintf("%d changes to catch up", int(n)) }

// CatchUp applies to ix every place written after the position it saved and
// saves the new position, returning how many places it applied. With limit
// > 0, more changes than limit are a TooManyChanges error and nothing is
// applied. A position the store does not contain is an EConflict error (the
// store was restored, replaced or copied: rebuild).
func (ix *Index) CatchUp(ctx context.Context, s *gazetteer.Store, limit int) (int, error) {
	pos, ok := ix.Position()
	if !ok {
		return 0, gazetteer.Errorf(gazetteer.EConflict, "the index records no store position")
	}
	ids, to, err := s.ChangesSince(ctx, pos)
	if err != nil {
		return 0, err
	}
	if limit > 0 && len(ids) > limit {
		return 0, TooManyChanges(len(ids))
	}
	for _, id := range ids {
		p, err := s.Get(ctx, id)
		if err != nil {
			return 0, err
		}
		if err := ix.Upsert(p); err != nil {
			return 0, err
		}
	}
	if to != pos {
		return len(ids), ix.SetPosition(to)
	}
	return 0, nil
}

// Follow keeps ix current with the store's change feed: every step is
// applied and its position saved, so that after a restart the index catches
// up from where it stood. A step that does not start where the index stands
// (it was brought up to date from elsewhere, or missed one) is caught up
// from the index's own position instead. onErr, when set, hears of failures.
//
// A read-only index cannot follow: Follow returns ErrReadOnly, naming the
// directory (give each process that writes an index of its own).
func (ix *Index) Follow(ctx context.Context, s *gazetteer.Store, onErr func(error)) error {
	if ix.ReadOnly() {
		return fmt.Errorf("%w: %s is held by another process (a running server); give this one its own index", ErrReadOnly, ix.dir)
	}
	return s.Subscribe(ctx, func(ctx context.Context, c gazetteer.Changes) {
		if err := ix.apply(ctx, s, c); err != nil && onErr != nil {
			onErr(err)
		}
	})
}

func (ix *Index) apply(ctx context.Context, s *gazetteer.Store, c gazetteer.Changes) error {
	pos, ok := ix.Position()
	if ok && pos != c.From {
		_, err := ix.CatchUp(ctx, s, 0)
		return err
	}
	for _, p := range c.Places {
		if err := ix.Upsert(p); err != nil {
			return err
		}
	}
	if !ok {
		return nil // an index that records no position cannot start one here
	}
	return ix.SetPosition(c.To)
}
