package account_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"wumen/gazetteer"
	. "wumen/gazetteer/account"
	"wumen/gazetteer/sqlite"
)

// tables holds the SQLite database of each test's service, to look at what
// is stored.
var tables = map[*Service]*sql.DB{}

func testService(t *testing.T) (*Service, *time.Time) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := Open(st)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.Params = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	tables[s] = st.Backend().(*sqlite.DB).SQL()
	return s, &now
}

func TestPasswordPHC(t *testing.T) {
	h, err := HashPassword("correct horse battery", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with the default parameters", h)
	}
	if !VerifyPassword("correct horse battery", h) || VerifyPassword("correct horse batterY", h) {
		t.Error("verification wrong")
	}
	h2, _ := HashPassword("correct horse battery", DefaultParams)
	if h2 == h {
		t.Error("two hashes of one password must differ (random salt)")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", strings.Replace(h, "t=2", "t=0", 1)} {
		if VerifyPassword("correct horse battery", bad) {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}

func TestLoginSessionsTokensLimits(t *testing.T) {
	ctx := context.Background()
	s, now := testService(t)
	if _, err := s.AddUser(ctx, "li", RoleReviewer, "short"); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("short password: %v", err)
	}
	if _, err := s.AddUser(ctx, "li", "boss", "long enough pass"); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("bad role: %v", err)
	}
	if _, err := s.AddUser(ctx, "li", RoleReviewer, "long enough pass"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "li", RoleEditor, "long enough pass"); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("duplicate user: %v", err)
	}
	var stored string
	tables[s].QueryRow(`SELECT password FROM account_users WHERE name='li'`).Scan(&stored)
	if strings.Contains(stored, "long enough pass") || !strings.HasPrefix(stored, "$argon2id$") {
		t.Errorf("stored password %q", stored)
	}
	tok, sess, err := s.Login(ctx, "li", "long enough pass", "10.0.0.1")
	if err != nil || sess.User.Role != RoleReviewer || sess.CSRF == "" {
		t.Fatalf("login: %v", err)
	}
	if got, err := s.Session(ctx, tok); err != nil || got.CSRF != sess.CSRF {
		t.Fatalf("session: %v", err)
	}
	var n int
	tables[s].QueryRow(`SELECT count(*) FROM account_sessions WHERE id=?`, tok).Scan(&n)
	if n != 0 {
		t.Error("the raw session token must not be stored")
	}
	*now = now.Add(9 * time.Hour)
	if _, err := s.Session(ctx, tok); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("expired session: %v", err)
	}
	// Failures from one address slow that address down, progressively; the
	// real officer logging in from a clean address is not held up.
	for i := 0; i < 3; i++ {
		if _, _, err := s.Login(ctx, "li", "wrong password!", "10.0.0.2"); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, _, err := s.Login(ctx, "li", "long enough pass", "10.0.0.2"); gazetteer.ErrorCode(err) != gazetteer.ETooMany {
		t.Errorf("a fourth attempt at once from the failing address: %v, want too_many", err)
	}
	*now = now.Add(1100 * time.Millisecond)
	if _, _, err := s.Login(ctx, "li", "wrong password!", "10.0.0.2"); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("after the first delay: %v", err)
	}
	*now = now.Add(1100 * time.Millisecond)
	if _, _, err := s.Login(ctx, "li", "wrong password!", "10.0.0.2"); gazetteer.ErrorCode(err) != gazetteer.ETooMany {
		t.Errorf("the delay doubles: %v, want too_many", err)
	}
	for i := 0; i < 40; i++ { // an attacker spreading guesses over many addresses
		s.Login(ctx, "li", "wrong password!", "10.1.0."+strconv.Itoa(i))
	}
	if _, _, err := s.Login(ctx, "li", "long enough pass", "10.0.0.3"); err != nil {
		t.Errorf("the officer from a clean address after 44 failures elsewhere: %v", err)
	}
	// Failures are counted per account and hour in the audit, not logged
	// one row each; names that are no account share one count.
	for i := 0; i < 30; i++ {
		s.Login(ctx, "nobody"+strconv.Itoa(i), "whatever password", "10.8.0."+strconv.Itoa(i))
	}
	fails, err := s.FailedLogins(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range fails {
		got[f.Account] += f.Failures
	}
	if got["li"] != 44 || got[UnknownAccount] != 30 || len(fails) != 2 {
		t.Errorf("failed logins counted %v in %d rows, want li 44 and %s 30 in 2", got, len(fails), UnknownAccount)
	}
	var rows int
	tables[s].QueryRow(`SELECT count(*) FROM account_audit`).Scan(&rows)
	if rows != 0 {
		t.Errorf("%d audit rows written for refused logins", rows)
	}
	// An address guessing across accounts is stopped for all of them.
	for i := 0; i < 50; i++ {
		s.Limiter.Allow("10.9.9.9", "user"+strconv.Itoa(i))
	}
	if _, _, err := s.Login(ctx, "li", "long enough pass", "10.9.9.9"); gazetteer.ErrorCode(err) != gazetteer.ETooMany {
		t.Errorf("IP limit: %v", err)
	}
	api, err := s.NewToken(ctx, "li", "script")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.TokenUser(ctx, api); err != nil || u.Name != "li" {
		t.Fatalf("token: %v", err)
	}
	if _, err := s.TokenUser(ctx, api+"x"); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("bad token: %v", err)
	}
	toks, err := s.Tokens(ctx, "li")
	if err != nil || len(toks) != 1 || toks[0].LastUsed == "" || toks[0].Expires == "" || toks[0].Revoked {
		t.Errorf("tokens after one use: %+v %v", toks, err)
	}
	s.SetDisabled(ctx, "li", true)
	if _, err := s.TokenUser(ctx, api); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("disabled user's token: %v", err)
	}
	// Enabling the account again does not revive its tokens.
	s.SetDisabled(ctx, "li", false)
	if _, err := s.TokenUser(ctx, api); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("a token of a re-enabled account works again: %v", err)
	}
	// A new token expires after TokenTTL and can be revoked.
	api2, _ := s.NewToken(ctx, "li", "script")
	*now = now.Add(s.TokenTTL + time.Minute)
	if _, err := s.TokenUser(ctx, api2); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("an expired token: %v", err)
	}
	api3, _ := s.NewToken(ctx, "li", "script")
	if _, err := s.TokenUser(ctx, api3); err != nil {
		t.Fatal(err)
	}
	toks, _ = s.Tokens(ctx, "li")
	if err := s.RevokeToken(ctx, "li", toks[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, api3); gazetteer.ErrorCode(err) != gazetteer.EUnauthorized {
		t.Errorf("a revoked token: %v", err)
	}
	if err := s.Audit(ctx, "li", "approve", "proposal 1", "ok", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := tables[s].Exec(`DELETE FROM account_audit`); err == nil {
		t.Error("the audit log must be append-only")
	}
	if !Can(RoleReviewer, PermDecide) || Can(RoleReviewer, PermUsers) || Can(RoleEditor, PermDecide) || !Can(RoleAdmin, PermUsers) {
		t.Error("permission table wrong")
	}
}

func TestLimiterCountsAttemptsBeforeTheCheck(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(func() time.Time { return now })
	// Parallel attempts: each Allow counts at once, so the fourth is delayed
	// although no password check has failed yet.
	for i := 0; i < 3; i++ {
		if l.Allow("192.0.2.1", "li") != 0 {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.Allow("192.0.2.1", "li") == 0 {
		t.Fatal("a fourth parallel attempt passed")
	}
	if l.Allow("192.0.2.7", "li") != 0 {
		t.Error("a clean address is delayed by another's failures")
	}
	l.Succeeded("192.0.2.1", "li")
	if l.Allow("192.0.2.1", "li") != 0 {
		t.Error("a successful login did not give the account its attempts back")
	}
	now = now.Add(16 * time.Minute)
	for i := 0; i < 3; i++ {
		if l.Allow("192.0.2.1", "wang") != 0 {
			t.Errorf("after the window: attempt %d refused", i+1)
		}
	}
}

// Passwords an attacker guesses first are refused, saying why.
func TestCheckPassword(t *testing.T) {
	for pw, why := range map[string]string{"          ": "white space", "1111111111": "repeats", "abababababab": "repeats",
		"short": "at least", "password123": "easy to guess", "qwertyuiop": "easy to guess", "iloveyou2026": "easy to guess"} {
		if err := CheckPassword(pw, "li"); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%q: %v, want %q", pw, err, why)
		}
	}
	for _, pw := range []string{"long enough pass", "correct horse battery", "桥下流水人家2026"} {
		if err := CheckPassword(pw, "li"); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
}
