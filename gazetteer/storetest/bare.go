package storetest

import (
	"bufio"
	"os"
	"testing"
	"time"

	"wumen/gazetteer/sqlite"
)

// BareInserts is the hand-rolled baseline of the import benchmarks: the
// lines of file (after the first skip) inserted as bare rows into a
// one-table SQLite file at db, opened as a store is (WAL, synchronous
// NORMAL), in one transaction with one prepared statement and no
// validation, romanization, revisions or secondary indexes. It returns the
// rate in records/s.
func BareInserts(tb testing.TB, file, db string, skip int) float64 {
	tb.Helper()
	s, err := sqlite.OpenDB(db)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	raw := s.SQL()
	if _, err := raw.Exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)`); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	tx, err := raw.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO raw VALUES (?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	n := 0
	for sc.Scan() {
		if n++; n <= skip {
			continue
		}
		if _, err := st.Exec(n, sc.Text()); err != nil {
			tb.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return float64(n-skip) / time.Since(start).Seconds()
}
