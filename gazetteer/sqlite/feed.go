package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"wumen/gazetteer"
)

// Head returns the position of the newest revision.
func (s *DB) Head(ctx context.Context) (gazetteer.Position, error) {
	return s.positionAt(ctx, -1)
}

// At returns the position of revision rev.
func (s *DB) At(ctx context.Context, rev int64) (gazetteer.Position, error) {
	return s.positionAt(ctx, rev)
}

// positionAt returns the position of revision rev (the newest when rev < 0;
// revision 0, the empty history, has no checksum). A revision that does not
// exist gives a position with an empty Store.
func (s *DB) positionAt(ctx context.Context, rev int64) (gazetteer.Position, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='store_id'`).Scan(&id)
	if err != nil {
		return gazetteer.Position{}, err
	}
	var row *sql.Row
	if rev < 0 {
		row = s.db.QueryRowContext(ctx, `SELECT r.id, r.place_id, r.at, r.actor, `+latestAfter+` FROM revisions r ORDER BY r.id DESC LIMIT 1`)
	} else {
		row = s.db.QueryRowContext(ctx, `SELECT r.id, r.place_id, r.at, r.actor, `+latestAfter+` FROM revisions r WHERE r.id=?`, rev)
	}
	var r struct {
		id, place        int64
		at, actor, after string
	}
	switch err := row.Scan(&r.id, &r.place, &r.at, &r.actor, &r.after); {
	case err == sql.ErrNoRows && rev <= 0:
		return gazetteer.Position{Store: id}, nil
	case err == sql.ErrNoRows:
		return gazetteer.Position{}, nil
	case err != nil:
		return gazetteer.Position{}, err
	}
	return gazetteer.Position{Store: id, Revision: r.id, Checksum: gazetteer.RevisionChecksum(r.id, r.place, r.at, r.actor, r.after)}, nil
}

// Changed returns the ids of the places with a revision in (after, upTo].
func (s *DB) Changed(ctx context.Context, after, upTo int64) ([]int64, error) {
	return s.ids(ctx, `SELECT DISTINCT place_id FROM revisions WHERE id > ? AND id <= ? ORDER BY place_id`, after, upTo)
}

// ids runs a query of one integer column.
func (s *DB) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// versionPoll is how often Version asks SQLite whether another connection
// (another process: a command-line import while the server runs) has
// committed.
const versionPoll = 100 * time.Millisecond

// version is the store's change counter (Version).
type version struct {
	n      atomic.Int64
	polled atomic.Int64 // unix nanoseconds of the last poll
	mu     sync.Mutex   // guards conn and data
	conn   *sql.Conn
	data   int64 // the last PRAGMA data_version seen on conn
}

// Version returns a number that changes after every committed write: at
// once for writes through this DB, and within 100 ms for a commit by any
// other connection or process (SQLite's data_version, asked on a connection
// of its own).
func (s *DB) Version() int64 {
	now := time.Now().UnixNano()
	if last := s.ver.polled.Load(); now-last >= int64(versionPoll) && s.ver.polled.CompareAndSwap(last, now) {
		s.pollDataVersion()
	}
	return s.ver.n.Load()
}

// changed records a commit made through this DB.
func (s *DB) changed() { s.ver.n.Add(1) }

func (s *DB) pollDataVersion() {
	err := s.onVersionConn(func(c *sql.Conn) error {
		var d int64
		if err := c.QueryRowContext(context.Background(), `PRAGMA data_version`).Scan(&d); err != nil {
			return err
		}
		if d != s.ver.data {
			s.ver.data = d
			s.changed()
		}
		return nil
	})
	if err != nil {
		s.changed() // cannot tell: assume a change
	}
}

// onVersionConn runs f on the connection Version polls on. A write made
// there does not change that connection's data_version, so bookkeeping that
// no page shows (counted page views) leaves caches valid.
func (s *DB) onVersionConn(f func(*sql.Conn) error) error {
	v := &s.ver
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.conn == nil {
		c, err := s.db.Conn(context.Background())
		if err != nil {
			return err
		}
		v.conn = c
	}
	return f(v.conn)
}

// closeVersion gives back the connection Version polls on.
func (s *DB) closeVersion() {
	s.ver.mu.Lock()
	defer s.ver.mu.Unlock()
	if s.ver.conn != nil {
		s.ver.conn.Close()
		s.ver.conn = nil
	}
}
