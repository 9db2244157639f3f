package formats_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wumen/gazetteer/formats"
)

// TestRegistry: every format is complete, and an extension names one
// format unless the formats sharing it tell their files apart by content.
func TestRegistry(t *testing.T) {
	byExt := map[string][]formats.Format{}
	for _, f := range formats.All() {
		if f.Name == "" || f.Title == "" || len(f.Exts) == 0 {
			t.Errorf("%+v: a format needs a name, a title and an extension", f)
		}
		if f.CanWrite() && f.MediaType == "" {
			t.Errorf("%s is exported but has no media type", f.Name)
		}
		if !f.CanRead() && !f.CanWrite() {
			t.Errorf("%s neither reads nor writes", f.Name)
		}
		for _, e := range f.Exts {
			if !strings.HasPrefix(e, ".") || e != strings.ToLower(e) {
				t.Errorf("%s: extension %q is not a lower-case .ext", f.Name, e)
			}
			if f.CanRead() {
				byExt[e] = append(byExt[e], f)
			}
		}
	}
	for e, fs := range byExt {
		claims := 0
		for _, f := range fs {
			if f.Claims != nil {
				claims++
			}
		}
		if len(fs) > 1 && claims < len(fs)-1 {
			t.Errorf("%s is read by %d formats and only %d tell their files apart", e, len(fs), claims)
		}
	}
	for _, want := range []string{"jsonl", "geojson", "geojsonseq", "csv", "xlsx", "shp", "gpkg", "kml", "lpf", "lptsv"} {
		if !slices.Contains(formats.Imports(), want) {
			t.Errorf("%s is not imported", want)
		}
	}
}

// TestForFile: what an import makes of a file from its name and first
// bytes, as a user hands it over.
func TestForFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ file, want string }{
		{write("whg.tsv", "\ufeffid\ttitle\ttitle_source\ttitle_uri\n"), "lptsv"},
		{write("census.tsv", "标准名称\t类别\n"), "csv"},
		{write("x.CSV", "name,class\n"), "csv"},
		{write("a.GeoJSON", "{}"), "geojson"},
		{"missing.gpkg", "gpkg"},
		{"book.xlsx", "xlsx"},
		{"places.jsonld", "lpf"},
	} {
		f, err := formats.ForFile(c.file)
		if err != nil || f.Name != c.want {
			t.Errorf("%s: %s, %v; want %s", filepath.Base(c.file), f.Name, err, c.want)
		}
	}
	for _, c := range []struct{ file, says string }{
		{"old.xls", "save the workbook as .xlsx or CSV"},
		{"notes.docx", "use --format (csv, "},
	} {
		if _, err := formats.ForFile(c.file); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want it to say %q", c.file, err, c.says)
		}
	}
	if _, err := formats.ForWrite("shp"); err == nil || !strings.Contains(err.Error(), "gpkg") {
		t.Errorf("exporting shp: %v, want the list of export formats", err)
	}
}

// TestLostNote: a lossy format says what it drops and which formats keep
// everything; a lossless one says nothing.
func TestLostNote(t *testing.T) {
	tsv, _ := formats.Get("lptsv")
	note := tsv.LostNote()
	if !strings.Contains(note, "lptsv cannot hold: admin,") || !strings.Contains(note, "jsonl") || !strings.Contains(note, "csv") ||
		strings.Contains(note, "lptsv are lossless") {
		t.Errorf("lptsv note: %s", note)
	}
	for _, name := range []string{"jsonl", "csv"} {
		if f, _ := formats.Get(name); f.LostNote() != "" {
			t.Errorf("%s note: %s", name, f.LostNote())
		}
	}
}

// Choosing a format by a file's name, as `wumen import FILE` does.
func ExampleForFile() {
	f, err := formats.ForFile("villages.shp")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Name, "—", f.Title)
	// Output: shp — Shapefile (.shp with .dbf and .prj; UTF-8 or GBK by its .cpg, else detected)
}
