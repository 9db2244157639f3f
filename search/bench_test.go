package search

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
)

// Benchmarks. The default test run has none; run them with -bench:
//
//	go test ./search -run '^$' -bench 'Dataset' -benchtime 2000x
//	go test ./search -run '^$' -bench 'Million' -benchtime 2000x -timeout 60m
//
// WUMEN_BENCH_REUSE=DIR keeps the million-name index in DIR between runs
// (its build figures are then those of opening it, not building).
//
// BenchmarkMillion builds 1,000,000 generated names (WUMEN_BENCH_N changes
// the number) and, as the baseline in the same run, a SQLite FTS5 table
// (trigram tokenizer) over the same names, then runs the same queries on both.

// genPlaces makes n deterministic places whose names (2–6 characters) are
// drawn from the characters of real Suzhou names (newPlaceGen), then the
// city and its ten counties and districts, as the shipped dataset holds
// them: a query that starts with one (蘇州 + name, the trad kind) is read as
// that unit + the name, as on the real data.
func genPlaces(tb testing.TB, n int) []*gazetteer.Place {
	g := newPlaceGen(tb)
	ps := make([]*gazetteer.Place, n)
	for i := range ps {
		ps[i] = g.next()
	}
	for _, p := range loadPlaces(tb) {
		if p.Level == "prefecture" || p.Level == "county" {
			q := *p
			q.ID = int64(len(ps) + 1)
			ps = append(ps, &q)
		}
	}
	return ps
}

// benchQueries are the query kinds measured, each drawn from the names.
type benchQueries struct {
	sub3   []string            // 3-character substrings: what FTS5 trigram can answer
	mixed  []string            // all the kinds below in turn
	kinds  map[string][]string // exact, sub2, char, pinyin, spaced, initials, typo, trad; and englishKinds
	prefix []string            // autocomplete: 1–4 character prefixes and pinyin prefixes
}

var mixedKinds = []string{"exact", "sub2", "char", "pinyin", "spaced", "initials", "typo", "trad"}

// englishKinds are measured apart from the mixed load (which keeps its
// figures comparable): an English name in lower case, two of its words in
// reverse order, a word with a letter dropped, and pinyin with the English
// word for the generic (shantang street).
var englishKinds = []string{"english", "english-words", "english-typo", "english-mixed"}

func makeQueries(ps []*gazetteer.Place, n int) benchQueries {
	rng := rand.New(rand.NewPCG(99, 1))
	q := benchQueries{kinds: map[string][]string{}}
	pick := func() []rune {
		for {
			r := []rune(ps[rng.IntN(len(ps))].Name)
			if len(r) >= 3 {
				return r
			}
		}
	}
	for len(q.sub3) < n {
		r := pick()
		i := rng.IntN(len(r) - 2)
		q.sub3 = append(q.sub3, string(r[i:i+3]))
	}
	for i := 0; len(q.mixed) < n; i++ {
		r := pick()
		name := string(r)
		us := readingUnits(normalize(name))
		c := readingCombos(us)[0]
		py := strings.Join(c, "")
		var text string
		switch i % 8 {
		case 0:
			text = name
		case 1:
			j := rng.IntN(len(r) - 1)
			text = string(r[j : j+2])
		case 2:
			text = string(r[rng.IntN(len(r))])
		case 3:
			text = py
		case 4:
			text = strings.Join(c, " ")
		case 5:
			text = initials(c)
		case 6:
			if len(py) >= 5 { // drop one letter
				j := 1 + rng.IntN(len(py)-1)
				py = py[:j] + py[j+1:]
			}
			text = py
		case 7:
			text = "蘇州" + name // traditional + admin prefix
		}
		q.mixed = append(q.mixed, text)
		q.kinds[mixedKinds[i%8]] = append(q.kinds[mixedKinds[i%8]], text)
		switch i % 3 {
		case 0:
			q.prefix = append(q.prefix, string(r[:1+rng.IntN(min(4, len(r)))]))
		case 1:
			q.prefix = append(q.prefix, py[:min(len(py), 2+rng.IntN(6))])
		case 2:
			q.prefix = append(q.prefix, string(r[:2]))
		}
	}
	q.englishQueries(ps, n)
	return q
}

