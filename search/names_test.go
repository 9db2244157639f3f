package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNameTableOverlay: after items are added to and removed from a loaded
// table (some of the array's, some added since), every scan from every key
// meets what a sorted list of the same items holds, in order.
func TestNameTableOverlay(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ents := make([]*entry, 50)
	for i := range ents {
		ents[i] = &entry{ID: int64(i + 1), Names: make([]nameRec, 3)}
	}
	item := func() nameItem {
		key := fmt.Sprintf("%s%d", []string{"shan", "shantang", "s", "tangjiaxiang", "苏州"}[rng.IntN(5)], rng.IntN(3))
		return nameItem{pre: keyPrefix(key), key: key, e: ents[rng.IntN(len(ents))], k: uint16(rng.IntN(3)), kind: keyKind(rng.IntN(3)), tie: rng.Float32()}
	}
	var want []nameItem
	has := func(it nameItem) bool {
		_, ok := slices.BinarySearchFunc(want, it, cmpItem)
		return ok
	}
	for range 400 {
		if it := item(); !has(it) {
			i, _ := slices.BinarySearchFunc(want, it, cmpItem)
			want = slices.Insert(want, i, it)
		}
	}
	tb := newNameTable()
	tb.load([][]nameItem{slices.Clone(want)})
	for range 300 {
		it := item()
		i, ok := slices.BinarySearchFunc(want, it, cmpItem)
		switch {
		case rng.IntN(2) == 0 && len(want) > 0: // remove one that is there
			it = want[rng.IntN(len(want))]
			i, _ = slices.BinarySearchFunc(want, it, cmpItem)
			tb.remove([]nameItem{it})
			want = slices.Delete(want, i, i+1)
		case ok: // replace
			tb.add([]nameItem{it})
			want[i] = it
		default:
			tb.add([]nameItem{it})
			want = slices.Insert(want, i, it)
		}
	}
	for _, from := range append(slices.Clone(want), pivot(""), pivot("s"), pivot("shantang1"), pivot("苏")) {
		i, _ := slices.BinarySearchFunc(want, from, cmpItem)
		var got []nameItem
		tb.ascend(from, func(it nameItem) bool { got = append(got, it); return true })
		if !slices.Equal(got, want[i:]) {
			t.Fatalf("from %q: %d items, want %d", from.key, len(got), len(want)-i)
		}
	}
}
