// Command genreadings writes gazetteer/romanize/readings.txt, the
// character readings of github.com/mozillazg/go-pinyin's dictionary
// (PinyinDict, MIT licence, from the pinyin-data project) as a compact data
// file that the romanize package embeds and reads on first use, instead of
// linking go-pinyin's dictionary as a Go map literal: the search compiled to
// WebAssembly ships it about 4× smaller (BENCHMARKS.md, static search).
//
// Run from the repository root after upgrading go-pinyin:
//
//	go run ./gazetteer/romanize/internal/genreadings
//
// Format, one character a line, in code point order: the distance from the
// previous line's code point in decimal (empty for 1; the first line's is
// from 0), a tab, and the readings with tone marks, preferred first, comma
// separated, exactly as go-pinyin has them. TestReadingsSameAsGoPinyin holds
// the file to the library.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"

	"github.com/mozillazg/go-pinyin"
)

func main() {
	if err := write("gazetteer/romanize/readings.txt"); err != nil {
		fmt.Fprintln(os.Stderr, "genreadings:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := Encode(w, pinyin.PinyinDict); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Encode writes dict in the format of readings.txt.
func Encode(w *bufio.Writer, dict map[int]string) error {
	keys := make([]int, 0, len(dict))
	for k, v := range dict {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Ints(keys)
	prev := 0
	for _, k := range keys {
		if d := k - prev; d != 1 {
			fmt.Fprintf(w, "%d", d)
		}
		fmt.Fprintf(w, "\t%s\n", dict[k])
		prev = k
	}
	return nil
}