func (q *benchQueries) englishQueries(ps []*gazetteer.Place, n int) {
	rng := rand.New(rand.NewPCG(7, 16))
	var named []*gazetteer.Place
	for _, p := range ps {
		if _, ok := english.Name(p); ok {
			named = append(named, p)
		}
	}
	terms := english.Default()
	for i := 0; len(q.kinds["english-mixed"]) < n && len(named) > 0; i++ {
		p := named[rng.IntN(len(named))]
		en, _ := english.Name(p)
		ws := strings.Fields(strings.ToLower(en.Text))
		q.kinds["english"] = append(q.kinds["english"], strings.ToLower(en.Text))
		if len(ws) >= 2 {
			q.kinds["english-words"] = append(q.kinds["english-words"], ws[len(ws)-1]+" "+ws[0])
		}
		j := rng.IntN(len(ws))
		if w := ws[j]; len(w) >= 5 {
			k := 1 + rng.IntN(len(w)-1)
			ws[j] = w[:k] + w[k+1:]
		}
		q.kinds["english-typo"] = append(q.kinds["english-typo"], strings.Join(ws, " "))
		if g, ok := terms.Generic(p.Generic); ok {
			spec := strings.Join(readingCombos(readingUnits(normalize(p.Specific)))[0], "")
			q.kinds["english-mixed"] = append(q.kinds["english-mixed"], spec+" "+g)
		}
	}
}

func BenchmarkDataset(b *testing.B) {
	benchScale(b, loadPlaces(b), false)
}

func BenchmarkMillion(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("WUMEN_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	benchScale(b, genPlaces(b, n), true)
}

func nameCount(ps []*gazetteer.Place) int {
	n := 0
	for _, p := range ps {
		n += 1 + len(p.Names)
	}
	return n
}

func dirSize(dir string) int64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total
}

// settle waits until the index's background merging is idle: every
// planned merge task done and the files unchanged for a second. It returns
// how long merging went on.
func settle(b *testing.B, ix *Index) time.Duration {
	adv, err := ix.bi.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	stats, ok := adv.(interface{ StatsMap() map[string]interface{} })
	if !ok {
		b.Fatalf("%T has no StatsMap", adv)
	}
	t0, lastChange := time.Now(), time.Now()
	last := ""
	for time.Since(lastChange) < time.Second {
		time.Sleep(100 * time.Millisecond)
		st := stats.StatsMap()
		cur := fmt.Sprint(st["TotFileMergePlanTasks"], st["TotFileMergePlanTasksDone"], st["CurOnDiskFiles"], st["TotFileMergeIntroductionsDone"])
		if cur != last || st["TotFileMergePlanTasks"] != st["TotFileMergePlanTasksDone"] {
			last, lastChange = cur, time.Now()
		}
		if time.Since(t0) > 30*time.Minute {
			b.Fatal("merging did not settle in 30 minutes")
		}
	}
	return lastChange.Sub(t0)
}

// vmHWM is the peak resident set size of the process in MB (Linux).
func vmHWM() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// latencies runs fn on the queries in turn b.N times and reports p50/p99.
func latencies(b *testing.B, qs []string, fn func(string) error) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := fn(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}

