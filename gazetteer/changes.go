package gazetteer

import (
	"context"
	"sync"
	"time"
)

// The change feed. Every write of places appends revisions, numbered in the
// order they were committed, whether by this process or another on the same
// store; the feed hands each step of that history, once and in order, to
// every subscriber: the search index, the browse catalog, the tiles and the
// cached admin names of the site all follow it. A write through this Store
// is handed on before it returns; writes by other processes when Follow
// next polls.

// Changes is one step of the feed: the places written by the revisions
// after From up to To, each as it is stored now, in id order.
type Changes struct {
	From, To Position
	Places   []*Place
}

// feed is the store's change feed.
type feed struct {
	mu      sync.Mutex // serialises steps: each revision is handed on once, in order
	started bool
	at      Position // the position the subscribers have been given
	subs    []func(context.Context, Changes)
}

// Subscribe registers fn to be called with every step of the change feed
// from now on. fn runs in the writer's goroutine for writes through this
// store and in Follow's for others; steps never run at once. fn reads the
// store but must not write to it (the step it is given is not over).
func (s *Store) Subscribe(ctx context.Context, fn func(context.Context, Changes)) error {
	f := &s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.started {
		head, err := s.b.Head(ctx)
		if err != nil {
			return err
		}
		f.at, f.started = head, true
	}
	f.subs = append(f.subs, fn)
	return nil
}

// Watch registers fn to be called with every place written from now on (see
// Subscribe), by this process or, while Follow runs, another.
func (s *Store) Watch(fn func(*Place)) {
	s.Subscribe(context.Background(), func(_ context.Context, c Changes) {
		for _, p := range c.Places {
			fn(p)
		}
	})
}

// Follow polls the store every interval for writes made by other processes
// (a command-line import while the server runs) and hands them to the
// subscribers, until ctx ends. onErr, when set, hears of a failed step once
// until one succeeds again; an EConflict error means the store was replaced
// under the running process (a restore while it ran).
func (s *Store) Follow(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var ver int64 = -1
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v := s.b.Version()
		if v == ver && !failing {
			continue // nothing was committed since the last step
		}
		err := s.advance(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			if !failing && onErr != nil {
				onErr(err)
			}
			failing = true
		default:
			failing, ver = false, v
		}
	}
}

// advance hands the subscribers every place written since the feed's
// position.
func (s *Store) advance(ctx context.Context) error {
	f := &s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.started || len(f.subs) == 0 {
		return nil
	}
	ids, to, err := s.ChangesSince(ctx, f.at)
	if err != nil || to == f.at {
		return err
	}
	c := Changes{From: f.at, To: to, Places: make([]*Place, 0, len(ids))}
	for _, id := range ids {
		p, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		c.Places = append(c.Places, p)
	}
	for _, fn := range f.subs {
		fn(ctx, c)
	}
	f.at = to
	return nil
}
