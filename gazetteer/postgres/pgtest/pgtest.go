// Package pgtest gives tests a real PostgreSQL with PostGIS: a throwaway
// cluster of the test binary's own (initdb in a temporary folder, listening
// on loopback only, stopped when the tests end), or the server WUMEN_PG_URL
// names. Each test gets a fresh database made from a template that has the
// postgis extension, so tests run in parallel and leave nothing behind.
//
// The cluster needs the Debian packages postgresql and postgis (.ci/run
// installs them). Run as root, initdb and the server run as the postgres
// user, since PostgreSQL refuses to run as root. A missing server is a
// test failure, never a skip.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names a running server to use instead of a cluster of one's own
// (a superuser's URL, e.g. postgres://wumen@127.0.0.1:5432/postgres).
const EnvURL = "WUMEN_PG_URL"

const template = "wumen_template"

var (
	once    sync.Once
	base    string // URL of the maintenance database
	stop    func()
	initErr error
	seq     atomic.Int64
	own     *ownCluster // the cluster of this test binary (nil with WUMEN_PG_URL)
)

// ownCluster is what Replica needs of the cluster cluster started.
type ownCluster struct {
	bin, dir string
	port     int
	run      func(args ...string) error
}

// Main runs the tests of a package and stops its cluster afterwards; call
// it from TestMain: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if stop != nil {
		stop()
	}
	return code
}

// URL returns the URL of a new, empty database with PostGIS for this test,
// dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	return newDB(t, template)
}

// Empty returns the URL of a new database without even PostGIS (what
// pg_restore of a dump wants), dropped when the test ends.
func Empty(t testing.TB) string {
	t.Helper()
	return newDB(t, "template0")
}

// SkipShort skips t under go test -short: a PostgreSQL test starts a
// cluster of its own (seconds) before it asks anything.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: a PostgreSQL test")
	}
}

func newDB(t testing.TB, from string) string {
	t.Helper()
	SkipShort(t)
	once.Do(func() { base, stop, initErr = start() })
	if initErr != nil {
		t.Fatalf("PostgreSQL for the tests: %v", initErr)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), seq.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+from); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

// start finds or starts the server and makes the template database.
func start() (string, func(), error) {
	u, stopFn := os.Getenv(EnvURL), func() {}
	if u == "" {
		var err error
		if u, stopFn, err = cluster(); err != nil {
			return "", nil, err
		}
	}
	ctx := context.Background()
	var conn *pgx.Conn
	var err error
	for i := 0; i < 50; i++ { // the server may still be starting
		if conn, err = pgx.Connect(ctx, u); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		stopFn()
		return "", nil, fmt.Errorf("connect to %s: %w", redact(u), err)
	}
	defer conn.Close(ctx)
	var exists bool
	conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname=$1)", template).Scan(&exists)
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+template); err != nil {
			stopFn()
			return "", nil, err
		}
		tu, _ := url.Parse(u)
		tu.Path = "/" + template
		tc, err := pgx.Connect(ctx, tu.String())
		if err != nil {
			stopFn()
			return "", nil, err
		}
		_, err = tc.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis")
		tc.Close(ctx)
		if err != nil {
			stopFn()
			return "", nil, fmt.Errorf("the postgis extension (Debian package postgis): %w", err)
		}
	}
	return u, stopFn, nil
}

// cluster initialises and starts a cluster in a temporary folder on a
// free loopback port.
func cluster() (string, func(), error) {
	bin, err := binDir()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "wumen-pg-")
	if err != nil {
		return "", nil, err
	}
	var asUser []string
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, fmt.Errorf("running as root needs the postgres user (Debian package postgresql): %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		os.Chmod(dir, 0o755)
		if err := os.Chown(dir, uid, gid); err != nil {
			return "", nil, err
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) error {
		args = append(asUser, args...)
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", filepath.Base(args[len(asUser)]), err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "wumen", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	// Loopback only; the socket in the cluster's folder; durability off
	// (a test cluster is thrown away); enough connections for parallel
	// tests and several serving nodes.
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("%v\n%s", err, log)
	}
	own = &ownCluster{bin: bin, dir: dir, port: port, run: run}
	stopFn := func() {
		stopReplica()
		run(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	}
	return fmt.Sprintf("postgres://wumen@127.0.0.1:%d/postgres?sslmode=disable", port), stopFn, nil
}

// binDir finds the newest installed PostgreSQL's programs.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // the server's own folder, with pg_basebackup beside it
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server programs found (install the Debian packages postgresql and postgis, or set %s)", EnvURL)
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// redact drops a password from a URL for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the server"
	}
	return strings.Replace(p.Redacted(), "xxxxx", "…", 1)
}

var (
	replicaOnce sync.Once
	replicaPort int
	replicaErr  error
	stopReplica = func() {}
)

// Replica returns the URL of the database primary (a URL from URL) on a
// streaming replica — a hot standby of the tests' cluster, made with
// pg_basebackup and started once per test binary — after waiting until the
// replica has the database. It needs the tests' own cluster, not
// WUMEN_PG_URL's server.
func Replica(t testing.TB, primary string) string {
	t.Helper()
	SkipShort(t)
	once.Do(func() { base, stop, initErr = start() })
	if initErr != nil {
		t.Fatalf("PostgreSQL for the tests: %v", initErr)
	}
	if own == nil {
		t.Fatalf("a streaming replica needs the tests' own cluster: unset %s", EnvURL)
	}
	replicaOnce.Do(func() { replicaPort, replicaErr = startReplica(own) })
	if replicaErr != nil {
		t.Fatalf("the streaming replica: %v", replicaErr)
	}
	u, _ := url.Parse(primary)
	u.Host = fmt.Sprintf("127.0.0.1:%d", replicaPort)
	ctx := context.Background()
	var err error
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		var c *pgx.Conn
		if c, err = pgx.Connect(ctx, u.String()); err == nil {
			c.Close(ctx)
			return u.String()
		}
	}
	t.Fatalf("the replica never had the database: %v", err)
	return ""
}

// startReplica copies the running cluster with pg_basebackup (which writes
// the standby's connection to the primary) and starts it as a hot standby
// on a port of its own.
func startReplica(c *ownCluster) (int, error) {
	data := filepath.Join(c.dir, "replica")
	if err := c.run(filepath.Join(c.bin, "pg_basebackup"), "-D", data, "-R", "-X", "stream", "--no-sync",
		"--checkpoint=fast", // not a spread checkpoint, which takes minutes
		"-d", fmt.Sprintf("host=127.0.0.1 port=%d user=wumen", c.port)); err != nil {
		return 0, err
	}
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c hot_standby=on -c fsync=off -c max_connections=200", port, c.dir)
	if err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(c.dir, "replica.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "replica.log"))
		return 0, fmt.Errorf("%v\n%s", err, log)
	}
	stopReplica = func() { c.run(filepath.Join(c.bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop") }
	return port, nil
}
