package gazetteer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
)

// exampleStore opens a fresh SQLite store in a temporary folder; the
// returned function closes and removes it.
func exampleStore() (*gazetteer.Store, func(), error) {
	dir, err := os.MkdirTemp("", "wumen-example-")
	if err != nil {
		return nil, nil, err
	}
	s, err := sqlite.Open(filepath.Join(dir, "wumen.db")) // a missing file is created, with the schema
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return s, func() { s.Close(); os.RemoveAll(dir) }, nil
}

// Open a store, write a place as one revision and read it back: the write
// derives the 专名 (specific) and 通名 (generic), the standard pinyin and the
// sign form, and records who made the change and why.
func ExampleStore_Put() {
	ctx := context.Background()
	s, done, err := exampleStore()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()
	p := &gazetteer.Place{
		Name:     "宝带桥",
		Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"},
		Status:   gazetteer.StatusCurrent,
		Geometry: orb.Point{120.6308, 31.2583},                       // WGS84 longitude, latitude
		Coord:    &gazetteer.Coord{Method: "surveyed", AccuracyM: 5}, // every position says where it comes from
	}
	action, err := s.Put(ctx, p, gazetteer.Change{Actor: "example", Reason: "first entry"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(action, p.ID)
	got, err := s.Get(ctx, p.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Name, "=", got.Specific, "+", got.Generic, "·", got.Pinyin, "·", got.Sign)
	revs, err := s.Revisions(ctx, p.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(revs), "revision by", revs[0].Actor+":", revs[0].Reason)
	// Output:
	// created 1
	// 宝带桥 = 宝带 + 桥 · Bǎodài Qiáo · BAODAI QIAO
	// 1 revision by example: first entry
}

// Rename a place by its approval document: the new name becomes the
// standard one and the old one is kept as a historical name ending on the
// event's date.
func ExampleStore_ApplyEvent() {
	ctx := context.Background()
	s, done, err := exampleStore()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()
	p := &gazetteer.Place{Name: "新民桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}, Status: gazetteer.StatusCurrent}
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "example", Reason: "first entry"}); err != nil {
		fmt.Println(err)
		return
	}
	ev := gazetteer.Event{Type: gazetteer.EventRenaming, To: "广济桥", Date: "2019-06-01", Document: "苏府地名函〔2019〕85号"}
	got, err := s.ApplyEvent(ctx, p.ID, ev, gazetteer.Change{Actor: "example", Reason: "renaming"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Name, got.Pinyin)
	for _, n := range got.Names {
		fmt.Println(n.Text, n.Kind, "until", n.End)
	}
	// Output:
	// 广济桥 Guǎngjì Qiáo
	// 新民桥 historical until 2019-06-01
}
