package formats_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/gazetteer/sqlite"
)

// Look a format up by the name a user gives (--format, ?format=) and
// write the places of a store in it: here one bridge as Linked Places
// TSV, the World Historical Gazetteer's upload format.
func ExampleFormat_Write() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wumen-example-")
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(filepath.Join(dir, "wumen.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	p := &gazetteer.Place{Name: "宝带桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"},
		Status: gazetteer.StatusCurrent, Geometry: orb.Point{120.6308, 31.2583}, Coord: &gazetteer.Coord{Method: "surveyed"}}
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "example", Reason: "example"}); err != nil {
		fmt.Println(err)
		return
	}
	f, err := formats.ForWrite("lptsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Name, f.MediaType, f.Ext())
	var b strings.Builder
	n, err := f.Write(ctx, s, &b, export.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := csv.NewReader(strings.NewReader(b.String()))
	r.Comma = '\t'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 {
		fmt.Println(len(rows), err)
		return
	}
	for i, col := range rows[0] {
		if v := rows[1][i]; v != "" && col != "title_source" {
			fmt.Printf("%s: %s\n", col, v)
		}
	}
	fmt.Println(n, "place written")
	// Output:
	// lptsv text/tab-separated-values; charset=utf-8 .tsv
	// id: 1
	// title: 宝带桥
	// title_uri: urn:wumen:place:1
	// ccodes: CN
	// variants: Bǎodài Qiáo@zh-Latn
	// types: 交通运输设施;桥梁
	// lon: 120.6308
	// lat: 31.2583
	// 1 place written
}
