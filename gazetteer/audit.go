package gazetteer

import (
	"context"
	"database/sql"
	"errors"
)

// AuditEntry is one line of the audit log: who did what to which object,
// why, and from which address.
type AuditEntry struct {
	Actor, Action, Object, Why, IP string
}

type auditKey struct{}

// WithAudit returns a context whose writes are audited: every transaction
// committed through Store.Commit with it (PutAll's, naming review's, the
// accounts') writes the entry inside that transaction, so a write and its
// audit entry land together or not at all, even across a crash. entry is
// called at commit time, when the write has assigned its ids.
func WithAudit(ctx context.Context, entry func() AuditEntry) context.Context {
	return context.WithValue(ctx, auditKey{}, entry)
}

// WithoutAudit returns ctx with no audit entry, for a write made on the side
// of an audited action (a check recorded before a refused approval).
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, auditKey{}, (func() AuditEntry)(nil))
}

// SetAuditLog registers how entries are written (the account package keeps
// the log). Until one is registered, an audited commit is refused.
func (s *Store) SetAuditLog(write func(ctx context.Context, tx *sql.Tx, e AuditEntry) error) {
	w := auditWriter(write)
	s.auditLog.Store(&w)
}

type auditWriter func(ctx context.Context, tx *sql.Tx, e AuditEntry) error

// Commit commits tx, first writing in it the audit entry ctx carries (see
// WithAudit). Domain packages with their own tables commit through it.
func (s *Store) Commit(ctx context.Context, tx *sql.Tx) error {
	if entry, _ := ctx.Value(auditKey{}).(func() AuditEntry); entry != nil {
		w := s.auditLog.Load()
		if w == nil {
			return errors.New("an audited write, but no audit log is open")
		}
		if err := (*w)(ctx, tx, entry()); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.changed()
	return nil
}
