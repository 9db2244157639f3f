package census_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"wumen/gazetteer"
	"wumen/gazetteer/census"
	"wumen/gazetteer/storetest"
)

// BenchmarkImportCensusCSV measures issue 13's import as a census office
// meets it: a GBK-encoded CSV with the census's own column names (标准名称,
// 地名类别 by subclass name, 所在（跨）行政区 by name, 东经/北纬 in 度分秒 for
// half the rows, 地名含义), read, decoded, mapped and imported into a store
// holding the shipped administrative units — against the baseline of the
// same file's lines inserted as bare rows into a one-table SQLite file, in
// the same run (storetest.BareInserts). Names come from storetest's generator; the positions are
// generated benchmark values, never shipped. 100,000 rows by default
// (WUMEN_BENCH_N to change).
//
//	go test -run '^$' -bench 'BenchmarkImportCensusCSV' -benchtime 1x ./gazetteer/census/
func BenchmarkImportCensusCSV(b *testing.B) {
	n := 100000
	if v := os.Getenv("WUMEN_BENCH_N"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "普查成果表.csv")
	writeCensusCSV(b, file, n)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		raw := storetest.BareInserts(b, file, filepath.Join(dir, fmt.Sprintf("raw%d.db", i)), 1) // the header row skipped
		s, admin := store(b)
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		tab, err := census.OpenCSV(f, census.Options{Name: "普查成果表.csv", Categories: s.Categories(), Admin: admin})
		if err != nil {
			b.Fatal(err)
		}
		if tab.Encoding != "GB18030 (GBK)" {
			b.Fatalf("read as %s", tab.Encoding)
		}
		runtime.GC()
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		restore := gazetteer.ImportGC() // as the import command sets the collector
		rep, err := s.Import(context.Background(), tab.Records(), gazetteer.Change{Actor: "bench"}, gazetteer.PutOptions{})
		restore()
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		tab.Close()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Created != n {
			b.Fatalf("created %d of %d", rep.Created, n)
		}
		rate := float64(n) / took.Seconds()
		b.ReportMetric(rate, "records/s")
		b.ReportMetric(raw, "sqlite-raw-records/s")
		b.ReportMetric(rate/raw, "ratio")
		b.ReportMetric(float64(n)/cpu.Seconds(), "records/cpu-s")
		b.StartTimer()
	}
}

// censusBenchCategories and censusBenchAdmin are the 地名类别 and 所在（跨）行政区
// values of the generated rows, as census tables write them.
var (
	censusBenchCategories = []string{"村民委员会", "农村居民点", "道路街巷", "桥梁", "河流", "古建筑", "社区居民委员会", "池塘"}
	censusBenchAdmin      = []string{"苏州市姑苏区", "姑苏区", "虎丘区镇湖街道", "苏州市虎丘区横塘街道", "吴中区", "相城区"}
)

// writeCensusCSV writes n census rows in GBK, names from storetest's
// generator.
func writeCensusCSV(b *testing.B, path string, n int) {
	r := rand.New(rand.NewPCG(13, 1))
	var text bytes.Buffer
	text.WriteString(strings.Join(censusHeader, ",") + "\r\n")
	sc := bufio.NewScanner(bytes.NewReader(storetest.GenRecords(n, 42)))
	sc.Buffer(nil, 1<<20)
	for i := 1; sc.Scan(); i++ {
		line := sc.Text()
		name := line[strings.Index(line, `"name":"`)+8:]
		name = name[:strings.IndexByte(name, '"')]
		var lon, lat string
		if r.IntN(2) == 0 {
			lon, lat = dms(120.5+r.Float64()*0.3, "E"), dms(31.2+r.Float64()*0.2, "N")
		}
		fmt.Fprintf(&text, "%d,%s,,%s,%s,%s,%s,因%s得名（测试）,,,,\r\n", i, name,
			censusBenchCategories[r.IntN(len(censusBenchCategories))], censusBenchAdmin[r.IntN(len(censusBenchAdmin))], lon, lat, name)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(text.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, gbk, 0o644); err != nil {
		b.Fatal(err)
	}
}

// dms writes degrees as 度分秒 to 0.001″: 120°36′43.035″E.
func dms(deg float64, hemi string) string {
	ms := int64(math.Round(deg * 3600 * 1000)) // thousandths of a second, so rounding never writes 60″
	return fmt.Sprintf("%d°%d′%d.%03d″%s", ms/3600000, ms/60000%60, ms/1000%60, ms%1000, hemi)
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work it moves less with the load than the
// wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
