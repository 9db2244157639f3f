//go:build !js

package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"wumen/gazetteer"
)

// DefaultMaxCatchUp is the fewest changed places an index opened behind its
// store takes one by one (OpenStore); more are rebuilt, which is faster from
// about here. An index of more than ten times as many places takes a tenth
// of its size.
const DefaultMaxCatchUp = 2000

// Building hears that OpenStore or BuildStore builds an index: why (""
// for a first build, or one asked for) and of how many places. The progress
// function it returns, when not nil, is called with the count of places read
// so far every 256 places; done is called when the build ends.
type Building func(why string, total int) (progress func(n int), done func())

// OpenStore opens the index of s at dir and brings it into agreement with
// the store. It catches up from the position the index saved (the last
// revision it applied), and rebuilds it (BuildStore) when it is missing,
// unreadable, records no position, was built from another store or an older
// state of this one (a restore, a copy), or when so many places changed
// that building is faster (more than max(DefaultMaxCatchUp, Len/10)). The
// index is derived, so rebuilding loses nothing.
//
// An index another process holds (a running server) is opened read-only
// after Options.BusyWait, as Open does, and returned as it is: it is never
// rebuilt or caught up here — the process that holds it follows the store.
// ReadOnly tells the caller.
func (o Options) OpenStore(ctx context.Context, s *gazetteer.Store, dir string, b Building) (*Index, error) {
	ix, err := o.Open(dir)
	if errors.Is(err, ErrBusy) {
		return nil, err // held, and unreadable: never rebuild an index a server is using
	}
	if err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return o.BuildStore(ctx, s, dir, "it cannot be read ("+err.Error()+")", b)
		}
		return o.BuildStore(ctx, s, dir, "", b)
	}
	if ix.ReadOnly() {
		return ix, nil
	}
	why := "it does not record which store it follows"
	if _, ok := ix.Position(); ok {
		_, err := ix.CatchUp(ctx, s, max(DefaultMaxCatchUp, ix.Len()/10))
		var many TooManyChanges
		switch {
		case err == nil:
			return ix, nil
		case errors.As(err, &many):
			why = fmt.Sprintf("%d places changed since it was last brought up to date", int(many))
		case gazetteer.ErrorCode(err) == gazetteer.EConflict:
			why = "the store is not the one it was built from (restored from a backup, replaced or copied)"
		default:
			ix.Close()
			return nil, err
		}
	}
	ix.Close()
	return o.BuildStore(ctx, s, dir, why, b)
}

// BuildStore builds the index of every place of s in dir (aside, then
// swapped in: Build) and records the store position it was built at. The
// position is read before the places, so a write made during the build is
// applied again by the next catch-up, never missed. why is told to b, when
// given, with the number of places. An index in dir that another process
// holds (a running server) is not replaced: that is an ErrBusy error.
func (o Options) BuildStore(ctx context.Context, s *gazetteer.Store, dir, why string, b Building) (*Index, error) {
	if held(dir, o.withDefaults().BusyWait) {
		return nil, fmt.Errorf("%w: %s is the index of a running server, which follows the store; stop it to rebuild the index, or build into another folder", ErrBusy, dir)
	}
	head, err := s.Head(ctx)
	if err != nil {
		return nil, err
	}
	total, err := s.Count(ctx, gazetteer.Filter{})
	if err != nil {
		return nil, err
	}
	var progress func(int)
	done := func() {}
	if b != nil {
		if progress, done = b(why, total); done == nil {
			done = func() {}
		}
	}
	n := 0
	ix, err := o.Build(dir, func(fn func(*gazetteer.Place) error) error {
		return s.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
			if n++; progress != nil && n%256 == 0 {
				progress(n)
			}
			return fn(p)
		})
	})
	done()
	if err != nil {
		return nil, err
	}
	if err := ix.SetPosition(head); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// held reports whether another process holds the index at dir: its bleve
// store's lock (bolt's, on root.bolt) is not free within wait. A missing
// or unreadable index is not held.
func held(dir string, wait time.Duration) bool {
	db, err := bolt.Open(filepath.Join(dir, bleveDir, "store", "root.bolt"), 0o600, &bolt.Options{Timeout: wait, ReadOnly: true})
	if err != nil {
		return errors.Is(err, bolterrors.ErrTimeout)
	}
	db.Close()
	return false
}
