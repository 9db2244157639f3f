package postgres_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"wumen/gazetteer"
	"wumen/gazetteer/postgres"
	"wumen/gazetteer/postgres/pgtest"
	"wumen/gazetteer/sqlite"
	"wumen/gazetteer/storetest"
)

// benchN is how many generated records the backend benchmarks import
// (WUMEN_BENCH_N; 20,000 by default).
func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("WUMEN_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// backend opens an empty store of one kind for a benchmark.
type backend struct {
	name string
	open func(b *testing.B) *gazetteer.Store
}

var backends = []backend{
	{"sqlite", func(b *testing.B) *gazetteer.Store {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}},
	{"postgres", func(b *testing.B) *gazetteer.Store { return open(b, pgtest.URL(b)) }},
}

// BenchmarkBackends measures SQLite and PostgreSQL in the same run, on the
// same generated records: an import (validation, romanization, revisions
// and the spatial index kept) against a bare load of the same lines into a
// one-table store of the same kind; place lookups by id from 16 goroutines;
// and 16 editors changing places at once, each write naming the revision it
// read — all on one place (every editor conflicts with the others and
// retries) or each on its own place.
//
//	go test -run '^$' -bench BenchmarkBackends -benchtime 1x ./gazetteer/postgres/
func BenchmarkBackends(b *testing.B) {
	n := benchN()
	file := filepath.Join(b.TempDir(), "gen.jsonl")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	storetest.WriteRecords(w, n, 42)
	w.Flush()
	f.Close()
	for _, be := range backends {
		b.Run(be.name+"/import", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := be.open(b)
				raw := bareLoad(b, s, file)
				in, err := os.Open(file)
				if err != nil {
					b.Fatal(err)
				}
				before := storeBytes(b, s)
				b.StartTimer()
				start := time.Now()
				rep, err := s.Import(context.Background(), gazetteer.JSONLRecords(in, "gen.jsonl", 0), gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{})
				took := time.Since(start)
				in.Close()
				if err != nil || rep.Created != n {
					b.Fatalf("import: %v (%+v)", err, rep)
				}
				b.ReportMetric(float64(n)/took.Seconds(), "records/s")
				b.ReportMetric(raw, "bare-records/s")
				b.ReportMetric(float64(n)/took.Seconds()/raw, "ratio")
				b.ReportMetric(float64(storeBytes(b, s)-before)/float64(n), "bytes/record")
			}
		})
		b.Run(be.name+"/lookups", func(b *testing.B) {
			s := loaded(b, be, file)
			b.ResetTimer()
			for range b.N {
				rate, p50, p99 := lookups(b, s, n)
				b.ReportMetric(rate, "lookups/s")
				b.ReportMetric(p50, "p50-µs")
				b.ReportMetric(p99, "p99-µs")
			}
		})
		for _, hot := range []bool{true, false} {
			name := be.name + "/editors-own-place"
			if hot {
				name = be.name + "/editors-one-place"
			}
			b.Run(name, func(b *testing.B) {
				s := loaded(b, be, file)
				ctx := context.Background()
				const rounds = 10
				b.ResetTimer()
				for range b.N {
					start := time.Now()
					var conflicts int64
					if hot {
						c, err := storetest.EditConcurrently(ctx, s, 1, storetest.Editors, rounds)
						if err != nil {
							b.Fatal(err)
						}
						conflicts = c
					} else {
						c, err := editOwnPlaces(ctx, s, storetest.Editors, rounds)
						if err != nil {
							b.Fatal(err)
						}
						conflicts = c
					}
					took := time.Since(start)
					writes := storetest.Editors * rounds
					b.ReportMetric(float64(writes)/took.Seconds(), "writes/s")
					b.ReportMetric(float64(conflicts), "conflicts")
				}
			})
		}
	}
}

// lookups reads places by id from 16 goroutines, 2,000 each, and returns
// the rate and the p50 and p99 latencies in µs.
func lookups(b *testing.B, s *gazetteer.Store, n int) (rate, p50, p99 float64) {
	const readers, each = 16, 2000
	ctx := context.Background()
	lat := make([][]time.Duration, readers)
	start := time.Now()
	var wg sync.WaitGroup
	for r := range readers {
		wg.Go(func() {
			lat[r] = make([]time.Duration, 0, each)
			for i := range each {
				t := time.Now()
				if _, err := s.Get(ctx, int64(1+(r*each+i)*7919%n)); err != nil {
					b.Error(err)
					return
				}
				lat[r] = append(lat[r], time.Since(t))
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	q := func(f float64) float64 { return float64(all[int(f*float64(len(all)-1))].Microseconds()) }
	return float64(len(all)) / took.Seconds(), q(0.50), q(0.99)
}

// storeBytes is the size of the store on disk: the SQLite file with its
// write-ahead log (checkpointed first), or the PostgreSQL database.
func storeBytes(b *testing.B, s *gazetteer.Store) int64 {
	b.Helper()
	var n int64
	switch db := s.Backend().(type) {
	case *sqlite.DB:
		if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		if err := db.SQL().QueryRow(`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&n); err != nil {
			b.Fatal(err)
		}
	case *postgres.DB:
		if err := db.Pool().QueryRow(context.Background(), `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// editOwnPlaces runs editors at once, editor i changing place i+1 only.
func editOwnPlaces(ctx context.Context, s *gazetteer.Store, editors, rounds int) (int64, error) {
	type result struct {
		c   int64
		err error
	}
	out := make(chan result, editors)
	for i := range editors {
		go func() {
			c, err := storetest.EditConcurrently(ctx, s, int64(i+1), 1, rounds)
			out <- result{c, err}
		}()
	}
	var total int64
	var first error
	for range editors {
		r := <-out
		total += r.c
		if r.err != nil && first == nil {
			first = r.err
		}
	}
	return total, first
}

// loaded returns a store of be with the generated records imported.
func loaded(b *testing.B, be backend, file string) *gazetteer.Store {
	b.Helper()
	s := be.open(b)
	in, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	if _, err := s.Import(context.Background(), gazetteer.JSONLRecords(in, "gen.jsonl", 0), gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	return s
}

// bareLoad loads the lines of file as bare documents into a one-table store
// of s's kind — the hand-rolled baseline: one prepared INSERT in one
// transaction on SQLite, COPY of (id, jsonb) on PostgreSQL — and returns
// the rate in records/s.
func bareLoad(b *testing.B, s *gazetteer.Store, file string) float64 {
	b.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	ctx := context.Background()
	start := time.Now()
	switch db := s.Backend().(type) {
	case *sqlite.DB:
		if _, err := db.SQL().Exec(`CREATE TABLE bare (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		tx, _ := db.SQL().Begin()
		st, _ := tx.Prepare(`INSERT INTO bare VALUES (?, ?)`)
		for i, l := range lines {
			if _, err := st.Exec(i+1, string(l)); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	case *postgres.DB:
		if _, err := db.Pool().Exec(ctx, `CREATE TABLE bare (id bigint PRIMARY KEY, doc jsonb NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		rows := make([][]any, len(lines))
		for i, l := range lines {
			rows[i] = []any{int64(i + 1), json.RawMessage(l)}
		}
		if _, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"bare"}, []string{"id", "doc"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
	default:
		b.Fatal(fmt.Sprintf("no bare load for %T", db))
	}
	return float64(len(lines)) / time.Since(start).Seconds()
}
