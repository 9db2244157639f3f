package search

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/btree"
)

// The name table answers whole names and every prefix of them: each name's
// normalized text, its pinyin per reading and its initials are keys of an
// ordered in-memory table, so exact matches are a lookup and prefixes
// (苏, 苏州博, sh, shantangj, stj) a range. Indexing every prefix as a term
// made most of bleve's terms and most of the build time; the table costs
// about 32 bytes and the key per key, and a range of the 24,000 names that
// begin with 新 is scanned in well under a millisecond.

// keyKind says what a name table key is.
type keyKind uint8

const (
	keyText     keyKind = iota // the normalized name (characters, or Latin as written)
	keyPinyin                  // toneless pinyin, joined
	keyInitials                // initials of the readings
)

// nameItem is one key of one name of one place.
type nameItem struct {
	key     string
	e       *entry
	k       uint16 // index into e.Names
	kind    keyKind
	variant bool    // from a heteronym's second reading
	tie     float32 // the ranking's tie-breakers for this name (tieScore)
}

func cmpItem(a, b nameItem) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	switch {
	case a.e == b.e:
	case a.e == nil:
		return -1
	case b.e == nil:
		return 1
	case a.e.ID != b.e.ID:
		return cmp.Compare(a.e.ID, b.e.ID)
	}
	if a.k != b.k {
		return cmp.Compare(a.k, b.k)
	}
	if a.kind != b.kind {
		return cmp.Compare(a.kind, b.kind)
	}
	switch {
	case a.variant == b.variant:
		return 0
	case b.variant:
		return -1
	}
	return 1
}

// nameTable is the ordered set of keys. It is not safe for concurrent
// writes; Index's lock guards it.
type nameTable struct {
	t *btree.BTreeG[nameItem]
}

func newNameTable() *nameTable {
	return &nameTable{t: btree.NewBTreeGOptions(func(a, b nameItem) bool { return cmpItem(a, b) < 0 },
		btree.Options{NoLocks: true, Degree: 64})}
}

// nameItems appends the keys of name k of e, whose tokens are nt.
func nameItems(items []nameItem, e *entry, k int, nt nameTokens) []nameItem {
	if nt.norm == "" {
		return items
	}
	start := len(items)
	tie := float32(tieScore(e, e.Names[k]))
	put := func(key string, kind keyKind, variant bool) {
		for _, it := range items[start:] {
			if it.key == key {
				return // a Latin name: its text is its pinyin
			}
		}
		items = append(items, nameItem{key: key, e: e, k: uint16(k), kind: kind, variant: variant, tie: tie})
	}
	put(nt.norm, keyText, false)
	for i, p := range nt.pinyin {
		put(p, keyPinyin, i > 0)
	}
	for i, in := range nt.initials {
		put(in, keyInitials, i > 0)
	}
	return items
}

// load fills an empty table from items sorted by cmpItem.
func (t *nameTable) load(items []nameItem) {
	for _, it := range items {
		t.t.Load(it)
	}
}

func (t *nameTable) add(items []nameItem) {
	for _, it := range items {
		t.t.Set(it)
	}
}

func (t *nameTable) remove(items []nameItem) {
	for _, it := range items {
		t.t.Delete(it)
	}
}

// scan calls f with every item whose key begins with prefix, in key order,
// until f returns false.
func (t *nameTable) scan(prefix string, f func(nameItem) bool) {
	t.t.Ascend(nameItem{key: prefix}, func(it nameItem) bool {
		return strings.HasPrefix(it.key, prefix) && f(it)
	})
}

// sortItems sorts items for load; parts sorted concurrently are merged.
func sortItems(parts [][]nameItem) []nameItem {
	done := make(chan struct{}, len(parts))
	for _, p := range parts {
		go func() {
			slices.SortFunc(p, cmpItem)
			done <- struct{}{}
		}()
	}
	n := 0
	for _, p := range parts {
		<-done
		n += len(p)
	}
	out := make([]nameItem, 0, n)
	for _, p := range parts {
		out = mergeItems(out, p)
	}
	return out
}

// mergeItems merges the sorted b into the sorted a.
func mergeItems(a, b []nameItem) []nameItem {
	if len(a) == 0 {
		return append(a, b...)
	}
	out := make([]nameItem, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if cmpItem(a[i], b[j]) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// namesFile holds the name table of a build, in order, one key per line:
// key, place id, name index, kind and variant flag, tab-separated, so
// opening an index loads it without reading every name again.
const namesFile = "names.tsv"

func saveNames(dir string, items []nameItem) error {
	f, err := os.Create(filepath.Join(dir, namesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	var b []byte
	for _, it := range items {
		b = append(b[:0], it.key...)
		b = append(b, '\t')
		b = strconv.AppendInt(b, it.e.ID, 10)
		b = append(b, '\t')
		b = strconv.AppendUint(b, uint64(it.k), 10)
		b = append(b, '\t', '0'+byte(it.kind), '\t', '0')
		if it.variant {
			b[len(b)-1] = '1'
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// loadNames reads the name table saved by saveNames; keys of places not in
// places (or of names they no longer have) are skipped.
func loadNames(dir string, places map[int64]*entry) (*nameTable, error) {
	f, err := os.Open(filepath.Join(dir, namesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := newNameTable()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 5 {
			return nil, fmt.Errorf("search: %s:%d: want 5 fields, have %d", namesFile, line, len(fs))
		}
		id, err1 := strconv.ParseInt(fs[1], 10, 64)
		k, err2 := strconv.ParseUint(fs[2], 10, 16)
		kind, err3 := strconv.ParseUint(fs[3], 10, 8)
		if err1 != nil || err2 != nil || err3 != nil || kind > uint64(keyInitials) {
			return nil, fmt.Errorf("search: %s:%d: bad line", namesFile, line)
		}
		e := places[id]
		if e == nil || int(k) >= len(e.Names) {
			continue
		}
		t.t.Load(nameItem{key: fs[0], e: e, k: uint16(k), kind: keyKind(kind), variant: fs[4] == "1",
			tie: float32(tieScore(e, e.Names[k]))})
	}
	return t, sc.Err()
}
