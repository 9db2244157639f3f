// Package account keeps the officers of naming review: accounts with roles
// (editor proposes and edits drafts, reviewer decides, admin manages users),
// argon2id password hashes in the PHC string format, server-side sessions with
// a CSRF synchronizer token each, API tokens for scripts (stored hashed), a
// login rate limiter per IP and per account, and the append-only audit log of
// every write.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"wumen/gazetteer"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Roles.
const (
	RoleAdmin    = "admin"
	RoleReviewer = "reviewer"
	RoleEditor   = "editor"
)

// Permissions checked by the officer pages and API.
const (
	PermPropose = "propose" // create and edit proposals, attach files, comment, submit
	PermDecide  = "decide"  // approve, reject, file, announce, apply; expert opinions
	PermUsers   = "users"   // manage accounts, read the audit log
)

var perms = map[string]map[string]bool{
	RoleEditor:   {PermPropose: true},
	RoleReviewer: {PermPropose: true, PermDecide: true},
	RoleAdmin:    {PermPropose: true, PermDecide: true, PermUsers: true},
}

// Can reports whether a role has a permission.
func Can(role, perm string) bool { return perms[role][perm] }

// ValidRole reports whether role is one of admin, reviewer, editor.
func ValidRole(role string) bool { return perms[role] != nil }

// User is an officer account.
type User struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
	Created  string `json:"created_at"`
}

// Session is a logged-in browser.
type Session struct {
	User    *User
	CSRF    string
	Expires time.Time
}

// Service is the account store.
type Service struct {
	db    *sql.DB
	store *gazetteer.Store
	// Now is the clock.
	Now func() time.Time
	// Params hash new passwords.
	Params Params
	// SessionTTL is how long a session lasts.
	SessionTTL time.Duration
	// Limiter throttles failed logins.
	Limiter *Limiter
	// TokenTTL is how long a new API token works (90 days by default).
	TokenTTL time.Duration
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// Open applies the account migrations to the store and returns a Service.
func Open(store *gazetteer.Store) (*Service, error) {
	if err := store.Migrate("account", migrations, "migrations"); err != nil {
		return nil, err
	}
	s := &Service{db: store.DB(), store: store, Now: time.Now, Params: DefaultParams, SessionTTL: 8 * time.Hour, TokenTTL: 90 * 24 * time.Hour}
	store.SetAuditLog(func(ctx context.Context, tx *sql.Tx, e gazetteer.AuditEntry) error { return s.writeAudit(ctx, tx, e) })
	s.Limiter = NewLimiter(func() time.Time { return s.Now() })
	return s, nil
}

func (s *Service) now() string { return s.Now().UTC().Format(time.RFC3339) }

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("account: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// AddUser creates an account. There is no default password: the caller
// supplies one of at least MinPasswordLen characters.
func (s *Service) AddUser(ctx context.Context, name, role, password string) (*User, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t\r\n/") {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "the user name %q is empty or has spaces or slashes", name)
	}
	if !ValidRole(role) {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "unknown role %q (admin, reviewer, editor)", role)
	}
	if err := CheckPassword(password, name); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return nil, err
	}
	u := &User{Name: name, Role: role, Created: s.now()}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO account_users(name,role,password,created_at) VALUES (?,?,?,?)`, name, role, hash, u.Created)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return gazetteer.Errorf(gazetteer.EConflict, "the user %s exists", name)
			}
			return err
		}
		u.ID, _ = res.LastInsertId()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	if err := CheckPassword(password, name); err != nil {
		return err
	}
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE account_users SET password=? WHERE id=?`, hash, u.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM account_sessions WHERE user_id=?`, u.ID)
		return err
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions
// and its tokens stop working.
func (s *Service) SetDisabled(ctx context.Context, name string, disabled bool) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE account_users SET disabled=? WHERE id=?`, disabled, u.ID); err != nil {
			return err
		}
		if disabled {
			// Its sessions end and its tokens are revoked for good:
			// enabling the account again does not revive them.
			if _, err = tx.ExecContext(ctx, `DELETE FROM account_sessions WHERE user_id=?`, u.ID); err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE account_tokens SET revoked=1 WHERE user_id=?`, u.ID)
			}
		}
		return err
	})
}

// inTx runs fn in a transaction committed with the audit entry ctx carries
// (gazetteer.WithAudit): an account change and its audit land together.
func (s *Service) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return s.store.Commit(ctx, tx)
}

// User returns the account with the given name.
func (s *Service) User(ctx context.Context, name string) (*User, error) {
	return s.userWhere(ctx, `name=?`, name)
}

func (s *Service) userWhere(ctx context.Context, where string, arg any) (*User, error) {
	u := &User{}
	err := s.db.QueryRowContext(ctx, `SELECT id, name, role, disabled, created_at FROM account_users WHERE `+where, arg).
		Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "no such user")
	}
	return u, err
}

// Users lists every account.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, disabled, created_at FROM account_users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *Service) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM account_users`).Scan(&n)
	return n, err
}

