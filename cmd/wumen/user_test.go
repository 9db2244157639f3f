package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `wumen user --help` prints help and never creates a store; disable
// revokes tokens for good, and the CLI lists and revokes them.
func TestUserHelpDisableTokens(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.db")
	for _, args := range [][]string{{"user", "--help"}, {"user", "add", "--help"}, {"user", "tokens", "--help"}} {
		if code, _, errs := wumen(t, append(args, "--db", missing)...); code != 0 || !strings.Contains(errs, "Usage") {
			t.Errorf("%v: %d %s", args, code, errs)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("--help created a store")
	}
	if code, _, _ := wumen(t, "user", "frobnicate", "--db", missing); code != exitUsage {
		t.Errorf("unknown subcommand: exit %d", code)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("an unknown user subcommand created a store")
	}
	db := seeded(t)
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("1111111111\n"), 0o600)
	if code, _, errs := wumen(t, "user", "add", "li", "--role", "admin", "--password-file", pw, "--db", db); code != exitInvalid || !strings.Contains(errs, "repeats") {
		t.Errorf("a repeated-digit admin password: %d %s", code, errs)
	}
	os.WriteFile(pw, []byte("桥下流水人家 2026\n"), 0o600)
	if code, _, errs := wumen(t, "user", "add", "li", "--role", "admin", "--password-file", pw, "--db", db); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	if code, _, errs := wumen(t, "user", "token", "li", "--label", "script", "--db", db); code != 0 {
		t.Fatalf("user token: %d %s", code, errs)
	}
	_, out, _ := wumen(t, "user", "tokens", "li", "--db", db)
	if !strings.Contains(out, "script\tvalid") {
		t.Errorf("tokens: %q", out)
	}
	if code, out, errs := wumen(t, "user", "disable", "li", "--db", db); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("disable: %d %s %s", code, out, errs)
	}
	wumen(t, "user", "enable", "li", "--db", db)
	if _, out, _ := wumen(t, "user", "tokens", "li", "--db", db); !strings.Contains(out, "script\trevoked") {
		t.Errorf("after disable and enable the token is not revoked: %q", out)
	}
	wumen(t, "user", "token", "li", "--label", "second", "--db", db)
	_, out, _ = wumen(t, "user", "tokens", "li", "--db", db)
	id := strings.SplitN(out, "\t", 2)[0]
	if code, _, errs := wumen(t, "user", "revoke", "li", id, "--db", db); code != 0 {
		t.Errorf("revoke %s: %d %s", id, code, errs)
	}
	if _, out, _ := wumen(t, "user", "tokens", "li", "--db", db); strings.Contains(out, "valid") && !strings.Contains(out, "second\trevoked") {
		t.Errorf("after revoke: %q", out)
	}
}