func benchScale(b *testing.B, ps []*gazetteer.Place, fts bool) {
	dir := b.TempDir()
	nNames := nameCount(ps)
	heap0 := heapMB()
	t0, cpu0 := time.Now(), cpuTime()
	var ix *Index
	var err error
	opened := false
	if d := os.Getenv("WUMEN_BENCH_REUSE"); d != "" && fts {
		// tuning queries only: reuse (or build once) an index kept in d
		dir = d
		if ix, err = Open(filepath.Join(dir, "ix")); err != nil {
			ix, err = Build(filepath.Join(dir, "ix"), eachOf(ps))
		} else {
			opened = true
		}
	} else {
		ix, err = Build(filepath.Join(dir, "ix"), eachOf(ps))
	}
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	build, buildCPU := time.Since(t0), cpuTime()-cpu0
	// Scorch goes on merging the build's segments in the background; the
	// queries below are measured once that has settled (the time it took is
	// reported as settle-s, and queries during it are slower).
	settled := settle(b, ix)
	heapIx := heapMB() - heap0
	size := dirSize(filepath.Join(dir, "ix"))
	qs := makeQueries(ps, 2000)
	ctx := context.Background()
	// Build reopens the index from disk: every name must be there (the build
	// uses unsafe_batch and waits for persistence itself).
	if n, err := ix.bi.DocCount(); err != nil || n != uint64(nNames) {
		b.Fatalf("reopened index holds %d names, want %d (%v)", n, nNames, err)
	}
	if r, err := ix.Search(ctx, Query{Text: ps[len(ps)/2].Name}); err != nil || len(r.Hits) == 0 {
		b.Fatalf("the index does not find %s: %v", ps[len(ps)/2].Name, err)
	}
	b.Run("build", func(b *testing.B) {
		b.ReportMetric(float64(nNames)/build.Seconds(), "names/s")
		b.ReportMetric(float64(size)/(1<<20), "disk-MB")
		b.ReportMetric(heapIx, "heap-MB")
		b.ReportMetric(vmHWM(), "peak-rss-MB")
		b.ReportMetric(float64(nNames), "names")
		b.ReportMetric(settled.Seconds(), "settle-s")
		if opened { // the index was opened, not built: what opening cost
			b.ReportMetric(build.Seconds(), "open-s")
			b.ReportMetric(buildCPU.Seconds(), "open-cpu-s")
		}
	})
	search := func(text string) error {
		_, err := ix.Search(ctx, Query{Text: text, Size: 10})
		return err
	}
	b.Run("search-mixed", func(b *testing.B) { latencies(b, qs.mixed, search) })
	for _, k := range append(mixedKinds[:len(mixedKinds):len(mixedKinds)], englishKinds...) {
		if len(qs.kinds[k]) > 0 {
			b.Run("search-"+k, func(b *testing.B) { latencies(b, qs.kinds[k], search) })
		}
	}
	b.Run("search-sub3", func(b *testing.B) { latencies(b, qs.sub3, search) })
	b.Run("autocomplete", func(b *testing.B) {
		latencies(b, qs.prefix, func(text string) error {
			_, err := ix.Autocomplete(ctx, Query{Text: text, Size: 10})
			return err
		})
	})
	b.Run("search-facets", func(b *testing.B) {
		latencies(b, qs.mixed, func(text string) error {
			_, err := ix.Search(ctx, Query{Text: text, Size: 10, Facets: true})
			return err
		})
	})
	b.Run("relevance", func(b *testing.B) { benchRelevance(b, ix, ps) })
	if os.Getenv("WUMEN_BENCH_REUSE") == "" { // it would change the index kept for the next run
		b.Run("upsert", func(b *testing.B) { benchUpsert(b, ix, ps) })
	}
	if !fts {
		return
	}
	db, ftsBuild, err := buildFTS5(filepath.Join(dir, "fts.db"), ps)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Run("fts5-build", func(b *testing.B) {
		b.ReportMetric(float64(nNames)/ftsBuild.Seconds(), "names/s")
		b.ReportMetric(float64(dirSize(dir)-size)/(1<<20), "disk-MB")
	})
	stmt, err := db.Prepare(`SELECT rowid FROM names WHERE names MATCH ? ORDER BY rank LIMIT 10`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	b.Run("fts5-sub3", func(b *testing.B) {
		latencies(b, qs.sub3, func(text string) error {
			rows, err := stmt.Query(`"` + text + `"`)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			rows.Close()
			return rows.Err()
		})
	})
}

// buildFTS5 is the baseline: every name in an FTS5 table with the trigram
// tokenizer (substrings of 3 or more characters), in one transaction.
func buildFTS5(path string, ps []*gazetteer.Place) (*sql.DB, time.Duration, error) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, 0, err
	}
	db.SetMaxOpenConns(1)
	t0 := time.Now()
	if _, err := db.Exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
		CREATE VIRTUAL TABLE names USING fts5(name, place UNINDEXED, tokenize='trigram')`); err != nil {
		return nil, 0, err
	}
	tx, err := db.Begin()
	if err != nil {
		return nil, 0, err
	}
	st, err := tx.Prepare(`INSERT INTO names(name, place) VALUES (?, ?)`)
	if err != nil {
		return nil, 0, err
	}
	for _, p := range ps {
		if _, err := st.Exec(p.Name, p.ID); err != nil {
			return nil, 0, err
		}
		for _, n := range p.Names {
			if _, err := st.Exec(n.Text, p.ID); err != nil {
				return nil, 0, err
			}
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		return nil, 0, err
	}
	return db, time.Since(t0), nil
}
