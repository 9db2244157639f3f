package gazetteer

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

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
// once for writes through the store's Commit in this process, and within
// 100 ms for a commit by any other connection or process (SQLite's
// data_version, asked on a connection of its own). Caches of what is
// derived from the store (rendered pages, API answers) are valid while it
// stays the same.
func (s *Store) Version() int64 {
	now := time.Now().UnixNano()
	if last := s.ver.polled.Load(); now-last >= int64(versionPoll) && s.ver.polled.CompareAndSwap(last, now) {
		s.pollDataVersion()
	}
	return s.ver.n.Load()
}

// changed records a commit made through the store.
func (s *Store) changed() { s.ver.n.Add(1) }

func (s *Store) pollDataVersion() {
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
func (s *Store) onVersionConn(f func(*sql.Conn) error) error {
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
func (s *Store) closeVersion() {
	s.ver.mu.Lock()
	defer s.ver.mu.Unlock()
	if s.ver.conn != nil {
		s.ver.conn.Close()
		s.ver.conn = nil
	}
}
