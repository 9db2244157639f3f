package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

// The tables of the officers' accounts (migration 0003): users, sessions,
// API tokens, failed-login counts and the audit log.

func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return gazetteer.Errorf(gazetteer.ENotFound, "no such %s", what)
	}
	return err
}

func (s *DB) userWhere(ctx context.Context, where string, arg any) (*account.User, error) {
	u := &account.User{}
	err := s.pool.QueryRow(ctx, `SELECT id, name, role, disabled, created_at FROM account_users WHERE `+where, arg).
		Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created)
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// UserByName returns the account with the name.
func (s *DB) UserByName(ctx context.Context, name string) (*account.User, error) {
	return s.userWhere(ctx, `name=$1`, name)
}

// UserByID returns the account with the id.
func (s *DB) UserByID(ctx context.Context, id int64) (*account.User, error) {
	return s.userWhere(ctx, `id=$1`, id)
}

// Users lists every account by name.
func (s *DB) Users(ctx context.Context) ([]account.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, role, disabled, created_at FROM account_users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (account.User, error) {
		var u account.User
		err := r.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created)
		return u, err
	})
}

// CountUsers returns how many accounts exist.
func (s *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM account_users`).Scan(&n)
	return n, err
}

// Credentials returns the id, password hash and disabled flag of an account.
func (s *DB) Credentials(ctx context.Context, name string) (id int64, hash string, disabled bool, err error) {
	err = notFound(s.pool.QueryRow(ctx, `SELECT id, password, disabled FROM account_users WHERE name=$1`, name).Scan(&id, &hash, &disabled), "user")
	return id, hash, disabled, err
}

// SessionByDigest returns the user, CSRF token and expiry of a session.
func (s *DB) SessionByDigest(ctx context.Context, digest string) (uid int64, csrf, expires string, err error) {
	err = notFound(s.pool.QueryRow(ctx, `SELECT user_id, csrf, expires_at FROM account_sessions WHERE id=$1`, digest).Scan(&uid, &csrf, &expires), "session")
	return uid, csrf, expires, err
}

// EndSession deletes a session.
func (s *DB) EndSession(ctx context.Context, digest string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM account_sessions WHERE id=$1`, digest)
	return err
}

// Tokens lists a user's API tokens, newest first.
func (s *DB) Tokens(ctx context.Context, uid int64) ([]account.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, label, created_at, expires_at, last_used_at, revoked FROM account_tokens WHERE user_id=$1 ORDER BY id DESC`, uid)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (account.Token, error) {
		var t account.Token
		err := r.Scan(&t.ID, &t.Label, &t.Created, &t.Expires, &t.LastUsed, &t.Revoked)
		return t, err
	})
}

// TokenByDigest returns the live token with the digest.
func (s *DB) TokenByDigest(ctx context.Context, digest string) (id, uid int64, expires, lastUsed string, err error) {
	err = notFound(s.pool.QueryRow(ctx, `SELECT id, user_id, expires_at, last_used_at FROM account_tokens WHERE hash=$1 AND NOT revoked`, digest).
		Scan(&id, &uid, &expires, &lastUsed), "token")
	return id, uid, expires, lastUsed, err
}

// TouchToken records when a token was used.
func (s *DB) TouchToken(ctx context.Context, id int64, at string) error {
	_, err := s.pool.Exec(ctx, `UPDATE account_tokens SET last_used_at=$1 WHERE id=$2`, at, id)
	return err
}

// CountFailure adds a failed login to the count of the account and hour.
func (s *DB) CountFailure(ctx context.Context, acct, window, ip, at string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO account_login_failures(account, window_start, failures, last_ip, last_at) VALUES ($1, $2, 1, $3, $4)
		ON CONFLICT (account, window_start) DO UPDATE SET failures = account_login_failures.failures + 1, last_ip = excluded.last_ip, last_at = excluded.last_at`,
		acct, window, ip, at)
	return err
}

