package officer_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wumen/data"
	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/sqlite"
	"wumen/site/officer"
)

// shippedOfficer is the officer handler over a store seeded with the
// shipped dataset (data.FS), with one reviewer, rev1.
func shippedOfficer(t *testing.T) (*gazetteer.Store, *officer.Handler) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Seed(ctx, data.FS, nil); err != nil {
		t.Fatal(err)
	}
	off, err := officer.Open(st, officer.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PlaceURL: "/place/%d",
		PasswordParams: &account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.Accounts.AddUser(ctx, "rev1", account.RoleReviewer, "password-of-rev1"); err != nil {
		t.Fatal(err)
	}
	return st, off
}

// page drives one browser tab in a test, failing it on the first error.
type page struct {
	t   *testing.T
	ctx context.Context
}

// do runs steps.
func (p page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript expression until it is true.
func (p page) wait(what, expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(200*time.Millisecond),
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into out.
func (p page) eval(expr string, out any) {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err == nil {
		err = json.Unmarshal(v, out)
	}
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
}
