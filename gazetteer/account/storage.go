package account

import (
	"context"

	"wumen/gazetteer"
)

// Storage is what accounts need of a store: the officers, their sessions,
// API tokens, failed-login counts and the audit log. A store implementation
// keeps them beside the places (gazetteer/sqlite implements it on its
// backend), and its transactions (gazetteer.Tx) implement Tx, so that an
// account change and its audit entry land together.
type Storage interface {
	// UserByName and UserByID return an account (ENotFound when none).
	UserByName(ctx context.Context, name string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	// Users lists every account by name; CountUsers counts them.
	Users(ctx context.Context) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	// Credentials returns the id, password hash and disabled flag of an
	// account (ENotFound when none).
	Credentials(ctx context.Context, name string) (id int64, hash string, disabled bool, err error)
	// SessionByDigest returns the user id, CSRF token and expiry of the
	// session with the cookie digest (ENotFound when none).
	SessionByDigest(ctx context.Context, digest string) (uid int64, csrf, expires string, err error)
	// EndSession deletes a session, outside any transaction (an expired
	// one is removed as it is seen).
	EndSession(ctx context.Context, digest string) error
	// Tokens lists a user's API tokens, newest first.
	Tokens(ctx context.Context, uid int64) ([]Token, error)
	// TokenByDigest returns the live (not revoked) token with the digest
	// (ENotFound when none).
	TokenByDigest(ctx context.Context, digest string) (id, uid int64, expires, lastUsed string, err error)
	// TouchToken records when a token was used.
	TouchToken(ctx context.Context, id int64, at string) error
	// CountFailure adds a failed login to the count of the account and the
	// hour starting at window.
	CountFailure(ctx context.Context, account, window, ip, at string) error
	// FailedLogins returns the counts of failed logins, newest hour first.
	FailedLogins(ctx context.Context, limit int) ([]LoginFailures, error)
	// AuditLog returns the newest audit entries first, at most limit.
	AuditLog(ctx context.Context, limit int) ([]AuditEntry, error)
}

// Tx is the accounts' writes in one transaction.
type Tx interface {
	// AddUser creates an account (EConflict when the name is taken).
	AddUser(ctx context.Context, u *User, hash string) (int64, error)
	SetPassword(ctx context.Context, uid int64, hash string) error
	SetDisabled(ctx context.Context, uid int64, disabled bool) error
	// EndSessions deletes every session of a user.
	EndSessions(ctx context.Context, uid int64) error
	// AddSession stores a session under its cookie's digest.
	AddSession(ctx context.Context, digest string, uid int64, csrf, created, expires, ip string) error
	// DeleteSession deletes one session.
	DeleteSession(ctx context.Context, digest string) error
	// AddToken stores an API token under its digest.
	AddToken(ctx context.Context, uid int64, label, digest, created, expires string) error
	// RevokeToken revokes a user's token; false when the user has none of
	// that id. RevokeTokens revokes them all.
	RevokeToken(ctx context.Context, id, uid int64) (bool, error)
	RevokeTokens(ctx context.Context, uid int64) error
	// AppendAudit appends an entry to the audit log.
	AppendAudit(ctx context.Context, at string, e gazetteer.AuditEntry) error
}

// storage returns the account storage of the store's backend.
func storage(s *gazetteer.Store) (Storage, error) {
	st, ok := s.Backend().(Storage)
	if !ok {
		return nil, gazetteer.Errorf(gazetteer.EInternal, "the store keeps no officer accounts")
	}
	return st, nil
}

// accountTx returns the accounts' side of a store transaction.
func accountTx(tx gazetteer.Tx) (Tx, error) {
	t, ok := tx.(Tx)
	if !ok {
		return nil, gazetteer.Errorf(gazetteer.EInternal, "the store keeps no officer accounts")
	}
	return t, nil
}
