package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/stores"
)

// TestThreeNodesOneDatabase: three `wumen serve` processes on one
// PostgreSQL database, each with its own search index. An officer positions
// a village committee through node 1's API; a search of nodes 2 and 3 for
// the village inside a box around the new position finds it within a
// second (before, it has no position and the box finds nothing).
func TestThreeNodesOneDatabase(t *testing.T) {
	db := initPostgres(t)
	dir := t.TempDir()
	tok := officerToken(t, db, dir)
	// A village committee awaiting a position, placed at its county's
	// point (an estimate, as an officer would mark it).
	vs := awaitingVillages(t, db, 1)
	village := vs[0].place

	// The test polls faster than the public API's default rate limit.
	cfg := filepath.Join(dir, "serve.json")
	os.WriteFile(cfg, []byte(`{"rate_limit": 1000, "burst": 1000}`), 0o644)
	var nodes []*process
	for i := range 3 {
		p := startServer(t, db, "--config", cfg, "--index", filepath.Join(dir, fmt.Sprintf("node%d.index", i+1)))
		defer p.kill()
		nodes = append(nodes, p)
	}
	found := func(p *process) bool { return vs[0].foundNear(t, p) }
	for i, p := range nodes[1:] {
		if found(p) {
			t.Fatalf("node %d finds %s in the box before it has a position", i+2, village.Name)
		}
	}
	body := vs[0].positionBody()
	if !officerPost(http.DefaultClient, fmt.Sprintf("%s/officer/api/positions/%d", nodes[0].base, village.ID), tok, body, http.StatusOK, nil) {
		t.Fatalf("positioning through node 1: %v", lastRefusal.Load())
	}
	// Each node is asked on its own, so that one node's wait is not
	// counted against the other's.
	start := time.Now()
	took := make([]time.Duration, 2)
	var wg sync.WaitGroup
	for i, p := range nodes[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !found(p) {
				if time.Since(start) > 5*time.Second {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	for i, d := range took {
		if d > time.Second {
			t.Errorf("node %d found %s at its new position %v after the edit on node 1, want within 1 s", i+2, village.Name, d)
		}
	}
	t.Logf("nodes 2 and 3 found the edit made on node 1 after %v and %v", took[0], took[1])
}

// villageToPlace is a village committee awaiting a position and its county,
// whose point is where the tests place it (an estimate, as an officer
// would mark it until a survey).
type villageToPlace struct {
	place  *gazetteer.Place
	county gazetteer.Place
}

// awaitingVillages returns n village committees of the store at db (a file
// or a database URL) awaiting
// a position whose county has a point.
func awaitingVillages(t testing.TB, db string, n int) []villageToPlace {
	t.Helper()
	ctx := context.Background()
	st, _, err := stores.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, _, err := st.AwaitingPosition(ctx, gazetteer.AwaitingFilter{Category: "村民委员会", Limit: 20 * n})
	if err != nil {
		t.Fatal(err)
	}
	var out []villageToPlace
	for _, a := range list {
		v, err := st.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range v.Admin {
			if u, err := st.GetByCode(ctx, code); err == nil && u.Label != nil && len(code) == 6 {
				out = append(out, villageToPlace{v, *u})
				break
			}
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("%d village committees awaiting a position with a positioned county, want %d", len(out), n)
	return nil
}

// positionBody is the officer API request that places v at its county's
// point.
func (v villageToPlace) positionBody() string {
	pt := *v.county.Label
	return fmt.Sprintf(`{"geometry":{"type":"Point","coordinates":[%f,%f]},"method":"estimated","accuracy_m":15000,"source":"the point of %s (test)","note":"estimated from the county point, until a survey"}`,
		pt.Lon(), pt.Lat(), v.county.Name)
}

// foundNear reports whether a node's search finds v by name inside a box
// around its county's point.
func (v villageToPlace) foundNear(t testing.TB, p *process) bool {
	pt := *v.county.Label
	box := fmt.Sprintf("%f,%f,%f,%f", pt.Lon()-0.01, pt.Lat()-0.01, pt.Lon()+0.01, pt.Lat()+0.01)
	resp, err := http.Get(p.base + "/api/v1/search?q=" + url.QueryEscape(v.place.Name) + "&bbox=" + box)
	if err != nil {
		t.Error(err) // called from polling goroutines too
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("search on %s: %s", p.base, resp.Status)
		return false
	}
	var res struct { // a GeoJSON FeatureCollection of the hits
		Features []struct {
			ID int64 `json:"id"`
		} `json:"features"`
	}
	json.NewDecoder(resp.Body).Decode(&res)
	for _, h := range res.Features {
		if h.ID == v.place.ID {
			return true
		}
	}
	return false
}

// TestNodeOnReplica: a node serving from a streaming replica finds a
// village an officer positioned through a node on the primary within a
// second, and answers the officers' pages with 503 and where to go.
func TestNodeOnReplica(t *testing.T) {
	db := initPostgres(t)
	dir := t.TempDir()
	tok := officerToken(t, db, dir)
	v := awaitingVillages(t, db, 1)[0]
	replica := pgtest.Replica(t, db)
	cfg := filepath.Join(dir, "serve.json")
	os.WriteFile(cfg, []byte(`{"rate_limit": 1000, "burst": 1000}`), 0o644)
	primaryNode := startServer(t, db, "--config", cfg, "--index", filepath.Join(dir, "primary.index"))
	defer primaryNode.kill()
	replicaNode := startServer(t, replica, "--config", cfg, "--index", filepath.Join(dir, "replica.index"))
	defer replicaNode.kill()
	if v.foundNear(t, replicaNode) {
		t.Fatalf("the replica's node finds %s in the box before it has a position", v.place.Name)
	}
	if !officerPost(http.DefaultClient, fmt.Sprintf("%s/officer/api/positions/%d", primaryNode.base, v.place.ID), tok, v.positionBody(), http.StatusOK, nil) {
		t.Fatalf("positioning through the primary's node: %v", lastRefusal.Load())
	}
	start := time.Now()
	for !v.foundNear(t, replicaNode) {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("the replica's node never found %s at its new position", v.place.Name)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	if took > time.Second {
		t.Errorf("the replica's node found the edit after %v, want within 1 s", took)
	}
	t.Logf("the replica's node found the edit made on the primary's node after %v", took)
	if officerPost(http.DefaultClient, fmt.Sprintf("%s/officer/api/positions/%d", replicaNode.base, v.place.ID), tok, v.positionBody(), http.StatusServiceUnavailable, nil) {
		return
	}
	t.Errorf("an officer's write on the replica's node: %v", lastRefusal.Load())
}
