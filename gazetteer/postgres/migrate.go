package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the numbered schema steps (NNNN_name.sql), applied in
// order, each in its own transaction, once.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock that keeps two nodes starting at once
// from applying the same step twice.
const migrationLock = 0x77756d656e // "wumen"

// migrate applies the steps the database has not had yet.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return err
	}
	var have int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return err
	}
	steps, err := migrationSteps()
	if err != nil {
		return err
	}
	for _, st := range steps {
		n, name := st.n, st.name
		if n <= have {
			continue
		}
		sql, _ := migrations.ReadFile("migrations/" + name)
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES ($1, $2)`, n, name)
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// migrationStep is one embedded migration: its number and file name.
type migrationStep struct {
	n    int
	name string
}

// migrationSteps lists the embedded migrations in order.
func migrationSteps() ([]migrationStep, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []migrationStep
	for _, f := range files {
		name := strings.TrimPrefix(f, "migrations/")
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: not numbered", name)
		}
		out = append(out, migrationStep{n, name})
	}
	return out, nil
}
