package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestURL: a test database is a real PostgreSQL with PostGIS, reached on
// loopback, and two tests get two databases.
func TestURL(t *testing.T) {
	ctx := context.Background()
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatalf("one database for two tests: %s", a)
	}
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var area float64
	if err := conn.QueryRow(ctx, `SELECT ST_Area(ST_MakeEnvelope(0, 0, 2, 3, 4326))`).Scan(&area); err != nil || area != 6 {
		t.Fatalf("PostGIS: area %v, %v", area, err)
	}
	var addr string
	if err := conn.QueryRow(ctx, `SELECT host(inet_server_addr())`).Scan(&addr); err != nil || addr != "127.0.0.1" {
		t.Fatalf("server address %q, %v: want loopback", addr, err)
	}
}
