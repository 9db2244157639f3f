package gazetteer

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// AdminIndex resolves the administrative units a place lies in, written as
// census tables write 所在(跨)行政区 — names from the city down
// ("苏州市姑苏区平江街道"), from any level ("姑苏区平江街道"), several for a
// place that spans units ("姑苏区、吴中区"), or statistical codes — into the
// place's Admin list: every unit's statistical code with its parents, broadest
// first (GB/T 2260 and the 12-digit statistical code, docs/domain.md §3).
type AdminIndex struct {
	name     map[string]string   // code → name
	children map[string][]string // parent code → child codes, longest name first
	byName   map[string][]string // name → codes
	memo     map[string]adminResult
}

type adminResult struct {
	codes []string
	err   error
}

// AdminIndex builds the index from the store's administrative units.
func (s *Store) AdminIndex(ctx context.Context) (*AdminIndex, error) {
	names, err := s.AdminNames(ctx)
	if err != nil {
		return nil, err
	}
	return NewAdminIndex(names), nil
}

// NewAdminIndex builds an index from statistical codes and unit names.
func NewAdminIndex(names map[string]string) *AdminIndex {
	a := &AdminIndex{name: names, children: map[string][]string{}, byName: map[string][]string{}, memo: map[string]adminResult{}}
	for code, n := range names {
		p := adminParent(code)
		a.children[p] = append(a.children[p], code)
		a.byName[n] = append(a.byName[n], code)
	}
	for _, cs := range a.children {
		sort.Slice(cs, func(i, j int) bool {
			if li, lj := len(names[cs[i]]), len(names[cs[j]]); li != lj {
				return li > lj
			}
			return cs[i] < cs[j]
		})
	}
	return a
}

// With returns an index that also knows the given units (code → name):
// those a file being imported defines itself, so that its other records may
// name them before the store holds them.
func (a *AdminIndex) With(units map[string]string) *AdminIndex {
	if len(units) == 0 {
		return a
	}
	all := make(map[string]string, len(a.name)+len(units))
	for c, n := range a.name {
		all[c] = n
	}
	for c, n := range units {
		if _, held := all[c]; !held {
			all[c] = n
		}
	}
	return NewAdminIndex(all)
}

// adminParent returns the statistical code of a unit's parent: a village
// (12 digits) lies in a township (9), a township in a county (6), a county
// in a prefecture (4).
func adminParent(code string) string {
	switch len(code) {
	case 12:
		return code[:9]
	case 9:
		return code[:6]
	case 6:
		return code[:4]
	}
	return ""
}

// adminListSeparators split the units of a place that spans several.
const adminListSeparators = "、,，;；|/ \t"

// Resolve reads a 所在(跨)行政区 value into an Admin list. Results are
// remembered (a census table repeats a few values many times), so an index
// is for one goroutine at a time.
func (a *AdminIndex) Resolve(s string) ([]string, error) {
	if r, ok := a.memo[s]; ok {
		return r.codes, r.err
	}
	codes, err := a.resolve(s)
	if len(a.memo) < 100000 {
		a.memo[s] = adminResult{codes, err}
	}
	return codes, err
}

func (a *AdminIndex) resolve(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(adminListSeparators, r) })
	if len(parts) == 0 {
		return nil, nil
	}
	for _, part := range parts {
		code, err := a.unit(part)
		if err != nil {
			return nil, err
		}
		var chain []string
		for c := code; c != ""; c = adminParent(c) {
			chain = append([]string{c}, chain...)
		}
		for _, c := range chain {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// unit resolves one unit written as a code or as names from some level down.
func (a *AdminIndex) unit(s string) (string, error) {
	s = strings.TrimSpace(s)
	if isDigits(s) {
		if _, ok := a.name[s]; !ok {
			return "", invalid("", "%q is not the statistical code of an administrative unit in the gazetteer", s)
		}
		return s, nil
	}
	rest := strings.TrimPrefix(s, "江苏省")
	code := ""
	// The first name may be at any level; later ones are children of the
	// previous one.
	first := true
	for rest != "" {
		next := ""
		if first {
			next = a.anyPrefix(rest)
			if next == "-" {
				return "", invalid("", "%q: more than one administrative unit is called %s; write its county or township before it", s, a.longestNamePrefix(rest))
			}
		} else {
			for _, c := range a.children[code] {
				if strings.HasPrefix(rest, a.name[c]) {
					next = c
					break
				}
			}
		}
		if next == "" {
			if code == "" {
				return "", invalid("", "%q is not an administrative unit in the gazetteer", s)
			}
			return "", invalid("", "%q: no unit %q in %s", s, rest, a.name[code])
		}
		code, rest, first = next, rest[len(a.name[next]):], false
	}
	return code, nil
}

// anyPrefix returns the code of the unit whose name is the longest prefix of
// s, at the broadest level that has one; "-" when that name is ambiguous.
func (a *AdminIndex) anyPrefix(s string) string {
	n := a.longestNamePrefix(s)
	if n == "" {
		return ""
	}
	codes := a.byName[n]
	if len(codes) == 1 {
		return codes[0]
	}
	// Several units of one name: the broadest wins only if it is alone at
	// its level (a county and a town of the same name).
	sorted := append([]string(nil), codes...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) < len(sorted[j]) })
	if len(sorted[0]) < len(sorted[1]) {
		return sorted[0]
	}
	return "-"
}

func (a *AdminIndex) longestNamePrefix(s string) string {
	best := ""
	for n := range a.byName {
		if len(n) > len(best) && strings.HasPrefix(s, n) {
			best = n
		}
	}
	return best
}

// String describes the index for logs.
func (a *AdminIndex) String() string { return fmt.Sprintf("%d administrative units", len(a.name)) }
