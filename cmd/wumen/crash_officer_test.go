package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wumen/gazetteer/sqlite"
)

// Kill -9 of the server while officers write through the API (creating
// proposals and submitting them): after every restart each write the
// server acknowledged is there, each proposal in the store is whole (its
// history begins with its creation), and every stored write has its entry in
// the audit log — the entry is written in the write's own transaction.
func TestKillNineDuringOfficerWritesKeepsTheAudit(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	tok := officerToken(t, db, dir)
	rng := rand.New(rand.NewPCG(20, 27))
	acked := map[int64]string{} // proposal id → the last acknowledged action (create, submit)
	var mu sync.Mutex
	k := 0
	srv := startServer(t, db)
	for trial := 0; trial < *crashTrials; trial++ {
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Go(func() {
				client := &http.Client{Timeout: 10 * time.Second}
				for ctx.Err() == nil {
					mu.Lock()
					name := testName(4000 + k)
					k++
					mu.Unlock()
					var p struct {
						ID int64 `json:"id"`
					}
					body := fmt.Sprintf(`{"kind":"naming","name":%q,"category":"道路街巷","admin":"320508","applicant":"姑苏区民政局","reasons":"crash trial","geometry":%s}`, name, trialLine)
					if !officerPost(client, srv.base+"/officer/api/proposals", tok, body, http.StatusCreated, &p) {
						continue
					}
					mu.Lock()
					acked[p.ID] = "create"
					mu.Unlock()
					if officerPost(client, fmt.Sprintf("%s/officer/api/proposals/%d/transition", srv.base, p.ID), tok, `{"action":"submit"}`, http.StatusOK, nil) {
						mu.Lock()
						acked[p.ID] = "submit"
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		srv.kill()
		stop()
		wg.Wait()
		srv = startServer(t, db)
		checkOfficerWrites(t, db, trial, acked)
		if t.Failed() {
			t.Logf("server log: %s", srv.stderr.String())
			break
		}
	}
	srv.stop(t)
	t.Logf("%d trials, %d proposals acknowledged", *crashTrials, len(acked))
	if len(acked) == 0 {
		t.Errorf("no write was acknowledged in any trial: the trials tested nothing (last refusal: %v)", lastRefusal.Load())
	}
}

// trialLine is the test line the trial proposals are drawn on: a made-up
// 200 m lane in the old city, not the position of any real street.
const trialLine = `{"type":"LineString","coordinates":[[120.6230,31.3100],[120.6250,31.3100]]}`

// lastRefusal is the last answer officerPost did not want, for the report.
var lastRefusal atomic.Value

// officerPost sends an authorised JSON POST and reports whether it was
// answered with want (decoding the answer into v); a refused connection (the
// server was killed) is false.
func officerPost(c *http.Client, url, tok, body string, want int, v any) bool {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		lastRefusal.Store(fmt.Sprintf("%s: %d %s", url, resp.StatusCode, b))
		return false
	}
	if v != nil {
		return json.NewDecoder(resp.Body).Decode(v) == nil
	}
	return true
}

// checkOfficerWrites reads the store after a crash: every acknowledged write
// is there, and every stored create and submit has its audit entry (the
// automatic check a submit writes with it is the system's, not audited
// apart).
func checkOfficerWrites(t *testing.T, db string, trial int, acked map[int64]string) {
	t.Helper()
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := func(query string, args ...any) *sql.Rows {
		rows, err := s.Backend().(*sqlite.DB).SQL().Query(query, args...)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	stored := map[int64][]string{} // id → its history's actions, in order
	rows := q(`SELECT p.id, h.action FROM review_proposals p LEFT JOIN proposal_history h ON h.proposal_id = p.id ORDER BY p.id, h.id`)
	for rows.Next() {
		var id int64
		var action sql.NullString
		rows.Scan(&id, &action)
		stored[id] = append(stored[id], action.String)
	}
	rows.Close()
	audited := map[string]bool{} // "proposal.create proposal 7"
	rows = q(`SELECT action, object FROM account_audit WHERE action LIKE 'proposal.%'`)
	for rows.Next() {
		var action, object string
		rows.Scan(&action, &object)
		audited[action+" "+object] = true
	}
	rows.Close()
	for id, last := range acked {
		h := stored[id]
		switch {
		case h == nil:
			t.Errorf("trial %d: acknowledged proposal %d is missing", trial, id)
		case last == "submit" && !contains(h, "submit"):
			t.Errorf("trial %d: the acknowledged submit of proposal %d is missing (history %v)", trial, id, h)
		}
	}
	for id, h := range stored {
		if len(h) == 0 || h[0] != "create" {
			t.Errorf("trial %d: proposal %d is not whole: history %v", trial, id, h)
		}
		for i, a := range h {
			if a == "check" { // the automatic check, written by the submit it follows
				if h[i-1] != "submit" {
					t.Errorf("trial %d: proposal %d: a check without its submit: history %v", trial, id, h)
				}
				continue
			}
			if !audited[fmt.Sprintf("proposal.%s proposal %d", a, id)] {
				t.Errorf("trial %d: proposal %d: the %s is stored but not in the audit log", trial, id, a)
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
