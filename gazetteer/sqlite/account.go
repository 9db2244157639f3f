package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

// The tables of the officers' accounts (migrations/account): users,
// sessions, API tokens, failed-login counts and the audit log.

func (s *DB) userWhere(ctx context.Context, where string, arg any) (*account.User, error) {
	u := &account.User{}
	err := s.db.QueryRowContext(ctx, `SELECT id, name, role, disabled, created_at FROM account_users WHERE `+where, arg).
		Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "no such user")
	}
	return u, err
}

// UserByName returns the account with the name.
func (s *DB) UserByName(ctx context.Context, name string) (*account.User, error) {
	return s.userWhere(ctx, `name=?`, name)
}

// UserByID returns the account with the id.
func (s *DB) UserByID(ctx context.Context, id int64) (*account.User, error) {
	return s.userWhere(ctx, `id=?`, id)
}

// Users lists every account by name.
func (s *DB) Users(ctx context.Context) ([]account.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, disabled, created_at FROM account_users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		var u account.User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM account_users`).Scan(&n)
	return n, err
}

// Credentials returns the id, password hash and disabled flag of an account.
func (s *DB) Credentials(ctx context.Context, name string) (id int64, hash string, disabled bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT id, password, disabled FROM account_users WHERE name=?`, name).Scan(&id, &hash, &disabled)
	if err == sql.ErrNoRows {
		err = gazetteer.Errorf(gazetteer.ENotFound, "no such user")
	}
	return id, hash, disabled, err
}

// SessionByDigest returns the user, CSRF token and expiry of a session.
func (s *DB) SessionByDigest(ctx context.Context, digest string) (uid int64, csrf, expires string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM account_sessions WHERE id=?`, digest).Scan(&uid, &csrf, &expires)
	if err == sql.ErrNoRows {
		err = gazetteer.Errorf(gazetteer.ENotFound, "no such session")
	}
	return uid, csrf, expires, err
}

// EndSession deletes a session.
func (s *DB) EndSession(ctx context.Context, digest string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM account_sessions WHERE id=?`, digest)
	return err
}

// Tokens lists a user's API tokens, newest first.
func (s *DB) Tokens(ctx context.Context, uid int64) ([]account.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, label, created_at, expires_at, last_used_at, revoked FROM account_tokens WHERE user_id=? ORDER BY id DESC`, uid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.Token
	for rows.Next() {
		var t account.Token
		if err := rows.Scan(&t.ID, &t.Label, &t.Created, &t.Expires, &t.LastUsed, &t.Revoked); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenByDigest returns the live token with the digest.
func (s *DB) TokenByDigest(ctx context.Context, digest string) (id, uid int64, expires, lastUsed string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT id, user_id, expires_at, last_used_at FROM account_tokens WHERE hash=? AND revoked=0`, digest).Scan(&id, &uid, &expires, &lastUsed)
	if err == sql.ErrNoRows {
		err = gazetteer.Errorf(gazetteer.ENotFound, "no such token")
	}
	return id, uid, expires, lastUsed, err
}

// TouchToken records when a token was used.
func (s *DB) TouchToken(ctx context.Context, id int64, at string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE account_tokens SET last_used_at=? WHERE id=?`, at, id)
	return err
}

// CountFailure adds a failed login to the count of the account and hour.
func (s *DB) CountFailure(ctx context.Context, acct, window, ip, at string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO account_login_failures(account, window_start, failures, last_ip, last_at) VALUES (?,?,1,?,?)
		ON CONFLICT(account, window_start) DO UPDATE SET failures=failures+1, last_ip=excluded.last_ip, last_at=excluded.last_at`,
		acct, window, ip, at)
	return err
}

// FailedLogins returns the counts of failed logins, newest hour first.
func (s *DB) FailedLogins(ctx context.Context, limit int) ([]account.LoginFailures, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account, window_start, failures, last_ip, last_at FROM account_login_failures ORDER BY window_start DESC, failures DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.LoginFailures
	for rows.Next() {
		var f account.LoginFailures
		if err := rows.Scan(&f.Account, &f.WindowStart, &f.Failures, &f.LastIP, &f.LastAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AuditLog returns the newest entries first, at most limit.
func (s *DB) AuditLog(ctx context.Context, limit int) ([]account.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, object, why, ip FROM account_audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.AuditEntry
	for rows.Next() {
		var a account.AuditEntry
		if err := rows.Scan(&a.ID, &a.At, &a.Actor, &a.Action, &a.Object, &a.Why, &a.IP); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, q, args...)
	return err
}

// AddUser creates an account.
func (t *tx) AddUser(ctx context.Context, u *account.User, hash string) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO account_users(name,role,password,created_at) VALUES (?,?,?,?)`, u.Name, u.Role, hash, u.Created)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, gazetteer.Errorf(gazetteer.EConflict, "the user %s exists", u.Name)
		}
		return 0, err
	}
	return res.LastInsertId()
}

// SetPassword replaces a user's password hash.
func (t *tx) SetPassword(ctx context.Context, uid int64, hash string) error {
	return t.exec(ctx, `UPDATE account_users SET password=? WHERE id=?`, hash, uid)
}

// SetDisabled disables or enables an account.
func (t *tx) SetDisabled(ctx context.Context, uid int64, disabled bool) error {
	return t.exec(ctx, `UPDATE account_users SET disabled=? WHERE id=?`, disabled, uid)
}

// EndSessions deletes every session of a user.
func (t *tx) EndSessions(ctx context.Context, uid int64) error {
	return t.exec(ctx, `DELETE FROM account_sessions WHERE user_id=?`, uid)
}

// AddSession stores a session.
func (t *tx) AddSession(ctx context.Context, digest string, uid int64, csrf, created, expires, ip string) error {
	return t.exec(ctx, `INSERT INTO account_sessions(id,user_id,csrf,created_at,expires_at,ip) VALUES (?,?,?,?,?,?)`,
		digest, uid, csrf, created, expires, ip)
}

// DeleteSession deletes one session.
func (t *tx) DeleteSession(ctx context.Context, digest string) error {
	return t.exec(ctx, `DELETE FROM account_sessions WHERE id=?`, digest)
}

// AddToken stores an API token under its digest.
func (t *tx) AddToken(ctx context.Context, uid int64, label, digest, created, expires string) error {
	return t.exec(ctx, `INSERT INTO account_tokens(user_id,label,hash,created_at,expires_at) VALUES (?,?,?,?,?)`, uid, label, digest, created, expires)
}

// RevokeToken revokes one of a user's tokens.
func (t *tx) RevokeToken(ctx context.Context, id, uid int64) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE account_tokens SET revoked=1 WHERE id=? AND user_id=?`, id, uid)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RevokeTokens revokes every token of a user.
func (t *tx) RevokeTokens(ctx context.Context, uid int64) error {
	return t.exec(ctx, `UPDATE account_tokens SET revoked=1 WHERE user_id=?`, uid)
}

// AppendAudit appends an entry to the audit log.
func (t *tx) AppendAudit(ctx context.Context, at string, e gazetteer.AuditEntry) error {
	return t.exec(ctx, `INSERT INTO account_audit(at,actor,action,object,why,ip) VALUES (?,?,?,?,?,?)`, at, e.Actor, e.Action, e.Object, e.Why, e.IP)
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
