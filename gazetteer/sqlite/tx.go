package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"wumen/gazetteer"
)

// importCacheKiB is the SQLite page cache of a bulk write's connection: the
// indexes of a growing store stay in memory while it is written (SQLite's
// own allocation, outside the Go heap), reset to the default afterwards.
const importCacheKiB = 64 << 10

// tx is one transaction. It implements gazetteer.Tx and the transactions of
// naming review and accounts.
type tx struct {
	db    *DB
	tx    *sql.Tx
	conn  *sql.Conn  // tx's connection
	rows  *placeRows // the batch writer of places, made on first use
	links *linkIndex // the links of the store, read on the first Match
}

type auditWriter func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error

// SetAuditLog registers how entries are written (the account package keeps
// the log). Until one is registered, an audited commit is refused.
func (s *DB) SetAuditLog(write func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error) {
	w := auditWriter(write)
	s.auditLog.Store(&w)
}

// Update runs fn in one transaction, committed with the audit entry ctx
// carries. A bulk transaction runs on a connection of its own, with a
// larger page cache and statement journals in memory for the length of it
// (the multi-row INSERTs of a batch each keep a statement journal; on disk
// its writes were a fifth of an import's time), foreign keys checked by
// construction rather than per row, and a second thread for the sorts of
// the indexes built after the load (PRAGMA threads). Writers in this
// process are serialised.
func (s *DB) Update(ctx context.Context, opt gazetteer.TxOptions, fn func(gazetteer.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if opt.Bulk {
		// Foreign keys are not checked row by row: the writer inserts every
		// place before the rows that refer to it, in the same batch.
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size=-%d; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF; PRAGMA threads=2`, importCacheKiB)); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT; PRAGMA foreign_keys=ON; PRAGMA threads=0`)
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	t := &tx{db: s, tx: sqlTx, conn: conn}
	defer t.close()
	if err := fn(t); err != nil {
		return err
	}
	if t.rows != nil {
		if err := t.rows.buildIndexes(ctx); err != nil {
			return err
		}
	}
	if opt.DryRun {
		return nil
	}
	return t.commit(ctx)
}

// commit writes the audit entry ctx carries (see gazetteer.WithAudit) and
// commits.
func (t *tx) commit(ctx context.Context) error {
	if entry := gazetteer.AuditOf(ctx); entry != nil {
		w := t.db.auditLog.Load()
		if w == nil {
			return errors.New("an audited write, but no audit log is open")
		}
		if err := (*w)(ctx, t, entry()); err != nil {
			return err
		}
	}
	if err := t.tx.Commit(); err != nil {
		return err
	}
	t.db.changed()
	return nil
}

func (t *tx) close() {
	if t.rows != nil {
		t.rows.close()
	}
}

// NextID returns one more than the largest id stored.
func (t *tx) NextID(ctx context.Context) (int64, error) { return nextID(ctx, t.tx) }

// Stored returns the stored records of those ids that exist, in one query.
func (t *tx) Stored(ctx context.Context, ids []int64) (map[int64][]byte, error) {
	out := map[int64][]byte{}
	list, _ := json.Marshal(ids)
	rows, err := t.tx.QueryContext(ctx, `SELECT id, doc FROM places WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var doc []byte
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		out[id] = doc
	}
	return out, rows.Err()
}

// WritePlaces writes places, each with its revision.
func (t *tx) WritePlaces(ctx context.Context, c gazetteer.Change, at string, ws []gazetteer.PlaceWrite) error {
	if t.rows == nil {
		r, err := newPlaceRows(ctx, t.tx, t.conn)
		if err != nil {
			return err
		}
		t.rows = r
	}
	if err := t.rows.write(ctx, c, at, ws); err != nil {
		return err
	}
	t.noteLinks(ws)
	return nil
}

// PutWalks replaces the stored walks.
func (t *tx) PutWalks(ctx context.Context, walks []gazetteer.Walk, at string) error {
	for i, w := range walks {
		b, _ := json.Marshal(w)
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO walks(id, seq, doc, updated) VALUES (?,?,?,?)
			ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, doc=excluded.doc, updated=excluded.updated`, w.ID, i, string(b), at); err != nil {
			return err
		}
	}
	return nil
}
