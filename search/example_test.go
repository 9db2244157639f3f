package search_test

import (
	"context"
	"fmt"
	"os"

	"wumen/gazetteer"
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