// FailedLogins returns the counts of failed logins, newest hour first.
func (s *DB) FailedLogins(ctx context.Context, limit int) ([]account.LoginFailures, error) {
	rows, err := s.pool.Query(ctx, `SELECT account, window_start, failures, last_ip, last_at FROM account_login_failures ORDER BY window_start DESC, failures DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (account.LoginFailures, error) {
		var f account.LoginFailures
		err := r.Scan(&f.Account, &f.WindowStart, &f.Failures, &f.LastIP, &f.LastAt)
		return f, err
	})
}

// AuditLog returns the newest entries first, at most limit.
func (s *DB) AuditLog(ctx context.Context, limit int) ([]account.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, object, why, ip FROM account_audit ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (account.AuditEntry, error) {
		var a account.AuditEntry
		err := r.Scan(&a.ID, &a.At, &a.Actor, &a.Action, &a.Object, &a.Why, &a.IP)
		return a, err
	})
}

func (t *tx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, q, args...)
	return err
}

// AddUser creates an account.
func (t *tx) AddUser(ctx context.Context, u *account.User, hash string) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO account_users(name, role, password, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		u.Name, u.Role, hash, u.Created).Scan(&id)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return 0, gazetteer.Errorf(gazetteer.EConflict, "the user %s exists", u.Name)
	}
	return id, err
}

// SetPassword replaces a user's password hash.
func (t *tx) SetPassword(ctx context.Context, uid int64, hash string) error {
	return t.exec(ctx, `UPDATE account_users SET password=$1 WHERE id=$2`, hash, uid)
}

// SetDisabled disables or enables an account.
func (t *tx) SetDisabled(ctx context.Context, uid int64, disabled bool) error {
	return t.exec(ctx, `UPDATE account_users SET disabled=$1 WHERE id=$2`, disabled, uid)
}

// EndSessions deletes every session of a user.
func (t *tx) EndSessions(ctx context.Context, uid int64) error {
	return t.exec(ctx, `DELETE FROM account_sessions WHERE user_id=$1`, uid)
}

// AddSession stores a session.
func (t *tx) AddSession(ctx context.Context, digest string, uid int64, csrf, created, expires, ip string) error {
	return t.exec(ctx, `INSERT INTO account_sessions(id, user_id, csrf, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
		digest, uid, csrf, created, expires, ip)
}

// DeleteSession deletes one session.
func (t *tx) DeleteSession(ctx context.Context, digest string) error {
	return t.exec(ctx, `DELETE FROM account_sessions WHERE id=$1`, digest)
}

// AddToken stores an API token under its digest.
func (t *tx) AddToken(ctx context.Context, uid int64, label, digest, created, expires string) error {
	return t.exec(ctx, `INSERT INTO account_tokens(user_id, label, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, uid, label, digest, created, expires)
}

// RevokeToken revokes one of a user's tokens.
func (t *tx) RevokeToken(ctx context.Context, id, uid int64) (bool, error) {
	tag, err := t.tx.Exec(ctx, `UPDATE account_tokens SET revoked=true WHERE id=$1 AND user_id=$2`, id, uid)
	return err == nil && tag.RowsAffected() > 0, err
}

// RevokeTokens revokes every token of a user.
func (t *tx) RevokeTokens(ctx context.Context, uid int64) error {
	return t.exec(ctx, `UPDATE account_tokens SET revoked=true WHERE user_id=$1`, uid)
}

// AppendAudit appends an entry to the audit log.
func (t *tx) AppendAudit(ctx context.Context, at string, e gazetteer.AuditEntry) error {
	return t.exec(ctx, `INSERT INTO account_audit(at, actor, action, object, why, ip) VALUES ($1, $2, $3, $4, $5, $6)`, at, e.Actor, e.Action, e.Object, e.Why, e.IP)
}

// The interfaces DB and its transactions implement.
var (
	_ gazetteer.Backend = (*DB)(nil)
	_ review.Storage    = (*DB)(nil)
	_ account.Storage   = (*DB)(nil)
	_ gazetteer.Tx      = (*tx)(nil)
	_ review.Tx         = (*tx)(nil)
	_ account.Tx        = (*tx)(nil)
)
