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
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"wumen/gazetteer"
)

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
	keep  Storage
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

// Open returns the Service of the accounts kept in the store, and makes it
// the store's audit log.
func Open(store *gazetteer.Store) (*Service, error) {
	keep, err := storage(store)
	if err != nil {
		return nil, err
	}
	s := &Service{keep: keep, store: store, Now: time.Now, Params: DefaultParams, SessionTTL: 8 * time.Hour, TokenTTL: 90 * 24 * time.Hour}
	store.SetAuditLog(func(ctx context.Context, tx gazetteer.Tx, e gazetteer.AuditEntry) error {
		t, err := accountTx(tx)
		if err != nil {
			return err
		}
		return t.AppendAudit(ctx, s.now(), e)
	})
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
	err = s.inTx(ctx, func(tx Tx) error {
		id, err := tx.AddUser(ctx, u, hash)
		u.ID = id
		return err
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
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		return tx.EndSessions(ctx, u.ID)
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions
// and its tokens stop working.
func (s *Service) SetDisabled(ctx context.Context, name string, disabled bool) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.SetDisabled(ctx, u.ID, disabled); err != nil || !disabled {
			return err
		}
		// Its sessions end and its tokens are revoked for good: enabling
		// the account again does not revive them.
		if err := tx.EndSessions(ctx, u.ID); err != nil {
			return err
		}
		return tx.RevokeTokens(ctx, u.ID)
	})
}

// inTx runs fn in a transaction of the store committed with the audit entry
// ctx carries (gazetteer.WithAudit): an account change and its audit land
// together.
func (s *Service) inTx(ctx context.Context, fn func(Tx) error) error {
	return s.store.Update(ctx, func(tx gazetteer.Tx) error {
		t, err := accountTx(tx)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// User returns the account with the given name.
func (s *Service) User(ctx context.Context, name string) (*User, error) {
	return s.keep.UserByName(ctx, name)
}

// Users lists every account.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.keep.Users(ctx) }

// CountUsers returns how many accounts exist.
func (s *Service) CountUsers(ctx context.Context) (int, error) { return s.keep.CountUsers(ctx) }

// Login checks a password, throttled per IP and per account, and opens a
// session. It returns the cookie value (shown once, stored only hashed).
// Every failure looks the same to the caller.
func (s *Service) Login(ctx context.Context, name, password, ip string) (string, *Session, error) {
	if wait := s.Limiter.Allow(ip, name); wait > 0 {
		return "", nil, gazetteer.Errorf(gazetteer.ETooMany, "too many failed logins from this address; try again in %d seconds", int(wait.Seconds()+0.999))
	}
	id, hash, disabled, err := s.keep.Credentials(ctx, name)
	unknown := gazetteer.ErrorCode(err) == gazetteer.ENotFound
	if err != nil && !unknown {
		return "", nil, err
	}
	if unknown {
		// Spend the same time as a real check so names cannot be probed.
		VerifyPassword(password, dummyHash(s.Params))
	}
	if unknown || !VerifyPassword(password, hash) || disabled {
		account := name
		if unknown {
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
	err = s.inTx(ctx, func(tx Tx) error {
		return tx.AddSession(ctx, digest(token), id, sess.CSRF, s.now(), sess.Expires.UTC().Format(time.RFC3339), ip)
	})
	if err != nil {
		return "", nil, err
	}
	sess.User, err = s.keep.UserByID(ctx, id)
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
	return s.keep.CountFailure(ctx, account, now.Truncate(failureWindow).Format(time.RFC3339), ip, now.Format(time.RFC3339))
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
	return s.keep.FailedLogins(ctx, limit)
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
	uid, csrf, exp, err := s.keep.SessionByDigest(ctx, digest(token))
	if gazetteer.ErrorCode(err) == gazetteer.ENotFound {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "not logged in")
	} else if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339, exp)
	if err != nil || !s.Now().Before(t) {
		s.keep.EndSession(ctx, digest(token))
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the session has expired")
	}
	u, err := s.keep.UserByID(ctx, uid)
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
	return s.inTx(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, digest(token)) })
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
	err = s.inTx(ctx, func(tx Tx) error { return tx.AddToken(ctx, u.ID, label, digest(tok), s.now(), exp) })
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
	out, err := s.keep.Tokens(ctx, u.ID)
	for i := range out {
		out[i].User = u.Name
	}
	return out, err
}

// RevokeToken revokes one of a user's tokens, by its id.
func (s *Service) RevokeToken(ctx context.Context, name string, id int64) error {
	u, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		ok, err := tx.RevokeToken(ctx, id, u.ID)
		if err != nil {
			return err
		}
		if !ok {
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
	id, uid, exp, used, err := s.keep.TokenByDigest(ctx, digest(token))
	if gazetteer.ErrorCode(err) == gazetteer.ENotFound || !strings.HasPrefix(token, TokenPrefix) {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "invalid API token")
	} else if err != nil {
		return nil, err
	}
	now := s.Now()
	if (Token{Expires: exp}).Expired(now) {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the API token has expired; ask an administrator for a new one")
	}
	u, err := s.keep.UserByID(ctx, uid)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, gazetteer.Errorf(gazetteer.EUnauthorized, "the account is disabled")
	}
	if t, err := time.Parse(time.RFC3339, used); err != nil || now.Sub(t) >= lastUsedEvery {
		s.keep.TouchToken(ctx, id, s.now())
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
	e := gazetteer.AuditEntry{Actor: actor, Action: action, Object: object, Why: why, IP: ip}
	return s.inTx(gazetteer.WithoutAudit(ctx), func(tx Tx) error { return tx.AppendAudit(ctx, s.now(), e) })
}

// AuditLog returns the newest entries first, at most limit.
func (s *Service) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	return s.keep.AuditLog(ctx, limit)
}