// Login checks a password, throttled per IP and per account, and opens a
// session. It returns the cookie value (shown once, stored only hashed).
// Every failure looks the same to the caller.
func (s *Service) Login(ctx context.Context, name, password, ip string) (string, *Session, error) {
	if wait := s.Limiter.Allow(ip, name); wait > 0 {
		return "", nil, gazetteer.Errorf(gazetteer.ETooMany, "too many failed logins from this address; try again in %d seconds", int(wait.Seconds()+0.999))
	}
	var hash string
	var disabled bool
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id, password, disabled FROM account_users WHERE name=?`, name).Scan(&id, &hash, &disabled)
	if err != nil && err != sql.ErrNoRows {
		return "", nil, err
	}
	if err == sql.ErrNoRows {
		// Spend the same time as a real check so names cannot be probed.
		VerifyPassword(password, dummyHash(s.Params))
	}
	if err == sql.ErrNoRows || !VerifyPassword(password, hash) || disabled {
		account := name
		if err == sql.ErrNoRows {
			account = UnknownAccount
		}
		if err := s.countFailure(ctx, account, ip); err != nil {
			return "", nil, err
		}
		return "", nil, gazetteer.Errorf(gazetteer.EUnauthorized, "wrong user name or password")
	}
	s.Limiter.Succeeded(ip, name)
	token := randomToken(32)
	sess := &Session{CSRF: randomToken(32), Expires: s.Now().Add(s.SessionTTL)}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO account_sessions(id,user_id,csrf,created_at,expires_at,ip) VALUES (?,?,?,?,?,?)`,
			digest(token), id, sess.CSRF, s.now(), sess.Expires.UTC().Format(time.RFC3339), ip)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	sess.User, err = s.userWhere(ctx, `id=?`, id)
	return token, sess, err
}

// UnknownAccount is how failed logins for names that are no account are
// counted: one bucket, so submitted names cannot fill the store.
const UnknownAccount = "(no such account)"

// failureWindow is the span failed logins are counted over in the audit.
const failureWindow = time.Hour

// countFailure adds a failed login to the audit's count for the account
// and the hour (OWASP ASVS 4.0 V7.1: log authentication failures without
// letting them flood the log): one row per account and hour, however many
// attempts, with the number of attempts and the last address.
func (s *Service) countFailure(ctx context.Context, account, ip string) error {
	now := s.Now().UTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO account_login_failures(account, window_start, failures, last_ip, last_at) VALUES (?,?,1,?,?)
		ON CONFLICT(account, window_start) DO UPDATE SET failures=failures+1, last_ip=excluded.last_ip, last_at=excluded.last_at`,
		account, now.Truncate(failureWindow).Format(time.RFC3339), ip, now.Format(time.RFC3339))
	return err
}

// LoginFailures are the failed logins of one account in one hour.
type LoginFailures struct {
	Account     string `json:"account"`
	WindowStart string `json:"window_start"`
	Failures    int    `json:"failures"`
	LastIP      string `json:"last_ip"`
	LastAt      string `json:"last_at"`
}

// FailedLogins returns the counts of failed logins, newest hour first.
func (s *Service) FailedLogins(ctx context.Context, limit int) ([]LoginFailures, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account, window_start, failures, last_ip, last_at FROM account_login_failures ORDER BY window_start DESC, failures DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LoginFailures
	for rows.Next() {
		var f LoginFailures
		if err := rows.Scan(&f.Account, &f.WindowStart, &f.Failures, &f.LastIP, &f.LastAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

var (
	dummyOnce sync.Once
	dummy     string
)

func dummyHash(p Params) string {
	dummyOnce.Do(func() { dummy, _ = HashPassword("not a password of anyone", p) })
	return dummy
}

// Session returns the live session of a cookie value.
func (s *Service) Session(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "not logged in")
	}
	var uid int64
	var csrf, exp string
	err := s.db.QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM account_sessions WHERE id=?`, digest(token)).Scan(&uid, &csrf, &exp)
	if err == sql.ErrNoRows {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "not logged in")
	} else if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, exp)
	if err != nil || !s.Now().Before(t) {
		s.db.ExecContext(ctx, `DELETE FROM account_sessions WHERE id=?`, digest(token))
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the session has expired")
	}
	u, err := s.userWhere(ctx, `id=?`, uid)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the account is disabled")
	}
	return &Session{User: u, CSRF: csrf, Expires: t}, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM account_sessions WHERE id=?`, digest(token))
		return err
	})
}

// TokenPrefix starts every API token, so leaked tokens are recognisable.
const TokenPrefix = "wumen_"

// NewToken creates an API token for a user, working for TokenTTL; the token
// is returned once and stored only as its hash.
func (s *Service) NewToken(ctx context.Context, name, label string) (string, error) {
	u, err := s.User(ctx, name)
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", gazetteer.Errorf(gazetteer.EConflict, "the account %s is disabled", name)
	}
	tok := TokenPrefix + randomToken(32)
	exp := s.Now().Add(s.TokenTTL).UTC().Format(time.RFC3339)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO account_tokens(user_id,label,hash,created_at,expires_at) VALUES (?,?,?,?,?)`, u.ID, label, digest(tok), s.now(), exp)
		return err
	})
	return tok, err
}

