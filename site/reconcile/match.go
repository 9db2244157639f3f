package reconcile

import (
	"sort"
	"strings"
	"unicode"

	"wumen/gazetteer"
	"wumen/search"
)

// nameScore is a candidate's score from how its best name met the query
// (search.Matched.How), for a standard name and for any other kind (alias,
// historical name, abbreviation). A character name written out in full
// scores highest; the same name typed as pinyin a little lower, since
// pinyin does not tell homophones apart.
var nameScore = map[string][2]float64{
	"exact":           {100, 95},
	"prefix":          {70, 66},
	"generic":         {60, 56},
	"initials":        {55, 50},
	"contains":        {50, 46},
	"initials_prefix": {40, 36},
	"characters":      {35, 31},
	"fuzzy":           {30, 26},
}

// pinyinPenalty is taken off an exact match typed in pinyin.
const pinyinPenalty = 15

// score turns search hits into candidates, best first, and decides the match.
//
// match is true for at most one candidate, and only when it is clearly
// right: the query is written in characters and equals one of the
// candidate's names (standard, historical, alias …; simplified and
// traditional forms are one), every type and property given was understood,
// and no other place in the constrained scope — the type, the county, the
// year, the distance — carries that name. The top of a list is never a
// match merely for being first.
func score(text string, hits []search.Hit, c *constraint, admin map[string]string) []Candidate {
	han := hasHan(text)
	var out []Candidate
	exact := 0
	for _, h := range hits {
		if !c.keeps(h) {
			continue
		}
		kind := 1
		if h.Matched.Kind == gazetteer.KindStandard || h.Matched.Kind == "" {
			kind = 0
		}
		sc := nameScore[h.Matched.How][kind]
		isExact := h.Matched.How == "exact"
		if isExact && !han {
			sc -= pinyinPenalty
		}
		if isExact && han {
			exact++
		}
		out = append(out, Candidate{
			ID:          itoa(h.ID),
			Name:        h.Name,
			Description: describe(h, admin),
			Score:       sc,
			Type:        hitTypes(h),
			Features: []Feature{
				{ID: "name_exact", Value: isExact && han},
				{ID: "name_standard", Value: kind == 0},
				{ID: "pinyin", Value: !han},
			},
		})
	}
	// Stable: equal scores keep the search's ranking (importance, distance).
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	unique := exact == 1 && len(c.unknown) == 0
	for i := range out {
		out[i].Features = append(out[i].Features, Feature{ID: "unique_in_scope", Value: unique})
	}
	if len(out) > 0 && unique && out[0].Features[0].Value == true {
		out[0].Match = true
	}
	if len(out) > c.limit {
		out = out[:c.limit]
	}
	if out == nil {
		out = []Candidate{}
	}
	return out
}

// keeps reports whether a hit meets what search could not apply itself:
// several types at once (the 通名 is checked on the places, in candidates).
func (c *constraint) keeps(h search.Hit) bool {
	if len(c.types) > 1 {
		ok := false
		for _, t := range c.types {
			if t.ID == h.Class || t.ID == h.Class+"/"+h.Subclass {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// hitTypes is the type list of a candidate: its subclass, or its class.
func hitTypes(h search.Hit) []Type {
	if h.Subclass != "" {
		return []Type{{ID: h.Class + "/" + h.Subclass, Name: h.Subclass}}
	}
	return []Type{{ID: h.Class, Name: h.Class}}
}

// describe says what a candidate is, the way a user tells namesakes apart:
// pinyin, category, where it is, and which name matched
// ("Píngjiāng Lù · 道路街巷 · 姑苏区, 苏州市 · matched 平江府 (historical, 1113–1276)").
func describe(h search.Hit, admin map[string]string) string {
	var parts []string
	if h.Pinyin != "" {
		parts = append(parts, h.Pinyin)
	}
	if h.Subclass != "" {
		parts = append(parts, h.Subclass)
	} else if h.Class != "" {
		parts = append(parts, h.Class)
	}
	if where := whereLabel(h.Admin, admin); where != "" {
		parts = append(parts, where)
	}
	if h.Status != "" && h.Status != gazetteer.StatusCurrent {
		parts = append(parts, string(h.Status))
	}
	if m := h.Matched; m.Text != "" && m.Text != h.Name {
		note := "matched " + m.Text + " (" + m.Kind
		if m.Start != "" || m.End != "" {
			note += ", " + m.Start + "–" + m.End
		}
		parts = append(parts, note+")")
	}
	return strings.Join(parts, " · ")
}

// whereLabel names the admin units of a place, narrowest first, keeping the
// township, the county and the city.
func whereLabel(codes []string, admin map[string]string) string {
	var names []string
	seen := map[string]bool{}
	for i := len(codes) - 1; i >= 0; i-- {
		if len(codes[i]) > 9 {
			continue
		}
		if n := admin[codes[i]]; n != "" && !seen[n] {
			names = append(names, n)
			seen[n] = true
		}
	}
	return strings.Join(names, ", ")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
