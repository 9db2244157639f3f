package gazetteer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Real Suzhou 专名 and 通名 characters, for generated records of realistic
// length and shape.
var (
	specificRunes = []rune("山塘平江观前十全学士钮家大儒悬桥丁香卫道胡厢使肖宝带枫吴门江村寿星胥盘葑娄齐相阊金虎丘灵岩天穹窿上方七子渔洋东西南北莫厘缥缈虞拙政留网师狮林沧浪环秀艺圃耦退思怡木渎甪直光福同里周庄锦溪千灯沙溪黎震泽盛平望古凤凰巴城浏河浒墅关唯亭娄葑斜塘横泾越溪")
	genericWords  = []string{"街", "路", "巷", "弄", "坊", "桥", "河", "浜", "港", "塘", "泾", "湖", "山", "村", "社区", "园", "门"}
)

// genRecords writes n generated place records as JSON Lines.
func genRecords(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := 1; i <= n; i++ {
		k := 1 + r.IntN(4)
		var sb strings.Builder
		for j := 0; j < k; j++ {
			sb.WriteRune(specificRunes[r.IntN(len(specificRunes))])
		}
		g := genericWords[r.IntN(len(genericWords))]
		p := gazetteer.Place{ID: int64(i), Name: sb.String() + g, Specific: sb.String(), Generic: g,
			Category: gazetteer.Category{Class: "非行政区域"}, Status: gazetteer.StatusCurrent,
			Admin: []string{"3205", "320508"}}
		if r.IntN(2) == 0 {
			p.Geometry = orb.Point{120.5 + r.Float64()*0.3, 31.2 + r.Float64()*0.2}
			p.Coord = &gazetteer.Coord{Method: "estimated", AccuracyM: 1000, Note: "generated benchmark record"}
		}
		enc.Encode(&p)
	}
	return buf.Bytes()
}

// BenchmarkImport measures import throughput (records/s) and peak heap for
// 100,000 generated records read from JSON Lines and written in one
// transaction, each with its revision, into a fresh SQLite file.
//
//	go test -run '^$' -bench BenchmarkImport -benchtime 1x ./gazetteer/
func BenchmarkImport(b *testing.B) {
	n := 100000
	if v := os.Getenv("WUMEN_BENCH_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	data := genRecords(n, 42)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		s, err := gazetteer.Open(filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		in, err := gazetteer.ReadJSONL(bytes.NewReader(data), "gen.jsonl")
		if err != nil {
			b.Fatal(err)
		}
		rep, err := s.PutAll(context.Background(), in, gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if rep.Created != n {
			b.Fatalf("created %d", rep.Created)
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(after.HeapSys)/(1<<20), "heapsys-MiB")
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkGet measures reading one place by id (the /api/v1/places/{id}
// path) against a bare SQLite primary-key lookup of the same row, the
// hand-rolled baseline.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	s, err := gazetteer.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	in, _ := gazetteer.ReadJSONL(bytes.NewReader(genRecords(20000, 7)), "gen.jsonl")
	if _, err := s.PutAll(ctx, in, gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("store.Get", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Get(ctx, int64(1+i%20000)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sqlite-raw", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var doc string
			if err := s.DB().QueryRowContext(ctx, `SELECT doc FROM places WHERE id=?`, 1+i%20000).Scan(&doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkImportBaselineSQLite is the hand-rolled baseline for
// BenchmarkImport: the same records inserted as bare JSON documents into a
// one-table SQLite file in one transaction with a prepared statement — no
// validation, no romanization, no revisions, no secondary indexes.
//
//	go test -run '^$' -bench 'BenchmarkImport' -benchtime 1x ./gazetteer/
func BenchmarkImportBaselineSQLite(b *testing.B) {
	n := 100000
	if v := os.Getenv("WUMEN_BENCH_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	data := genRecords(n, 42)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := gazetteer.Open(filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		db := s.DB()
		if _, err := db.Exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		tx, _ := db.Begin()
		st, _ := tx.Prepare(`INSERT INTO raw VALUES (?, ?)`)
		for j, l := range lines {
			if _, err := st.Exec(j+1, string(l)); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
