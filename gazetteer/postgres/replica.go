package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"wumen/gazetteer"
)

// A node may read a PostgreSQL streaming replica (a hot standby): it serves
// the public site and the search from it, and follows the primary's writes
// as the replica replays them. PostgreSQL delivers no notices on a standby,
// so the node polls the replay position instead; it never writes — officers
// use a node on the primary — and counts no page views.

// replayPoll is how often a node on a replica asks how far replay has come.
const replayPoll = 100 * time.Millisecond

// errReadOnly is the answer to a write on a replica.
var errReadOnly = gazetteer.Errorf(gazetteer.EUnavailable,
	"this node reads a read-only replica of the database: make changes on a node connected to the primary")

// ReadOnly reports whether the database is a read-only replica.
func (s *DB) ReadOnly() bool { return s.readOnly }

// checkReplicaSchema makes sure a replica has every migration this program
// knows: a replica cannot migrate itself, the primary does.
func checkReplicaSchema(ctx context.Context, pool *pgxpool.Pool) error {
	want, err := latestMigration()
	if err != nil {
		return err
	}
	var have int
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("a read-only replica without Wumen's schema: run `wumen init` or `wumen migrate` against the primary first (%w)", err)
	}
	if have < want {
		return fmt.Errorf("a read-only replica at schema version %d, this program needs %d: open the primary once with this version (any wumen command) so that it migrates", have, want)
	}
	return nil
}

// latestMigration is the number of the newest embedded migration.
func latestMigration() (int, error) {
	steps, err := migrationSteps()
	if err != nil || len(steps) == 0 {
		return 0, err
	}
	return steps[len(steps)-1].n, nil
}

// followReplay moves Version whenever the replica has replayed more of the
// primary's log, until Close; while the replica cannot be asked, it moves
// on every poll, so that nothing derived is trusted stale.
func (s *DB) followReplay() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTicker(replayPoll)
		defer t.Stop()
		last := ""
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var lsn string
			err := s.pool.QueryRow(ctx, `SELECT coalesce(pg_last_wal_replay_lsn()::text, '')`).Scan(&lsn)
			if err != nil || lsn != last {
				last = lsn
				s.changed()
			}
		}
	}()
}
