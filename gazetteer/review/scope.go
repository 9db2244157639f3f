package review

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
	"wumen/gazetteer/romanize"
	"wumen/gazetteer/script"
)

// Peer groups: names compete for uniqueness only with names of the same kind
// of entity (地名管理条例 第九条; docs/domain.md §5 item 7).
const (
	groupCounty   = "county"   // county level and above: nationwide
	groupTownship = "township" // 乡镇, 街道: within the province
	groupVillage  = "village"  // 村, 居委会/社区: within the county
	groupStreet   = "street"   // 街路巷: within one built-up area
	groupNatural  = "natural"  // natural features: nationwide
	groupAny      = "any"      // no category: every place in the county
)

var streetGenerics = map[string]bool{"街": true, "路": true, "巷": true, "弄": true, "坊": true, "道": true, "大道": true, "大街": true, "胡同": true, "里": true}

// subjectGroup is the peer group of the subject: groupAny when it has no
// category (none given, none inferable), so that a duplicate is never missed
// for want of one.
func subjectGroup(sub Subject) string {
	if sub.Category.Class == "" {
		return groupAny
	}
	return groupOf(sub.Category, "", genericOf(sub.Name))
}

// groupOf places a category (and level and 通名) in a peer group.
func groupOf(c gazetteer.Category, level, generic string) string {
	switch {
	case level == "county" || level == "prefecture" || level == "province":
		return groupCounty
	case level == "township":
		return groupTownship
	case level == "village" || c.Class == "群众自治组织":
		return groupVillage
	case c.Class == "行政区域" && (generic == "区" || generic == "县" || generic == "市"):
		return groupCounty
	case (c.Class == "行政区域" || c.Class == "非行政区域") && (generic == "镇" || generic == "乡" || generic == "街道"):
		return groupTownship
	case c.Class == "居民点" && (generic == "村" || generic == "社区"):
		return groupVillage
	case c.Subclass == "道路街巷" || (c.Class == "交通运输设施" && c.Subclass == "" && streetGenerics[generic]):
		return groupStreet
	case c.Class == "陆地水系" || c.Class == "陆地地形":
		return groupNatural
	}
	return "other:" + c.Class + "/" + c.Subclass
}

// countyWide reports whether a group's names are unique within one county
// (rather than the whole dataset).
func countyWide(group string) bool {
	return group != groupCounty && group != groupTownship && group != groupNatural
}

// scopeWords describes the statutory scope of a group, honestly: the 建成区
// of 街路巷 is approximated by the county-level unit.
func scopeWords(group, county string) (string, string) {
	switch group {
	case groupCounty:
		return "县级以上行政区域名称：全国范围（本库为苏州全市）", "county level and above: nationwide (here: the whole gazetteer)"
	case groupTownship:
		return "乡镇、街道名称：全省范围（本库为苏州全市）", "townships: within the province (here: the whole gazetteer)"
	case groupNatural:
		return "著名自然地理实体：全国范围（本库为苏州全市）", "natural features: nationwide (here: the whole gazetteer)"
	}
	if county == "" {
		return "未给出所在县级行政区，按全库比对", "no county given: compared with the whole gazetteer"
	}
	switch group {
	case groupAny:
		return fmt.Sprintf("类别未定：同一县级行政区（%s）内的所有地名", county), fmt.Sprintf("no category: every place within the county (%s)", county)
	case groupVillage:
		return fmt.Sprintf("村、居委会名称：同一县级行政区（%s）内", county), fmt.Sprintf("villages and communities: within the county (%s)", county)
	case groupStreet:
		return fmt.Sprintf("街路巷名称：同一建成区内，近似为同一县级行政区（%s）", county),
			fmt.Sprintf("streets: within one built-up area, approximated as the same county-level unit (%s)", county)
	}
	return fmt.Sprintf("同类地名：同一县级行政区（%s）内", county), fmt.Sprintf("same kind of entity: within the county (%s)", county)
}

// counties returns the 6-digit county codes a place sits in (a functional zone
// beside a district gives two).
func counties(p *gazetteer.Place) []string {
	var out []string
	add := func(code string) {
		if len(code) < 6 {
			return
		}
		c := code[:6]
		if strings.HasSuffix(c, "00") {
			return // a prefecture, not a county
		}
		for _, o := range out {
			if o == c {
				return
			}
		}
		out = append(out, c)
	}
	add(p.Code)
	for _, a := range p.Admin {
		add(a)
	}
	return out
}

