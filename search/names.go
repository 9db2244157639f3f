package search

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

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
	pre     uint64 // the first 8 bytes of key, big-endian: most comparisons stop here
	key     string
	e       *entry
	k       uint16 // index into e.Names
	kind    keyKind
	variant bool    // from a heteronym's second reading
	tie     float32 // the ranking's tie-breakers for this name (tieScore)
}

// keyPrefix packs the first 8 bytes of key, zero-padded (keys hold no NUL).
func keyPrefix(key string) uint64 {
	var p uint64
	for i := 0; i < 8; i++ {
		p <<= 8
		if i < len(key) {
			p |= uint64(key[i])
		}
	}
	return p
}

// pivot is the first item a scan of key (or of keys beginning with it) meets.
func pivot(key string) nameItem { return nameItem{pre: keyPrefix(key), key: key} }

func cmpItem(a, b nameItem) int {
	if c := cmpKey(a, b); c != 0 {
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

// cmpKey orders items by key alone.
func cmpKey(a, b nameItem) int {
	if a.pre != b.pre {
		return cmp.Compare(a.pre, b.pre)
	}
	if len(a.key) > 8 || len(b.key) > 8 {
		return strings.Compare(a.key, b.key)
	}
	return cmp.Compare(len(a.key), len(b.key))
}

// nameTable is the ordered set of keys: the items of the build (or of the
// open) in one sorted array, read as it is, and a btree of the items added
// since (Upsert, the journal); an item of the array removed since is marked
// in dead. It is not safe for concurrent writes; Index's lock guards it.
type nameTable struct {
	sorted []nameItem
	dead   []uint64 // bit i: sorted[i] was removed; nil until one is
	t      *btree.BTreeG[nameItem]
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
		items = append(items, nameItem{pre: keyPrefix(key), key: key, e: e, k: uint16(k), kind: kind, variant: variant, tie: tie})
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

// itemList collects name-table items while an index is built, without
// pointers: keys in byte arenas, places as indexes into ents. The garbage
// collector then has nothing to scan in the millions of them (it scanned
// 160 MB of items at every cycle of a 1M build); items converts them at the
// end. Items and keys are kept in blocks of fixed size, not in slices grown
// by doubling: those held up to twice what they used, and three times while
// one was copied, the largest part of a build's peak heap at 1M names.
type itemList struct {
	blocks  [][]rawItem // full but the last; each of capacity itemBlock
	arenas  [][]byte    // the keys; each of capacity arenaBlock
	n       int
	ents    []*entry
	scratch []nameItem
}

const (
	itemBlock  = 1 << 14 // items per block (512 KB)
	arenaBlock = 1 << 20 // bytes per arena (a key is at most 65,535 bytes: rawItem.n)
)

type rawItem struct {
	pre     uint64
	off     uint32 // the key is arenas[off/arenaBlock][off%arenaBlock:][:n]
	n       uint16
	k       uint16
	ent     int32 // index into ents
	kind    keyKind
	variant bool
	tie     float32
}

// add adds the keys of name k of e, whose tokens are nt.
func (l *itemList) add(e *entry, k int, nt nameTokens) {
	if len(l.ents) == 0 || l.ents[len(l.ents)-1] != e {
		l.ents = append(l.ents, e)
	}
	l.scratch = nameItems(l.scratch[:0], e, k, nt)
	for _, it := range l.scratch {
		key := it.key[:min(len(it.key), math.MaxUint16)]
		if len(l.blocks) == 0 || len(l.blocks[len(l.blocks)-1]) == itemBlock {
			l.blocks = append(l.blocks, make([]rawItem, 0, itemBlock))
		}
		if len(l.arenas) == 0 || len(l.arenas[len(l.arenas)-1])+len(key) > arenaBlock {
			l.arenas = append(l.arenas, make([]byte, 0, arenaBlock))
		}
		a := len(l.arenas) - 1
		bl := &l.blocks[len(l.blocks)-1]
		*bl = append(*bl, rawItem{pre: it.pre, off: uint32(a*arenaBlock + len(l.arenas[a])), n: uint16(len(key)), k: it.k,
			ent: int32(len(l.ents) - 1), kind: it.kind, variant: it.variant, tie: it.tie})
		l.arenas[a] = append(l.arenas[a], key...)
		l.n++
	}
	clear(l.scratch)
}

// items returns the collected items, sorted by cmpItem, and empties l. Every
// key is a substring of one string per arena; each block of items is
// dropped once converted.
func (l *itemList) items() []nameItem {
	keys := make([]string, len(l.arenas))
	for i, a := range l.arenas {
		keys[i], l.arenas[i] = string(a), nil
	}
	out := make([]nameItem, 0, l.n)
	for i, bl := range l.blocks {
		for _, r := range bl {
			ks := keys[r.off/arenaBlock]
			at := r.off % arenaBlock
			out = append(out, nameItem{pre: r.pre, key: ks[at : at+uint32(r.n)], e: l.ents[r.ent], k: r.k,
				kind: r.kind, variant: r.variant, tie: r.tie})
		}
		l.blocks[i] = nil
	}
	*l = itemList{}
	slices.SortFunc(out, cmpItem)
	return out
}

// load fills an empty table from sorted parts (see eachMerged).
func (t *nameTable) load(parts [][]nameItem) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	t.sorted = make([]nameItem, 0, n)
	eachMerged(parts, func(it nameItem) { t.sorted = append(t.sorted, it) })
}

// find returns the index of it in the array, if it is there and not removed.
func (t *nameTable) find(it nameItem) (int, bool) {
	i, ok := slices.BinarySearchFunc(t.sorted, it, cmpItem)
	return i, ok && !t.removed(i)
}

func (t *nameTable) removed(i int) bool { return t.dead != nil && t.dead[i/64]&(1<<(i%64)) != 0 }

func (t *nameTable) kill(i int) {
	if t.dead == nil {
		t.dead = make([]uint64, (len(t.sorted)+63)/64)
	}
	t.dead[i/64] |= 1 << (i % 64)
}

// add adds items, replacing equal ones.
func (t *nameTable) add(items []nameItem) {
	for _, it := range items {
		if i, ok := t.find(it); ok {
			t.kill(i)
		}
		t.t.Set(it)
	}
}

func (t *nameTable) remove(items []nameItem) {
	for _, it := range items {
		if i, ok := t.find(it); ok {
			t.kill(i)
		}
		t.t.Delete(it)
	}
}

// ascend calls f with every item not before from, in order, until f
// returns false: the array's and the btree's merged.
func (t *nameTable) ascend(from nameItem, f func(nameItem) bool) {
	i, _ := slices.BinarySearchFunc(t.sorted, from, cmpItem)
	if t.t.Len() == 0 {
		for ; i < len(t.sorted); i++ {
			if !t.removed(i) && !f(t.sorted[i]) {
				return
			}
		}
		return
	}
	iter := t.t.Iter()
	defer iter.Release()
	more := iter.Seek(from)
	for {
		for i < len(t.sorted) && t.removed(i) {
			i++
		}
		switch {
		case i < len(t.sorted) && (!more || cmpItem(t.sorted[i], iter.Item()) < 0):
			if !f(t.sorted[i]) {
				return
			}
			i++
		case more:
			if !f(iter.Item()) {
				return
			}
			more = iter.Next()
		default:
			return
		}
	}
}

// scan calls f with every item whose key begins with prefix, in key order,
// until f returns false; exact says the key is prefix itself. Up to 8 bytes
// the test reads only the items (not the key strings they point to).
func (t *nameTable) scan(prefix string, f func(it nameItem, exact bool) bool) {
	p := pivot(prefix)
	if n := len(prefix); n <= 8 {
		shift := uint(64 - 8*n)
		t.ascend(p, func(it nameItem) bool {
			if n > 0 && it.pre>>shift != p.pre>>shift {
				return false
			}
			return f(it, len(it.key) == n)
		})
		return
	}
	t.ascend(p, func(it nameItem) bool {
		return strings.HasPrefix(it.key, prefix) && f(it, len(it.key) == len(prefix))
	})
}

// eachMerged calls f with the items of parts, each sorted by cmpItem, in
// merged order.
func eachMerged(parts [][]nameItem, f func(nameItem)) {
	at := make([]int, len(parts))
	for {
		best := -1
		for i, p := range parts {
			if at[i] < len(p) && (best < 0 || cmpItem(p[at[i]], parts[best][at[best]]) < 0) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		f(parts[best][at[best]])
		at[best]++
	}
}

// namesFile holds the name table of a build, in order, so opening an index
// bulk-loads it without reading every name again: namesMagic (whose last
// byte is the version), the number of items as a uvarint, then per item
// the key (a uvarint length and the bytes), the place's position in the
// snapshot (a uvarint: the record's number, so loading reaches the place
// without looking its id up), the name index (a uvarint), a byte of kind
// with the variant flag as its top bit, and the tie-breaker score as 4
// IEEE-754 bytes, little-endian.
const namesFile = "names.bin"

const namesMagic = "wumen-names\x02"

const variantBit = 0x80

// minNameRecord is the size of the smallest item of namesFile: an empty
// key, one-byte position and name index, the kind and the tie.
const minNameRecord = 1 + 1 + 1 + 1 + 4

// saveNames writes the merged parts; pos is each place's position in the
// snapshot.
func saveNames(dir string, parts [][]nameItem, pos map[*entry]int) error {
	f, err := os.Create(filepath.Join(dir, namesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b := binary.AppendUvarint([]byte(namesMagic), uint64(n))
	var werr error
	eachMerged(parts, func(it nameItem) {
		if werr != nil {
			return
		}
		b = appendStr(b, it.key)
		b = binary.AppendUvarint(b, uint64(pos[it.e]))
		b = binary.AppendUvarint(b, uint64(it.k))
		kind := byte(it.kind)
		if it.variant {
			kind |= variantBit
		}
		b = binary.LittleEndian.AppendUint32(append(b, kind), math.Float32bits(it.tie))
		if len(b) >= 1<<16 {
			_, werr = w.Write(b)
			b = b[:0]
		}
	})
	if werr != nil {
		return werr
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// loadNames reads the name table saved by saveNames; ents are the places
// of the snapshot in its order and nnames how many names each has. The
// file is mapped (m) and every key is a substring of it: no allocation. The items are decoded first and pointed at their places
// after (linkNames): the places are reached in no order, a cache miss each,
// and a loop doing only that overlaps them.
func loadNames(dir string, ents []*entry, nnames []uint16, m *mappings) (*nameTable, error) {
	data, err := m.read(filepath.Join(dir, namesFile))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(data, namesMagic) {
		return nil, fmt.Errorf("search: %s: not a name table of this version (want %q at the start)", namesFile, namesMagic)
	}
	r := snapReader{s: data, at: len(namesMagic)}
	n := r.uvarint("count")
	if n > uint64(len(data)/minNameRecord) {
		return nil, fmt.Errorf("search: %s: %d items cannot fit in %d bytes (the file is damaged: rebuild the index)", namesFile, n, len(data))
	}
	t := newNameTable()
	t.sorted = make([]nameItem, n)
	at := make([]uint32, n) // each item's place, by position
	for i := range t.sorted {
		start := r.at
		key := r.str("key")
		pos := r.uvarint("place position")
		k := r.uvarint("name index")
		if r.err == nil && len(r.s)-r.at < 5 {
			r.fail("kind and tie", errShort)
		}
		if r.err != nil {
			return nil, fmt.Errorf("search: %s: item %d at byte %d: %s: %w (the file is damaged: rebuild the index)", namesFile, i, start, r.field, r.err)
		}
		kind := r.s[r.at]
		tie := math.Float32frombits(binary.LittleEndian.Uint32([]byte(r.s[r.at+1 : r.at+5])))
		r.at += 5
		if kind&^variantBit > byte(keyInitials) || pos >= uint64(len(ents)) || k > math.MaxUint16 {
			return nil, fmt.Errorf("search: %s: item %d at byte %d: kind %d, name %d of place %d of %d (the file is damaged: rebuild the index)", namesFile, i, start, kind, k, pos, len(ents))
		}
		it := nameItem{pre: keyPrefix(key), key: key, k: uint16(k), kind: keyKind(kind &^ variantBit), variant: kind&variantBit != 0, tie: tie}
		if i > 0 && cmpKey(t.sorted[i-1], it) > 0 {
			// (the order of a key's items is not checked: it would read
			// every place)
			return nil, fmt.Errorf("search: %s: item %d at byte %d: key %q out of order (the file is damaged: rebuild the index)", namesFile, i, start, key)
		}
		t.sorted[i], at[i] = it, uint32(pos)
	}
	if r.at != len(data) {
		return nil, fmt.Errorf("search: %s: %d bytes after the last of %d items (the file is damaged: rebuild the index)", namesFile, len(data)-r.at, n)
	}
	return t, linkNames(t.sorted, at, ents, nnames)
}

// linkNames points each item at its place, ents[at[i]], on every core.
func linkNames(items []nameItem, at []uint32, ents []*entry, nnames []uint16) error {
	workers := runtime.GOMAXPROCS(0)
	per := (len(items) + workers - 1) / max(1, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(len(items), w*per), min(len(items), (w+1)*per)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				p := at[i]
				if items[i].k >= nnames[p] {
					errs[w] = fmt.Errorf("search: %s: item %d: name %d of place %d, which has %d (the file is damaged: rebuild the index)", namesFile, i, items[i].k, p, nnames[p])
					return
				}
				items[i].e = ents[p]
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
