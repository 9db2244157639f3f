package gazetteer

import (
	"bufio"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"

	"wumen/gazetteer/script"
)

// The one place where a category written by a person or a file is turned into
// the census classification (docs/domain.md §2): naming review, the census and GIS
// importers all resolve through Categories.Resolve, Lookup and FromName. The
// written forms (aliases, 通名, English, GB/T 18521 codes) are data, in
// category_forms.tsv.

//go:embed category_forms.tsv
var categoryFormsTSV string

// How a written category was understood (CategoryMatch.By).
const (
	CategoryByPath     = "path"     // 大类/子类 as in the table: 交通运输设施/道路街巷
	CategoryByClass    = "class"    // a 大类 alone: 陆地水系
	CategoryBySubclass = "subclass" // a 子类 alone: 桥梁, 湖泊
	CategoryByAlias    = "alias"    // another Chinese name: 街巷
	CategoryByGeneric  = "generic"  // a 通名: 街, 桥 (or the 通名 of a name: 宝带桥)
	CategoryByEnglish  = "en"       // English: street, bridge, lake
	CategoryByCode     = "code"     // a GB/T 18521 code: 2624
)

// String writes a category as its path, 大类/子类 (or the 大类 alone).
func (c Category) String() string {
	if c.Subclass == "" {
		return c.Class
	}
	return c.Class + "/" + c.Subclass
}

// CategoryMatch is one reading of a written category.
type CategoryMatch struct {
	Category Category `json:"category"`
	// By says how it was read (CategoryByPath …).
	By string `json:"by"`
	// Form is the form that matched: the alias, 通名, English word or code
	// (empty for a path, class or subclass written as in the table).
	Form string `json:"form,omitempty"`
}

// Explain says in Chinese how the category was read, e.g. "“街巷”即
// 交通运输设施/道路街巷（别称）".
func (m CategoryMatch) Explain() string {
	how := map[string]string{CategoryByAlias: "别称", CategoryByGeneric: "通名", CategoryByEnglish: "英文",
		CategoryByCode: "类别代码", CategoryBySubclass: "子类", CategoryByClass: "大类"}[m.By]
	if m.Form == "" || how == "" {
		return m.Category.String()
	}
	return fmt.Sprintf("“%s”即%s（%s）", m.Form, m.Category, how)
}

// categoryForm is one row of category_forms.tsv.
type categoryForm struct {
	form, kind, note string
	cat              Category
}

var (
	formsOnce sync.Once
	forms     []categoryForm
)

// categoryForms parses the embedded table once. It is part of the binary, so
// a malformed row is a programming error and panics (a test reads it).
func categoryForms() []categoryForm {
	formsOnce.Do(func() {
		fs, err := parseCategoryForms(categoryFormsTSV)
		if err != nil {
			panic("gazetteer: " + err.Error())
		}
		forms = fs
	})
	return forms
}

