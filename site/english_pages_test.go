package site

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"wumen/gazetteer"
)

// TestEnglishPagesInEnglish reads the English site as a visitor who reads
// no Chinese: from the English home page it follows every link that stays
// in English (place, walk, list, browse, search and map pages: every page
// of every place) and fails on
// Chinese text that is not marked as Chinese. A name, a quoted original or
// a text kept in Chinese carries lang="zh-…"; every label, heading, date and
// category must be in English. A Chinese prose text (a story, a note, a
// walk's stop) must also say it is "Chinese only". Every place on a
// heritage list or a walk is read, and a few searches.
func TestEnglishPagesInEnglish(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: reads every English page of the heritage places and walks")
	}
	h := newServer(t, nil).Handler()
	st, _ := fixture(t)
	seeds := []string{"/en/", "/en/walks", "/en/map", "/en/about", "/en/browse", "/en/no-such-page", "/en/offline",
		"/en/search?q=tiger+hill", "/en/search?q=" + url.QueryEscape("山塘"), "/en/search?q=qimen+gate",
		"/en/search?q=lingring+garden", "/en/search?q=zzqqxx"}
	walked := map[int64]bool{}
	for _, w := range shippedWalks(t) {
		seeds = append(seeds, "/en/walk/"+url.PathEscape(w.ID))
		for _, s := range w.Stops {
			walked[s.Place] = true
		}
	}
	err := st.Each(t.Context(), gazetteer.Filter{}, func(p *gazetteer.Place) error {
		if len(p.Heritage) > 0 || walked[p.ID] {
			seeds = append(seeds, "/en/place/"+fmt.Sprint(p.ID))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"吴门": true} // the site's own name
	places := 0
	err = st.Each(t.Context(), gazetteer.Filter{}, func(p *gazetteer.Place) error {
		places++
		for _, n := range gazetteer.AllNames(p) {
			names[n.Text] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &enCrawl{t: t, h: h, names: names, seen: map[string]bool{}, problems: map[string][]string{}}
	c.crawl(seeds)
	if c.pages < places {
		t.Errorf("read only %d English pages for %d places: the lists do not reach every place", c.pages, places)
	}
	paths := make([]string, 0, len(c.problems))
	for p := range c.problems {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		t.Errorf("%s: Chinese not marked as Chinese on an English page:\n  %s", p, strings.Join(c.problems[p], "\n  "))
	}
	t.Logf("read %d English pages", c.pages)
}

// shippedWalks are the walks of the seeded store.
func shippedWalks(t *testing.T) []gazetteer.Walk {
	t.Helper()
	st, _ := fixture(t)
	ws, err := st.Walks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// enCrawl follows the links of English pages.
type enCrawl struct {
	t        *testing.T
	h        http.Handler
	names    map[string]bool // every name of the dataset
	seen     map[string]bool
	pages    int
	problems map[string][]string
}

// maxEnglishPages bounds the crawl: the seeds (every heritage and walk
// place, the walks, lists and searches), then what they link to, breadth
// first; the A–Z lists reach every place (2,832 pages for the shipped
// dataset, about six seconds).
const maxEnglishPages = 4000

// crawl reads the seeds, then the English pages they link to, breadth
// first.
func (c *enCrawl) crawl(seeds []string) {
	queue := seeds
	for len(queue) > 0 && c.pages < maxEnglishPages {
		path := queue[0]
		queue = queue[1:]
		if c.seen[path] {
			continue
		}
		c.seen[path] = true
		queue = append(queue, c.read(path)...)
	}
}

// read checks one English page and returns the English pages it links to.
func (c *enCrawl) read(path string) []string {
	r := get(c.t, c.h, path)
	if r.code == http.StatusMovedPermanently || r.code == http.StatusFound {
		if loc := r.h.Get("Location"); strings.HasPrefix(loc, "/en/") {
			return []string{loc}
		}
		return nil
	}
	if !strings.HasPrefix(r.h.Get("Content-Type"), "text/html") {
		return nil
	}
	if r.code != http.StatusOK && !(r.code == http.StatusNotFound && strings.Contains(path, "no-such")) {
		c.t.Errorf("%s: status %d", path, r.code)
		return nil
	}
	c.pages++
	doc, err := html.Parse(strings.NewReader(r.body))
	if err != nil {
		c.t.Errorf("%s: %v", path, err)
		return nil
	}
	var links, next []string
	sc := scanner{names: c.names, report: func(problem string) { c.problems[path] = append(c.problems[path], problem) }, links: &links}
	sc.scan(doc, "")
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/en/") || strings.Contains(u.Path, ".") {
			continue
		}
		p := u.Path
		if u.Path == "/en/search" && u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		next = append(next, p)
	}
	return next
}

// scanner checks the text of one English page.
type scanner struct {
	names  map[string]bool
	report func(string)
	links  *[]string
}

// scan walks an English page. Text must hold no Chinese outside an
// element marked lang="zh…" (zh-Latn is pinyin, not Chinese). Where no
// element can mark it (the page title, a meta description, an attribute
// such as a placeholder, a citation to copy) only names of the dataset may
// stand in Chinese. A Chinese prose text (not a name) must say it is
// "Chinese only", or stand under its English translation.
func (sc scanner) scan(n *html.Node, lang string) {
	if n.Type == html.ElementNode {
		if l := attr(n, "lang"); l != "" {
			lang = l
		}
		switch n.Data {
		case "script", "style", "noscript":
			return
		case "a":
			if href := attr(n, "href"); href != "" {
				*sc.links = append(*sc.links, href)
			}
		case "meta":
			if name := attr(n, "name") + attr(n, "property"); name == "description" || name == "og:title" || name == "og:description" {
				sc.namesOnly(attr(n, "content"), lang, "meta "+name)
			}
		case "cite":
			return // the title of a cited work, in its own language
		case "title", "code":
			sc.namesOnly(nodeText(n), lang, where(n))
			return
		}
		for _, a := range []string{"title", "alt", "aria-label", "placeholder"} {
			sc.namesOnly(attr(n, a), lang, n.Data+" @"+a)
		}
		if t := nodeText(n); chinese(lang) && !chinese(parentLang(n)) && proseLen(t) >= 8 && !sc.allNames(t) && !markedChineseOnly(n) {
			sc.report(fmt.Sprintf("Chinese text without the “Chinese only” mark: %s %q", where(n), short(t)))
		}
	}
	if n.Type == html.TextNode && !chinese(lang) && hasCJK(n.Data) {
		sc.report(fmt.Sprintf("%s: %q", where(n.Parent), short(strings.TrimSpace(n.Data))))
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		sc.scan(ch, lang)
	}
}

// namesOnly reports Chinese in s, outside a Chinese element, that is not a
// name of the dataset.
func (sc scanner) namesOnly(s, lang, at string) {
	if s != "" && !chinese(lang) && !sc.allNames(s) {
		sc.report(fmt.Sprintf("%s: %q", at, short(strings.TrimSpace(s))))
	}
}

// allNames reports whether every run of Han characters in s is a name of
// the dataset.
func (sc scanner) allNames(s string) bool {
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !hasCJK(string(r)) }) {
		if !sc.names[run] && !sc.names[strings.TrimFunc(run, func(r rune) bool { return !unicode.Is(unicode.Han, r) })] {
			for _, w := range strings.FieldsFunc(run, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
				if !sc.names[w] {
					return false
				}
			}
		}
	}
	return true
}

// parentLang is the language n's parent element is in.
func parentLang(n *html.Node) string {
	for p := n.Parent; p != nil; p = p.Parent {
		if l := attr(p, "lang"); p.Type == html.ElementNode && l != "" {
			return l
		}
	}
	return ""
}

// chinese reports whether an HTML language tag is Chinese in characters.
func chinese(lang string) bool {
	return strings.HasPrefix(lang, "zh") && !strings.HasPrefix(lang, "zh-Latn")
}

// hasCJK reports Han characters or CJK punctuation in s (isChinese).
func hasCJK(s string) bool { return strings.ContainsFunc(s, isChinese) }

// proseLen counts the Han characters of s: a name has a few, a story or a
// note a dozen or more.
func proseLen(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// markedChineseOnly reports whether the Chinese text n is marked as such
// for an English reader: by a "Chinese only" mark in its element or the
// enclosing one, or by an English text beside it (the Chinese original of
// an English title, shown under it).
func markedChineseOnly(n *html.Node) bool {
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if t := nodeText(p); strings.Contains(t, "Chinese only") {
			return true
		}
		if p.Data == "p" || p.Data == "li" || p.Data == "section" || p.Data == "header" {
			break
		}
	}
	// an original beside its English translation: <h1>English</h1><p lang="zh-Hans" class="sub">中文</p>
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode && !chinese(attr(s, "lang")) && strings.TrimSpace(nodeText(s)) != "" && !hasCJK(nodeText(s)) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText is the text content of n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// where names an element by its ancestry, with ids and classes.
func where(n *html.Node) string {
	var parts []string
	for ; n != nil && n.Type == html.ElementNode; n = n.Parent {
		s := n.Data
		if id := attr(n, "id"); id != "" {
			s += "#" + id
		} else if c := attr(n, "class"); c != "" {
			s += "." + strings.Fields(c)[0]
		}
		parts = append([]string{s}, parts...)
		if len(parts) == 4 {
			break
		}
	}
	return strings.Join(parts, " > ")
}

func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
