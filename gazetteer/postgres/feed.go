package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"

	"wumen/gazetteer"
)

// changesChannel is the channel every commit of a revision or of the walks
// notifies (the triggers of migration 0001).
const changesChannel = "wumen_changes"

// Head returns the position of the newest revision.
func (s *DB) Head(ctx context.Context) (gazetteer.Position, error) { return s.positionAt(ctx, -1) }

// At returns the position of revision rev.
func (s *DB) At(ctx context.Context, rev int64) (gazetteer.Position, error) {
	return s.positionAt(ctx, rev)
}

// positionAt returns the position of revision rev (the newest when rev < 0;
// revision 0, the empty history, has no checksum). A revision that does not
// exist gives a position with an empty Store.
func (s *DB) positionAt(ctx context.Context, rev int64) (gazetteer.Position, error) {
	id, err := s.Meta(ctx, "store_id")
	if err != nil {
		return gazetteer.Position{}, err
	}
	var row pgx.Row
	if rev < 0 {
		row = s.pool.QueryRow(ctx, `SELECT id, place_id, at, actor, after FROM revisions ORDER BY id DESC LIMIT 1`)
	} else {
		row = s.pool.QueryRow(ctx, `SELECT id, place_id, at, actor, after FROM revisions WHERE id=$1`, rev)
	}
	var r struct {
		id, place        int64
		at, actor, after string
	}
	switch err := row.Scan(&r.id, &r.place, &r.at, &r.actor, &r.after); {
	case errors.Is(err, pgx.ErrNoRows) && rev <= 0:
		return gazetteer.Position{Store: id}, nil
	case errors.Is(err, pgx.ErrNoRows):
		return gazetteer.Position{}, nil
	case err != nil:
		return gazetteer.Position{}, err
	}
	return gazetteer.Position{Store: id, Revision: r.id, Checksum: gazetteer.RevisionChecksum(r.id, r.place, r.at, r.actor, r.after)}, nil
}

// Changed returns the ids of the places with a revision in (after, upTo].
func (s *DB) Changed(ctx context.Context, after, upTo int64) ([]int64, error) {
	return ids(ctx, s.pool, `SELECT DISTINCT place_id FROM revisions WHERE id > $1 AND id <= $2 ORDER BY place_id`, after, upTo)
}

// Version returns a number that changes after every committed write: at
// once for writes through this DB, and as soon as PostgreSQL delivers the
// commit's notice for a write by any other node (LISTEN wumen_changes).
// While the listening connection is down it changes on every call, so that
// nothing derived is trusted stale; on reconnecting, a change is assumed.
func (s *DB) Version() int64 { return s.ver.Load() }

// changed records a commit.
func (s *DB) changed() { s.ver.Add(1) }

// follow listens for the commits of every node until Close.
func (s *DB) follow() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	l := &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.Connect(ctx, s.url)
		},
		LogError:       func(context.Context, error) { s.changed() },
		ReconnectDelay: 250 * time.Millisecond,
	}
	l.Handle(changesChannel, notices{s})
	go func() {
		defer close(s.done)
		l.Listen(ctx)
	}()
}

// notices bumps the version on every notice, and once when listening
// (re)starts: commits may have been missed while it was not listening.
type notices struct{ s *DB }

func (n notices) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	n.s.changed()
	return nil
}

func (n notices) HandleBacklog(context.Context, string, *pgx.Conn) error {
	n.s.changed()
	return nil
}