// Token describes an API token (never the token itself).
type Token struct {
	ID       int64  `json:"id"`
	User     string `json:"user"`
	Label    string `json:"label"`
	Created  string `json:"created_at"`
	Expires  string `json:"expires_at"`
	LastUsed string `json:"last_used_at,omitempty"`
	Revoked  bool   `json:"revoked"`
}

// Expired reports whether the token's lifetime is over at now.
func (t Token) Expired(now time.Time) bool {
	e, err := time.Parse(time.RFC3339, t.Expires)
	return err != nil || !now.Before(e)
}

// Tokens lists a user's API tokens, newest first.
func (s *Service) Tokens(ctx context.Context, name string) ([]Token, error) {
	u, err := s.User(ctx, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, label, created_at, expires_at, last_used_at, revoked FROM account_tokens WHERE user_id=? ORDER BY id DESC`, u.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t := Token{User: u.Name}
		if err := rows.Scan(&t.ID, &t.Label, &t.Created, &t.Expires, &t.LastUsed, &t.Revoked); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of a user's tokens, by its id.
func (s *Service) RevokeToken(ctx context.Context, name string, id int64) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE account_tokens SET revoked=1 WHERE id=? AND user_id=?`, id, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return gazetteer.Errorf(gazetteer.ENotFound, "%s has no token %d", name, id)
		}
		return nil
	})
}

// lastUsedEvery is how often a token's last-used time is rewritten: often
// enough to tell an unused token, seldom enough that reads stay reads.
const lastUsedEvery = time.Minute

// TokenUser returns the user of a bearer token that is neither revoked nor
// expired, and records when it was used.
func (s *Service) TokenUser(ctx context.Context, token string) (*User, error) {
	var id, uid int64
	var exp, used string
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, expires_at, last_used_at FROM account_tokens WHERE hash=? AND revoked=0`, digest(token)).Scan(&id, &uid, &exp, &used)
	if err == sql.ErrNoRows || !strings.HasPrefix(token, TokenPrefix) {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "invalid API token")
	} else if err != nil {
		return nil, err
	}
	now := s.Now()
	if (Token{Expires: exp}).Expired(now) {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the API token has expired; ask an administrator for a new one")
	}
	u, err := s.userWhere(ctx, `id=?`, uid)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the account is disabled")
	}
	if t, err := time.Parse(time.RFC3339, used); err != nil || now.Sub(t) >= lastUsedEvery {
		s.db.ExecContext(ctx, `UPDATE account_tokens SET last_used_at=? WHERE id=?`, s.now(), id)
	}
	return u, nil
}

// AuditEntry is one audited write.
type AuditEntry struct {
	ID     int64  `json:"id"`
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Object string `json:"object"`
	Why    string `json:"why"`
	IP     string `json:"ip"`
}

// Audit appends an entry to the audit log on its own, for an event that
// writes nothing else. A write is audited by giving its context an entry
// (gazetteer.WithAudit): the entry is then written in the write's
// transaction.
func (s *Service) Audit(ctx context.Context, actor, action, object, why, ip string) error {
	return s.writeAudit(ctx, s.db, gazetteer.AuditEntry{Actor: actor, Action: action, Object: object, Why: why, IP: ip})
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Service) writeAudit(ctx context.Context, db execer, e gazetteer.AuditEntry) error {
	_, err := db.ExecContext(ctx, `INSERT INTO account_audit(at,actor,action,object,why,ip) VALUES (?,?,?,?,?,?)`, s.now(), e.Actor, e.Action, e.Object, e.Why, e.IP)
	return err
}

// AuditLog returns the newest entries first, at most limit.
func (s *Service) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, object, why, ip FROM account_audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var a AuditEntry
		if err := rows.Scan(&a.ID, &a.At, &a.Actor, &a.Action, &a.Object, &a.Why, &a.IP); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
