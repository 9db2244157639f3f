package gazetteer

import (
	"context"
)

// AuditEntry is one line of the audit log: who did what to which object,
// why, and from which address.
type AuditEntry struct {
	Actor, Action, Object, Why, IP string
}

type auditKey struct{}

// WithAudit returns a context whose writes are audited: every transaction
// committed with it (PutAll's, naming review's, the accounts') writes the
// entry inside that transaction, so a write and its audit entry land
// together or not at all, even across a crash. entry is called at commit
// time, when the write has assigned its ids.
func WithAudit(ctx context.Context, entry func() AuditEntry) context.Context {
	return context.WithValue(ctx, auditKey{}, entry)
}

// WithoutAudit returns ctx with no audit entry, for a write made on the side
// of an audited action (a check recorded before a refused approval).
func WithoutAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, auditKey{}, (func() AuditEntry)(nil))
}

// AuditOf returns the audit entry ctx carries (nil when none): a backend
// calls it when it commits and writes the entry in the transaction.
func AuditOf(ctx context.Context) func() AuditEntry {
	entry, _ := ctx.Value(auditKey{}).(func() AuditEntry)
	return entry
}
