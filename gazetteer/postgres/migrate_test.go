package postgres

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"wumen/gazetteer/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestMigrateConcurrently: three nodes opening one new database at once
// apply each step once; the append-only tables refuse changes.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool, err := pgxpool.New(ctx, u)
			if err != nil {
				errs[i] = err
				return
			}
			defer pool.Close()
			errs[i] = migrate(ctx, pool)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var n, dup int
	pool.QueryRow(ctx, `SELECT count(*), count(*) - count(DISTINCT version) FROM schema_migrations`).Scan(&n, &dup)
	if n != 3 || dup != 0 {
		t.Errorf("%d steps recorded (%d twice), want 3", n, dup)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO account_audit(at, actor, action) VALUES ('t', 'a', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM account_audit`); err == nil {
		t.Error("the audit log accepted a DELETE")
	}
}