func parseCategoryForms(text string) ([]categoryForm, error) {
	var out []categoryForm
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("category_forms.tsv:%d: want form, category, kind", line)
		}
		class, sub, _ := strings.Cut(f[1], "/")
		r := categoryForm{form: normCategory(f[0]), kind: f[2], cat: Category{Class: class, Subclass: sub}}
		if len(f) > 3 {
			r.note = f[3]
		}
		switch r.kind {
		case CategoryByAlias, CategoryByGeneric, CategoryByEnglish, CategoryByCode:
		default:
			return nil, fmt.Errorf("category_forms.tsv:%d: unknown kind %q", line, r.kind)
		}
		known := false
		for _, k := range CensusClasses {
			known = known || k == class
		}
		if !known {
			return nil, fmt.Errorf("category_forms.tsv:%d: %q is not a census 大类", line, class)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// normCategory folds what people vary without meaning to: surrounding space,
// full-width letters and digits, letter case, runs of spaces.
func normCategory(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			return unicode.ToLower(r - 0xFEE0)
		case r == 0x3000:
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Lookup reads a written category. When found, matches are its readings: one
// for an unambiguous form, several for an ambiguous one (村: a village
// committee or a natural village). When not found, matches are the nearest
// categories, closest first, to suggest.
//
// Accepted: the path 大类/子类 (any of / ／ - > · or a space between), a
// 大类 or 子类 alone, an alias (街巷), a 通名 (街, 桥), English (street,
// bridges), a GB/T 18521 code (2624), and traditional characters for any
// of these.
func (c *Categories) Lookup(written string) (matches []CategoryMatch, found bool) {
	if v, ok := c.lookups.Load(written); ok {
		r := v.(lookupResult)
		return slices.Clone(r.matches), r.found
	}
	matches, found = c.lookup(written)
	if c.nLookups.Add(1) <= maxCachedLookups {
		c.lookups.Store(written, lookupResult{slices.Clone(matches), found})
	}
	return matches, found
}

// maxCachedLookups bounds the forms Lookup keeps (a server reads forms that
// users type).
const maxCachedLookups = 4096

type lookupResult struct {
	matches []CategoryMatch
	found   bool
}

func (c *Categories) lookup(written string) (matches []CategoryMatch, found bool) {
	n := normCategory(written)
	if n == "" {
		return nil, false
	}
	if ms := c.readings(n); len(ms) > 0 {
		return ms, true
	}
	if s := script.ToSimplified(n); s != n {
		if ms := c.readings(s); len(ms) > 0 {
			return ms, true
		}
	}
	return c.nearest(n, 3), false
}

// Resolve reads a written category that must mean exactly one category. The
// error (EInvalid, in Chinese and English, Where "category") lists the
// readings of an ambiguous form or the nearest categories of an unknown one.
func (c *Categories) Resolve(written string) (CategoryMatch, error) {
	ms, found := c.Lookup(written)
	switch {
	case found && len(ms) == 1:
		return ms[0], nil
	case found:
		return CategoryMatch{}, &Error{Code: EInvalid, Where: "category", Message: fmt.Sprintf(
			"类别“%s”有多种可能：%s；请写明其一 (category %q is ambiguous: %s; write the one meant)",
			written, listMatches(ms, "、"), written, listMatches(ms, ", "))}
	case strings.TrimSpace(written) == "":
		return CategoryMatch{}, &Error{Code: EInvalid, Where: "category", Message: "类别为空 (the category is empty)"}
	}
	return CategoryMatch{}, &Error{Code: EInvalid, Where: "category", Message: fmt.Sprintf(
		"未知类别“%s”；最接近的是：%s (unknown category %q; nearest: %s)",
		written, listMatches(ms, "、"), written, listMatches(ms, ", "))}
}

func listMatches(ms []CategoryMatch, sep string) string {
	var s []string
	for _, m := range ms {
		t := m.Category.String()
		if m.Form != "" {
			t += "（" + m.Form + "）"
		}
		s = append(s, t)
	}
	return strings.Join(s, sep)
}

// Forms lists the ways cat may be written that read as cat alone: its 子类,
// then its aliases, 通名, English words and codes in the order of
// category_forms.tsv. A form that is ambiguous (村) or reads as another
// category is left out. The officer check page offers them as the forms an
// officer may type.
func (c *Categories) Forms(cat Category) []CategoryMatch {
	var out []CategoryMatch
	seen := map[string]bool{}
	try := func(form string) {
		if seen[form] {
			return
		}
		seen[form] = true
		if ms, found := c.Lookup(form); found && len(ms) == 1 && ms[0].Category == cat {
			m := ms[0]
			m.Form = form
			out = append(out, m)
		}
	}
	if cat.Subclass != "" {
		try(cat.Subclass)
	}
	for _, f := range categoryForms() {
		if f.cat == cat {
			try(f.form)
		}
	}
	return out
}

// FromName infers the category of a name from its 通名 (宝带桥 → 桥梁, 山塘街 →
// 道路街巷), the longest generic of category_forms.tsv the name ends in. The
// first row of that generic is taken; alternatives are the other categories
// it may mean. ok is false when the name ends in no listed generic.
func (c *Categories) FromName(name string) (m CategoryMatch, alternatives []Category, ok bool) {
	name = strings.TrimSpace(name)
	if m, alt, ok := c.fromName(name); ok {
		return m, alt, ok
	}
	return c.fromName(script.ToSimplified(name)) // 寶帶橋 ends in 橋, read as 桥
}

func (c *Categories) fromName(name string) (m CategoryMatch, alternatives []Category, ok bool) {
	best := ""
	for _, f := range categoryForms() {
		if f.kind == CategoryByGeneric && len(f.form) > len(best) && len(f.form) < len(name) &&
			strings.HasSuffix(name, f.form) && c.Known(f.cat.Class, f.cat.Subclass) {
			best = f.form
		}
	}
	if best == "" {
		return CategoryMatch{}, nil, false
	}
	for _, f := range categoryForms() {
		if f.kind != CategoryByGeneric || f.form != best || !c.Known(f.cat.Class, f.cat.Subclass) {
			continue
		}
		if !ok {
			m, ok = CategoryMatch{Category: f.cat, By: CategoryByGeneric, Form: best}, true
		} else if f.cat != m.Category {
			alternatives = append(alternatives, f.cat)
		}
	}
	return m, alternatives, ok
}

// readings returns every category n means, at the most exact level that has
// any: path, then 大类, then 子类, then the forms of the table.
func (c *Categories) readings(n string) []CategoryMatch {
	if ms := c.single(n); len(ms) > 0 {
		return ms
	}
	// 大类 then 子类 (or an alias of one) after a separator.
	i := strings.IndexFunc(n, func(r rune) bool { return strings.ContainsRune("/／\\|>＞-—·:：、,， ", r) })
	if i <= 0 {
		return nil
	}
	_, w := utf8.DecodeRuneInString(n[i:])
	head, tail := strings.TrimSpace(n[:i]), strings.Trim(n[i+w:], "/／\\|>＞-—·:：、,， ")
	var classes []string
	for _, m := range c.single(head) {
		if m.Category.Subclass == "" {
			classes = append(classes, m.Category.Class)
		}
	}
	var out []CategoryMatch
	for _, class := range classes {
		if tail == "" {
			out = append(out, CategoryMatch{Category: Category{Class: class}, By: CategoryByClass})
			continue
		}
		if c.Known(class, tail) && c.hasSubclass(class, tail) {
			out = append(out, CategoryMatch{Category: Category{Class: class, Subclass: tail}, By: CategoryByPath})
			continue
		}
		for _, m := range c.single(tail) {
			if m.Category.Class == class && m.Category.Subclass != "" {
				out = append(out, m)
			}
		}
	}
	return dedupe(out)
}

// single reads one form with no separator in it.
func (c *Categories) single(n string) []CategoryMatch {
	var out []CategoryMatch
	for _, k := range c.Classes {
		if k.Class == n {
			return []CategoryMatch{{Category: Category{Class: k.Class}, By: CategoryByClass}}
		}
	}
	for _, cat := range c.subclasses() {
		if cat.Subclass == n {
			out = append(out, CategoryMatch{Category: cat, By: CategoryBySubclass})
		}
	}
	if len(out) > 0 {
		return dedupe(out)
	}
	en := strings.TrimSuffix(n, "s")
	code := ""
	if isDigits(n) {
		code = n
	}
	longest := 0
	for _, f := range categoryForms() {
		if !c.Known(f.cat.Class, f.cat.Subclass) {
			continue
		}
		switch {
		case f.kind == CategoryByCode && code != "" && strings.HasPrefix(code, f.form):
			if len(f.form) > longest {
				out, longest = out[:0], len(f.form)
			}
			if len(f.form) == longest {
				cat := f.cat
				cat.Code = code
				out = append(out, CategoryMatch{Category: cat, By: CategoryByCode, Form: code})
			}
		case f.kind == CategoryByCode:
		case f.form == n, f.kind == CategoryByEnglish && (f.form == en || f.form+"e" == en):
			if code == "" {
				out = append(out, CategoryMatch{Category: f.cat, By: f.kind, Form: f.form})
			}
		}
	}
	return dedupe(out)
}

// hasSubclass reports whether subclass is a 子类 of class in the table or in
// the forms (a table without subclass lists allows any, but only listed ones
// count as written "as in the table").
func (c *Categories) hasSubclass(class, subclass string) bool {
	for _, cat := range c.subclasses() {
		if cat.Class == class && cat.Subclass == subclass {
			return true
		}
	}
	return false
}

// subclasses lists every 大类/子类 known: the table's, then those the forms
// point at.
func (c *Categories) subclasses() []Category { return c.subs }

func (c *Categories) listSubclasses() []Category {
	var out []Category
	seen := map[Category]bool{}
	add := func(cat Category) {
		if cat.Subclass != "" && !seen[cat] && c.Known(cat.Class, cat.Subclass) {
			seen[cat] = true
			out = append(out, cat)
		}
	}
	for _, k := range c.Classes {
		for _, s := range k.Subclasses {
			add(Category{Class: k.Class, Subclass: s})
		}
	}
	for _, f := range categoryForms() {
		add(f.cat)
	}
	return out
}

func dedupe(ms []CategoryMatch) []CategoryMatch {
	var out []CategoryMatch
	seen := map[Category]bool{}
	for _, m := range ms {
		if !seen[m.Category] {
			seen[m.Category] = true
			out = append(out, m)
		}
	}
	return out
}

// nearest returns the k categories whose written forms are closest to n by
// edit distance over characters (a form containing n, or contained in it,
// counts as close), closest first, table order breaking ties.
func (c *Categories) nearest(n string, k int) []CategoryMatch {
	type cand struct {
		m CategoryMatch
		d float64
	}
	var cs []cand
	try := func(form string, m CategoryMatch) {
		if form == "" {
			return
		}
		d := float64(levenshtein.ComputeDistance(n, form))
		if strings.Contains(form, n) || strings.Contains(n, form) {
			d = d / 2
		}
		cs = append(cs, cand{m, d / float64(max(utf8.RuneCountInString(form), utf8.RuneCountInString(n)))})
	}
	for _, k := range c.Classes {
		try(k.Class, CategoryMatch{Category: Category{Class: k.Class}, By: CategoryByClass})
	}
	for _, cat := range c.subclasses() {
		m := CategoryMatch{Category: cat, By: CategoryBySubclass}
		try(cat.Subclass, m)
		try(cat.String(), CategoryMatch{Category: cat, By: CategoryByPath})
	}
	for _, f := range categoryForms() {
		if f.kind != CategoryByCode && c.Known(f.cat.Class, f.cat.Subclass) {
			try(f.form, CategoryMatch{Category: f.cat, By: f.kind, Form: f.form})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []CategoryMatch
	seen := map[Category]bool{}
	for _, x := range cs {
		if len(out) == k {
			break
		}
		if !seen[x.m.Category] {
			seen[x.m.Category] = true
			out = append(out, x.m)
		}
	}
	return out
}
