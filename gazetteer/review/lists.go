package review

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"wumen/gazetteer"
)

//go:embed data/*.txt data/*.tsv
var dataFS embed.FS

// Word list names in data/words.tsv.
const (
	ListInflated = "inflated" // 大
	ListForeign  = "foreign"  // 洋
	ListLeader   = "leader"   // state leaders
	ListPerson   = "person"   // famous people, aliases, fictional characters
	ListBrand    = "brand"    // enterprises and brands
	ListVulgar   = "vulgar"   // 怪: vulgar words
)

// Word is one entry of a word list with its note.
type Word struct {
	List, Word, Note string
}

type lists struct {
	words    map[string][]Word   // list → words, longest first
	level    map[rune]int        // 通用规范汉字表 level 1..3
	generics map[string][]string // 子类/大类 → allowed 通名
	articles map[string]string   // article as cited → its gist
}

var (
	listsOnce sync.Once
	loaded    *lists
)

// data loads the embedded lists once. The files are part of the binary, so a
// malformed line is a programming error and panics (a test reads every file).
func data() *lists {
	listsOnce.Do(func() {
		l, err := parseLists()
		if err != nil {
			panic("review: " + err.Error())
		}
		loaded = l
	})
	return loaded
}

func parseLists() (*lists, error) {
	l := &lists{words: map[string][]Word{}, level: map[rune]int{}, generics: map[string][]string{}, articles: map[string]string{}}
	b, err := dataFS.ReadFile("data/hanzi8105.txt")
	if err != nil {
		return nil, err
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		r := []rune(line)
		if len(r) != 1 {
			return nil, fmt.Errorf("hanzi8105.txt: line %q is not one character", line)
		}
		n++
		switch {
		case n <= 3500:
			l.level[r[0]] = 1
		case n <= 6500:
			l.level[r[0]] = 2
		default:
			l.level[r[0]] = 3
		}
	}
	if n != 8105 {
		return nil, fmt.Errorf("hanzi8105.txt: %d characters, want 8105", n)
	}
	err = eachTSV("data/words.tsv", 2, func(f []string) error {
		w := Word{List: f[0], Word: f[1]}
		if len(f) > 2 {
			w.Note = f[2]
		}
		switch w.List {
		case ListInflated, ListForeign, ListLeader, ListPerson, ListBrand, ListVulgar:
		default:
			return fmt.Errorf("unknown list %q", w.List)
		}
		l.words[w.List] = append(l.words[w.List], w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachTSV("data/generics.tsv", 2, func(f []string) error {
		l.generics[f[0]] = strings.Fields(f[1])
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachTSV("data/articles.tsv", 2, func(f []string) error {
		l.articles[f[0]] = f[1]
		return nil
	})
	return l, err
}

func eachTSV(name string, min int, fn func([]string) error) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for i := 1; sc.Scan(); i++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < min {
			return fmt.Errorf("%s:%d: want at least %d tab-separated columns", name, i, min)
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("%s:%d: %w", name, i, err)
		}
	}
	return sc.Err()
}

// Words returns the entries of one word list.
func Words(list string) []Word { return data().words[list] }

// CharLevel returns the level (1, 2 or 3) of r in 《通用规范汉字表》, or 0 when
// r is not among its 8,105 characters.
func CharLevel(r rune) int { return data().level[r] }

// Generics returns the 通名 that fit a category (子类 first, then 大类), and
// whether the table has an entry for it.
func Generics(c gazetteer.Category) ([]string, bool) {
	if g, ok := data().generics[c.Subclass]; ok && c.Subclass != "" {
		return g, true
	}
	g, ok := data().generics[c.Class]
	return g, ok
}

// ArticleText returns the gist, in plain Chinese, of what the article(s) a
// finding cites ask (data/articles.tsv); articles joined with "；" give their
// gists one after another.
func ArticleText(article string) string {
	type hit struct {
		at   int
		text string
	}
	var hits []hit
	for k, t := range data().articles {
		if i := strings.Index(article, k); i >= 0 {
			hits = append(hits, hit{i, t})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	for _, h := range hits {
		out = append(out, h.text)
	}
	return strings.Join(out, "\n")
}
