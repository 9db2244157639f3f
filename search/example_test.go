package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/search"
)

// Build an index over places and search it by characters, joined pinyin,
// initials and a traditional form, as visitors type.
func ExampleIndex_Search() {
	dir, _ := os.MkdirTemp("", "wumen-example-")
	defer os.RemoveAll(dir)
	places := []*gazetteer.Place{
		{ID: 1, Name: "山塘街", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Status: gazetteer.StatusCurrent},
		{ID: 2, Name: "平江路", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Status: gazetteer.StatusCurrent},
		{ID: 3, Name: "观前街", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Status: gazetteer.StatusCurrent},
	}
	ix, err := search.Build(dir, func(fn func(*gazetteer.Place) error) error {
		for _, p := range places {
			gazetteer.Derive(p) // 专名/通名, pinyin, sign form
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	for _, text := range []string{"山塘", "shantangjie", "pjl", "觀前街"} {
		res, err := ix.Search(context.Background(), search.Query{Text: text, Size: 1})
		if err != nil || len(res.Hits) == 0 {
			fmt.Println(text, "→ nothing", err)
			continue
		}
		fmt.Println(text, "→", res.Hits[0].Name)
	}
	// Output:
	// 山塘 → 山塘街
	// shantangjie → 山塘街
	// pjl → 平江路
	// 觀前街 → 观前街
}

// Keep the index of a store: the first open builds it from the store's
// places; later ones catch up from the revision it last applied (or
// rebuild it when that is faster or the store is not the one it was built
// from). An index that a running server holds is opened read-only.
func ExampleOptions_OpenStore() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "wumen-example-")
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(filepath.Join(dir, "wumen.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	street := gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}
	for _, name := range []string{"山塘街", "十全街"} {
		p := &gazetteer.Place{Name: name, Category: street, Status: gazetteer.StatusCurrent}
		if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "example", Reason: "example"}); err != nil {
			fmt.Println(err)
			return
		}
	}
	building := func(why string, total int) (func(int), func()) {
		fmt.Println("building the index of", total, "places")
		return nil, nil
	}
	ixDir := filepath.Join(dir, "wumen.db.index")
	ix, err := search.Options{}.OpenStore(ctx, s, ixDir, building)
	if err != nil {
		fmt.Println(err)
		return
	}
	ix.Close()
	// A place written while the index is closed is caught up on the next open.
	p := &gazetteer.Place{Name: "十梓街", Category: street, Status: gazetteer.StatusCurrent}
	if _, err := s.Put(ctx, p, gazetteer.Change{Actor: "example", Reason: "example"}); err != nil {
		fmt.Println(err)
		return
	}
	ix, err = search.Options{}.OpenStore(ctx, s, ixDir, building)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	res, err := ix.Search(ctx, search.Query{Text: "shi"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ix.Len(), "places, read-only:", ix.ReadOnly())
	for _, h := range res.Hits {
		fmt.Println(h.Name, h.Pinyin)
	}
	// Output:
	// building the index of 2 places
	// 3 places, read-only: false
	// 十全街 Shíquán Jiē
	// 十梓街 Shízǐ Jiē
}
