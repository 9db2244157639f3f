package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wumen/gazetteer/sqlite"
)

// The reliability trials run the real binary as separate processes and kill
// them with SIGKILL: nothing in the process gets to clean up. The long
// version (README, "Reliability") is -crash.trials=100.
var crashTrials = flag.Int("crash.trials", 20, "kill -9 trials of the server and of imports")

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds cmd/wumen once per test run.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: runs wumen as its own process (serve, kill -9, crash trials)")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wumen-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "wumen")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// process is a running `wumen serve`.
type process struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan struct{} // closed when the process has ended (err is set)
	err    error
}

var addrRE = regexp.MustCompile(`"addr":"(http://127\.0\.0\.1:\d+)"`)

// startServer starts `wumen serve` on a free loopback port and waits until
// it listens (after its index has caught up with the store); extra are
// more serve flags.
func startServer(t testing.TB, db string, extra ...string) *process {
	t.Helper()
	p := &process{stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(binary(t), append([]string{"serve", "--quiet", "--db", db, "--addr", "127.0.0.1:0"}, extra...)...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := addrRE.FindStringSubmatch(p.stderr.String()); m != nil {
			p.base = m[1]
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("serve exited: %s", p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.cmd.Process.Kill()
	t.Fatalf("serve did not start: %s", p.stderr.String())
	return nil
}

// kill ends the server with SIGKILL.
func (p *process) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// stop ends the server with SIGTERM, as an operator does.
func (p *process) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.exited
	if p.err != nil {
		t.Errorf("serve after SIGTERM: %v: %s", p.err, p.stderr.String())
	}
}

func (p *process) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(p.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// found reports whether searching for name finds the place id.
func (p *process) found(t *testing.T, name string, id int64) bool {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties struct {
				ID int64 `json:"id"`
			} `json:"properties"`
		} `json:"features"`
	}
	p.getJSON(t, "/api/v1/search?size=20&text="+url.QueryEscape(name), &fc)
	for _, f := range fc.Features {
		if f.Properties.ID == id {
			return true
		}
	}
	return false
}

// agrees checks that the server's search index holds as many places as its
// store.
func (p *process) agrees(t *testing.T) {
	t.Helper()
	var h struct{ Places, Indexed int }
	p.getJSON(t, "/healthz", &h)
	if h.Places != h.Indexed {
		t.Errorf("store has %d places, search index %d", h.Places, h.Indexed)
	}
}

// testName is a made-up street name, unique for k, that the naming rules
// accept (专名 of three earthly branches and stems, 通名 巷); no shipped
// place is called so.
func testName(k int) string {
	r := []rune("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")
	n := len(r)
	return string([]rune{r[k/(n*n)%n], r[k/n%n], r[k%n]}) + "巷"
}

// batchFile writes an import of places first … first+size-1 (ids 800000+k).
func batchFile(t *testing.T, dir string, first, size int) string {
	t.Helper()
	var b strings.Builder
	for k := first; k < first+size; k++ {
		fmt.Fprintf(&b, `{"id":%d,"name":%q,"category":{"class":"交通运输设施","subclass":"道路街巷"},"status":"current","admin":["3205","320508"]}`+"\n", 800000+k, testName(k))
	}
	name := filepath.Join(dir, fmt.Sprintf("batch-%d.jsonl", first))
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// An import made while the server is stopped is searchable when it starts;
// after a restore done as the README says, search finds nothing the
// restored store does not hold.
func TestSearchAgreesAfterOfflineImportAndRestore(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	srv := startServer(t, db)
	srv.stop(t)
	backup := filepath.Join(dir, "backup.db")
	if c, _, errs := wumen(t, "backup", "--db", db, backup); c != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if c, _, errs := wumen(t, "import", "--quiet", "--db", db, batchFile(t, dir, 0, 30)); c != 0 {
		t.Fatalf("import: %s", errs)
	}
	srv = startServer(t, db)
	for k := 0; k < 30; k++ {
		if !srv.found(t, testName(k), int64(800000+k)) {
			t.Errorf("%s, imported while the server was stopped, is not found", testName(k))
		}
	}
	srv.agrees(t)
	srv.stop(t)

	// Restore (README): stop the server, copy the backup over the store,
	// remove the WAL and shared-memory files.
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(db, b, 0o644)
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	srv = startServer(t, db)
	defer srv.stop(t)
	for k := 0; k < 30; k++ {
		if srv.found(t, testName(k), int64(800000+k)) {
			t.Errorf("%s, not in the restored store, is still found", testName(k))
		}
	}
	srv.agrees(t)
}

// Kill -9 of the server while another process imports, and of imports in
// the middle of their transaction: every import lands whole or not at all,
// every acknowledged import is kept, and after a restart search agrees with
// the store, with no manual step.
func TestKillNineDuringImportsLeavesSearchInAgreement(t *testing.T) {
	db := seeded(t)
	dir := t.TempDir()
	const size = 8
	next := 0
	attempted := map[int]bool{} // first id of a batch → acknowledged (exit 0)
	rng := rand.New(rand.NewPCG(20, 26))
	srv := startServer(t, db)
	for trial := 0; trial < *crashTrials; trial++ {
		ctx, stopWriting := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var mu sync.Mutex
		killImport := trial%2 == 1
		wg.Go(func() {
			for ctx.Err() == nil {
				mu.Lock()
				first := next
				next += size
				mu.Unlock()
				cmd := exec.Command(binary(t), "import", "--quiet", "--db", db, batchFile(t, dir, first, size))
				if err := cmd.Start(); err != nil {
					t.Error(err)
					return
				}
				if killImport {
					// Kill this import somewhere in its run (opening the
					// store, validating, inside the transaction).
					time.AfterFunc(time.Duration(rng.IntN(120))*time.Millisecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
				}
				err := cmd.Wait()
				mu.Lock()
				attempted[first] = err == nil
				mu.Unlock()
			}
		})
		time.Sleep(time.Duration(150+rng.IntN(500)) * time.Millisecond)
		srv.kill()
		stopWriting()
		wg.Wait()

		srv = startServer(t, db)
		srv.agrees(t)
		s, err := sqlite.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		for first, acked := range attempted {
			n := 0
			for k := first; k < first+size; k++ {
				if _, err := s.Get(context.Background(), int64(800000+k)); err == nil {
					n++
				}
			}
			switch {
			case n != 0 && n != size:
				t.Errorf("trial %d: import of %d places left %d of them", trial, size, n)
			case acked && n == 0:
				t.Errorf("trial %d: an acknowledged import is missing", trial)
			}
			// Search agrees: the first and last place of the batch are
			// found exactly when the store holds them.
			for _, k := range []int{first, first + size - 1} {
				if got := srv.found(t, testName(k), int64(800000+k)); got != (n == size) {
					t.Errorf("trial %d: %s in store %v, found by search %v", trial, testName(k), n == size, got)
				}
			}
		}
		s.Close()
		clear(attempted)
		if t.Failed() {
			t.Logf("server log: %s", srv.stderr.String())
			break
		}
	}
	srv.stop(t)
	t.Logf("%d trials, %d imports started", *crashTrials, next/size)
}
