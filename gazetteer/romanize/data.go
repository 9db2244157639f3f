package romanize

import (
	"bufio"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed overrides.tsv
var overridesTSV string

//go:embed generics.tsv
var genericsTSV string

//go:embed modifiers.txt
var modifiersTXT string

//go:embed words.tsv
var wordsTSV string

//go:embed names.tsv
var namesTSV string

// override is one row of overrides.tsv: inside Context, the rune at Offset
// (a rune index) reads Reading.
type override struct {
	Context []rune
	Char    rune
	Offset  int
	Reading string // toned
	Source  string
}

// generic is one row of generics.tsv.
type generic struct {
	Name   string
	Kind   string
	Source string
}

// tables holds the parsed embedded data.
type tables struct {
	overrides []override     // sorted by context length, shortest first
	byFirst   map[rune][]int // indexes into overrides by the context's first rune
	generics  []generic      // sorted by length in runes, longest first
	byGeneric map[string]generic
	modifiers map[rune]bool
	dict      map[string]entry // words, multi-character generics and person names, by text
	maxEntry  int              // the longest dict key, in runes
}

// data parses the embedded files once, on first use, so importing the
// package costs nothing.
var data = sync.OnceValue(func() *tables {
	t, err := parseTables(overridesTSV, genericsTSV, modifiersTXT, wordsTSV, namesTSV)
	if err != nil {
		// The files are embedded and checked by the tests; a parse error is
		// a build defect, not a run-time condition.
		panic("romanize: " + err.Error())
	}
	return t
})

// rows returns the non-comment, non-blank lines of a data file split on tabs.
func rows(text string) [][]string {
	var out [][]string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	return out
}

func parseTables(overridesText, genericsText, modifiersText, wordsText, namesText string) (*tables, error) {
	t := &tables{byGeneric: map[string]generic{}, modifiers: map[rune]bool{}, dict: map[string]entry{}}
	for i, f := range rows(overridesText) {
		if len(f) != 4 {
			return nil, fmt.Errorf("overrides.tsv row %d: want 4 columns, got %d", i+1, len(f))
		}
		ctx, ch := []rune(f[0]), []rune(f[1])
		if len(ch) != 1 {
			return nil, fmt.Errorf("overrides.tsv row %d: character %q is not one rune", i+1, f[1])
		}
		off := -1
		for j, r := range ctx {
			if r == ch[0] {
				off = j
				break
			}
		}
		if off < 0 {
			return nil, fmt.Errorf("overrides.tsv row %d: %q not in context %q", i+1, f[1], f[0])
		}
		if f[2] == "" || f[3] == "" {
			return nil, fmt.Errorf("overrides.tsv row %d: reading and source are required", i+1)
		}
		t.overrides = append(t.overrides, override{Context: ctx, Char: ch[0], Offset: off, Reading: f[2], Source: f[3]})
	}
	sort.SliceStable(t.overrides, func(i, j int) bool {
		return len(t.overrides[i].Context) < len(t.overrides[j].Context)
	})
	t.byFirst = map[rune][]int{}
	for i, o := range t.overrides {
		t.byFirst[o.Context[0]] = append(t.byFirst[o.Context[0]], i)
	}
	for i, f := range rows(genericsText) {
		if len(f) != 3 || f[0] == "" {
			return nil, fmt.Errorf("generics.tsv row %d: want generic, kind, source", i+1)
		}
		if _, dup := t.byGeneric[f[0]]; dup {
			return nil, fmt.Errorf("generics.tsv row %d: duplicate %q", i+1, f[0])
		}
		g := generic{Name: f[0], Kind: f[1], Source: f[2]}
		t.generics = append(t.generics, g)
		t.byGeneric[g.Name] = g
	}
	sort.SliceStable(t.generics, func(i, j int) bool {
		return len([]rune(t.generics[i].Name)) > len([]rune(t.generics[j].Name))
	})
	for i, f := range rows(modifiersText) {
		r := []rune(strings.TrimSpace(f[0]))
		if len(r) != 1 {
			return nil, fmt.Errorf("modifiers.txt row %d: %q is not one character", i+1, f[0])
		}
		t.modifiers[r[0]] = true
	}
	return t, t.parseDict(wordsText, namesText)
}