func countyOf(code string) string {
	if len(code) < 6 || strings.HasSuffix(code[:6], "00") {
		return ""
	}
	return code[:6]
}

// readingsOf returns the toneless readings of name over the combinations of
// its characters' candidate readings, preferred first, at most maxReadings.
func readingsOf(name string) []string {
	out := []string{""}
	for _, cands := range romanize.Syllables(name) {
		var next []string
		for _, prefix := range out {
			for _, s := range cands {
				if len(next) < maxReadings {
					next = append(next, prefix+s)
				}
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// tonedKey is the standard pinyin of a name with word breaks removed, for
// comparing sounds with tones.
func tonedKey(name string) string {
	s := stdPinyin(name)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\'' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

func oneApart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	diff := 0
	for i := range ra {
		if ra[i] != rb[i] {
			diff++
		}
	}
	return diff == 1
}

// revival offers historical names no longer in use near the proposed place
// for 活化使用 (实施办法; docs/domain.md §6).
func (c *Checker) revival(ctx context.Context, sub Subject, add func(Finding)) error {
	if err := c.revivalRepeat(ctx, sub, add); err != nil {
		return err
	}
	if sub.Point == nil {
		return nil
	}
	r := c.RevivalM
	if r <= 0 {
		r = DefaultRevivalM
	}
	b := geo.NewBoundAroundPoint(*sub.Point, r)
	ms, err := c.lookup(func(n Names) ([]NameMatch, error) { return n.HistoricalNear(ctx, b) })
	if err != nil {
		return err
	}
	var ks []Conflict
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.text] || m.text == sub.Name {
			continue
		}
		p, err := c.Store.Get(ctx, m.id)
		if err != nil {
			return err
		}
		if p.Label == nil || geo.Distance(*sub.Point, *p.Label) > r {
			continue
		}
		seen[m.text] = true
		ks = append(ks, c.conflict(p, sub, m.text))
	}
	if len(ks) == 0 {
		return nil
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].DistanceM < ks[j].DistanceM })
	if len(ks) > 10 {
		ks = ks[:10]
	}
	var names []string
	for _, k := range ks {
		n := k.Name
		if k.Matched != "" {
			n = k.Matched
		}
		names = append(names, n)
	}
	add(Finding{Rule: RuleRevival, Severity: Note, Article: ArtRevival,
		Message:   fmt.Sprintf("附近%.0f米内有不再使用的历史地名，可考虑活化使用：%s", r, strings.Join(names, "、")),
		MessageEN: fmt.Sprintf("historical names no longer in use within %.0f m, candidates for revival: %s", r, strings.Join(names, ", ")),
		Places:    ks})
	return nil
}

// revivalRepeat finds the proposed name among names no longer in use: a
// historical name, or the name of a cancelled or historical place. Taking it
// up again is 活化使用 (实施办法; docs/domain.md §6), offered as a suggestion, not
// a duplicate.
func (c *Checker) revivalRepeat(ctx context.Context, sub Subject, add func(Finding)) error {
	ms, err := c.lookup(func(n Names) ([]NameMatch, error) {
		return n.FormerNames(ctx, []string{sub.Name, script.ToSimplified(sub.Name)}, sub.Target)
	})
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, m := range ms {
		if seen[m.id] {
			continue
		}
		seen[m.id] = true
		p, err := c.Store.Get(ctx, m.id)
		if err != nil {
			return err
		}
		what, whatEN := fmt.Sprintf("“%s”的曾用名", p.Name), "a former name of "+p.Name
		switch {
		case p.Status == gazetteer.StatusCancelled:
			what, whatEN = "已注销的地名", "a cancelled place name"
		case p.Status == gazetteer.StatusHistorical && m.text == p.Name:
			what, whatEN = "不再使用的历史地名", "a historical name no longer in use"
		}
		add(Finding{Rule: RuleRevivalRepeat, Severity: Note, Article: ArtRevival,
			Message:   fmt.Sprintf("“%s”是%s；重新启用属活化使用，可优先考虑，不按重名处理", m.text, what),
			MessageEN: fmt.Sprintf("%s is %s: taking it up again is a revival (活化使用), a suggestion rather than a duplicate", m.text, whatEN),
			Places:    []Conflict{c.conflict(p, sub, m.text)}})
	}
	return nil
}

// stdPinyin is the standard romanization of a name, split as romanize does.
func stdPinyin(name string) string {
	s, g := romanize.Split(name)
	return romanize.Standard(s, g, false)
}
