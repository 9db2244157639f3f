package formats_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/gazetteer/sqlite"
	"wumen/geo"
)

var update = flag.Bool("update", false, "write the golden files of TestGolden again")

// writtenAt are the times and dates an export writes that change from run
// to run (revision times, "exported 2026-12-03", the year of an open
// timespan).
var (
	writtenTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)
	writtenDate = regexp.MustCompile(`exported \d{4}-\d\d-\d\d`)
)

// TestGolden: every text export format of the registry writes, for seven
// frozen records of the shipped data, exactly the bytes of its golden file
// (testdata/golden; README there). A change to what users get shows as a
// diff of the golden file, written with -update.
func TestGolden(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src, err := os.Open("testdata/golden/places.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := s.Import(ctx, gazetteer.JSONLRecords(src, "places.jsonl", geo.WGS84), gazetteer.Change{Actor: "golden"}, gazetteer.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range formats.All() {
		if !f.CanWrite() || f.File || f.Name == "pmtiles" { // binary: checked by their round trips
			continue
		}
		n++
		t.Run(f.Name, func(t *testing.T) {
			var b bytes.Buffer
			if _, err := f.Write(ctx, s, &b, export.Options{BaseURI: "https://example.org/place/"}); err != nil {
				t.Fatal(err)
			}
			got := writtenDate.ReplaceAll(writtenTime.ReplaceAll(b.Bytes(), []byte("TIME")), []byte("exported DATE"))
			path := filepath.Join("testdata", "golden", "all"+f.Ext())
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (write it with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (an intended change: go test ./gazetteer/formats -run Golden -update):\n%s", f.Name, path, firstDiff(got, want))
			}
		})
	}
	if n < 7 {
		t.Errorf("only %d text formats checked", n)
	}
}

// firstDiff shows the first line that differs.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + clip(gl) + "\n  want: " + clip(wl)
		}
	}
	return ""
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
