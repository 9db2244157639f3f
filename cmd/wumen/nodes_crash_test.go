package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb/geo"

	"wumen/gazetteer/postgres"
)

var nodeCrashTrials = flag.Int("crash.nodetrials", 3, "kill -9 trials of a serving node on PostgreSQL")

// TestKillNineNodeOnPostgres: two nodes serve one PostgreSQL database while
// officers position village committees through node 1; node 1 is killed
// with SIGKILL in the middle of the writes, and node 2 takes more while it is
// down. After node 1 restarts on the index it was killed with, every write
// any node acknowledged is in the database, and node 1's search finds every
// positioned village at its new position (its index caught up from the
// revision it last applied, the notices it missed included).
func TestKillNineNodeOnPostgres(t *testing.T) {
	db := initPostgres(t)
	dir := t.TempDir()
	tok := officerToken(t, db, dir)
	villages := awaitingVillages(t, db, 60**nodeCrashTrials)
	cfg := filepath.Join(dir, "serve.json")
	os.WriteFile(cfg, []byte(`{"rate_limit": 1000, "burst": 1000}`), 0o644)
	index1 := filepath.Join(dir, "node1.index")
	node1 := startServer(t, db, "--config", cfg, "--index", index1)
	node2 := startServer(t, db, "--config", cfg, "--index", filepath.Join(dir, "node2.index"))
	defer node2.kill()

	rng := rand.New(rand.NewPCG(17, 3))
	var (
		mu    sync.Mutex
		next  int
		acked []villageToPlace
	)
	// write positions villages through node until it stops answering or
	// stop is closed; it reports the writes node acknowledged.
	write := func(node *process, stop <-chan struct{}) {
		client := &http.Client{Timeout: 10 * time.Second}
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			if next == len(villages) {
				mu.Unlock()
				return
			}
			v := villages[next]
			next++
			mu.Unlock()
			url := fmt.Sprintf("%s/officer/api/positions/%d", node.base, v.place.ID)
			if !officerPost(client, url, tok, v.positionBody(), http.StatusOK, nil) {
				return // killed
			}
			mu.Lock()
			acked = append(acked, v)
			mu.Unlock()
		}
	}
	for trial := range *nodeCrashTrials {
		var wg sync.WaitGroup
		never := make(chan struct{})
		for range 3 {
			wg.Go(func() { write(node1, never) })
		}
		time.Sleep(time.Duration(150+rng.IntN(300)) * time.Millisecond)
		node1.kill()
		wg.Wait()
		// Node 2 writes while node 1 is down: node 1 misses these notices.
		stop := make(chan struct{})
		wg.Go(func() { write(node2, stop) })
		time.Sleep(200 * time.Millisecond)
		close(stop)
		wg.Wait()
		node1 = startServer(t, db, "--config", cfg, "--index", index1)
		checkAcknowledged(t, db, trial, acked)
		deadline := time.Now().Add(10 * time.Second)
		for _, v := range acked {
			for !v.foundNear(t, node1) {
				if time.Now().After(deadline) {
					t.Fatalf("trial %d: node 1, restarted, does not find %s (%d) at its acknowledged position; log: %s",
						trial, v.place.Name, v.place.ID, node1.stderr.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	node1.stop(t)
	t.Logf("%d trials, %d positions acknowledged", *nodeCrashTrials, len(acked))
	if len(acked) < 2**nodeCrashTrials {
		t.Errorf("%d writes acknowledged in %d trials: the trials tested too little (last refusal: %v)", len(acked), *nodeCrashTrials, lastRefusal.Load())
	}
}

// checkAcknowledged reads the database after a crash: every acknowledged
// position is there, with its revision by the officer.
func checkAcknowledged(t *testing.T, db string, trial int, acked []villageToPlace) {
	t.Helper()
	st, err := postgres.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, v := range acked {
		p, err := st.Get(ctx, v.place.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Label == nil || geo.DistanceHaversine(*p.Label, *v.county.Label) > 1 || p.Coord == nil || p.Coord.Method != "estimated" {
			t.Errorf("trial %d: the acknowledged position of %s (%d) is missing: %+v", trial, p.Name, p.ID, p.Coord)
			continue
		}
		revs, err := st.Revisions(ctx, p.ID)
		if err != nil || revs[len(revs)-1].Actor != "wang" {
			t.Errorf("trial %d: %s (%d) has no revision by the officer: %v", trial, p.Name, p.ID, err)
		}
	}
}
