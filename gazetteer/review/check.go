package review

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
	"wumen/gazetteer/romanize"
	"wumen/gazetteer/script"
)

// Defaults of a Checker.
const (
	DefaultNearM    = 3000 // same 专名 with another 通名 "close by"
	DefaultRevivalM = 2000 // historical names offered for 活化使用
	LaneMaxM        = 300  // a street line shorter than this is a lane
	maxReadings     = 64   // reading combinations tried for homophones
)

// Checker runs the naming rules against a gazetteer store.
type Checker struct {
	Store *gazetteer.Store
	// Locator places a position in its county and township (the store's
	// gazetteer.Store.Locator when nil).
	Locator gazetteer.Locator
	// NearM is the distance within which the same 专名 with another 通名
	// is a near-duplicate (DefaultNearM when 0).
	NearM float64
	// RevivalM is the radius searched for historical names (DefaultRevivalM
	// when 0).
	RevivalM float64
	// PlaceURL makes the link of a conflicting place ("/places/{id}" when nil).
	PlaceURL func(id int64) string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Report is the result of checking one subject.
type Report struct {
	Subject  Subject   `json:"subject"`
	Findings []Finding `json:"findings"`
	Blocks   int       `json:"blocks"`
	Warnings int       `json:"warnings"`
	Notes    int       `json:"notes"`
	// Category says which category the rules used and how it was decided.
	Category *CategoryNote `json:"category_note,omitempty"`
	// Location says which county and township the rules used and how they
	// were decided.
	Location *LocationNote `json:"location_note,omitempty"`
	// Scope says in words which places duplicates were sought among.
	Scope   string `json:"scope"`
	ScopeEN string `json:"scope_en"`
	At      string `json:"at"`
}

// Blocked reports whether any finding blocks approval.
func (r *Report) Blocked() bool { return r.Blocks > 0 }

// Has reports whether the report has a finding of the rule.
func (r *Report) Has(rule string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// Check runs every rule that applies to the subject.
func (c *Checker) Check(ctx context.Context, sub Subject) (*Report, error) {
	if sub.Action == "" {
		sub.Action = Naming
	}
	var target *gazetteer.Place
	rep := &Report{}
	if sub.Action != Naming {
		if sub.Target == 0 {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "a %s needs the place it changes (target)", sub.Action)
		}
		p, err := c.Store.Get(ctx, sub.Target)
		if err != nil {
			return nil, err
		}
		target = p
		if sub.Point == nil && p.Label != nil {
			pt := *p.Label
			sub.Point = &pt
		}
		if sub.Action == Cancel || sub.Action == Adjust || sub.Name == "" {
			sub.Name = p.Name
		}
	}
	sub.Name = strings.TrimSpace(sub.Name)
	if sub.Name == "" {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "the name to check is empty")
	}
	if sub.Point == nil && sub.Geometry != nil {
		pt := gazetteer.LabelPoint(sub.Geometry)
		sub.Point = &pt
	}
	note, err := c.resolveCategory(&sub, target)
	if err != nil {
		return nil, err
	}
	rep.Category = note
	add := func(f Finding) { rep.Findings = append(rep.Findings, f) }
	if rep.Location, err = c.locate(ctx, &sub, target, add); err != nil {
		return nil, err
	}
	rep.Subject = sub
	if target != nil {
		c.heritage(target, sub, add)
	}
	if sub.Action == Naming || sub.Action == Renaming {
		if target != nil && sub.Name == target.Name {
			add(Finding{Rule: RuleTarget, Severity: Block, Article: ArtDuplicate,
				Message: "新名称与现名称相同", MessageEN: "the new name is the current name", Places: []Conflict{c.conflict(target, sub, "")}})
		}
		words(sub, c.lane(sub), add)
		if err := c.characters(ctx, sub, add); err != nil {
			return nil, err
		}
		generic(sub, add)
		if err := c.duplicates(ctx, sub, rep, add); err != nil {
			return nil, err
		}
		if err := c.revival(ctx, sub, add); err != nil {
			return nil, err
		}
	}
	if err := c.counties(ctx, rep); err != nil {
		return nil, err
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		return sevRank[rep.Findings[i].Severity] < sevRank[rep.Findings[j].Severity]
	})
	for _, f := range rep.Findings {
		switch f.Severity {
		case Block:
			rep.Blocks++
		case Warn:
			rep.Warnings++
		default:
			rep.Notes++
		}
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	rep.At = now().UTC().Format(time.RFC3339)
	return rep, nil
}

var sevRank = map[Severity]int{Block: 0, Warn: 1, Note: 2}

// lane reports whether the subject is a lane: flagged so, or a street line
// shorter than LaneMaxM.
func (c *Checker) lane(sub Subject) bool {
	if sub.Scale == "lane" {
		return true
	}
	if groupOf(sub.Category, "", genericOf(sub.Name)) != groupStreet {
		return false
	}
	switch g := sub.Geometry.(type) {
	case orb.LineString:
		return geo.Length(g) < LaneMaxM
	case orb.MultiLineString:
		var n float64
		for _, l := range g {
			n += geo.Length(l)
		}
		return n < LaneMaxM
	}
	return false
}

func genericOf(name string) string {
	_, g := romanize.Split(name)
	return g
}

// words applies the word lists: 大, 洋, persons, brands, vulgar words.
func words(sub Subject, lane bool, add func(Finding)) {
	name := sub.Name
	for _, w := range Words(ListVulgar) {
		if strings.Contains(name, w.Word) {
			add(Finding{Rule: RuleVulgar, Severity: Block, Article: ArtMeaning,
				Message:   fmt.Sprintf("名称含粗俗字词“%s”（怪）", w.Word),
				MessageEN: fmt.Sprintf("the name contains the vulgar word %q (怪)", w.Word)})
		}
	}
	for _, w := range Words(ListInflated) {
		if strings.Contains(name, w.Word) {
			sev := Warn
			if lane || smallEntity(sub.Category) {
				sev = Block
			}
			add(Finding{Rule: RuleInflated, Severity: sev, Article: ArtScale,
				Message:   fmt.Sprintf("名称含夸大字词“%s”，与实体规模不符（大）", w.Word),
				MessageEN: fmt.Sprintf("the name contains the inflated word %q, out of scale with the entity (大)", w.Word)})
		}
	}
	if lane {
		for _, g := range []string{"大道", "大街", "广场"} {
			if strings.HasSuffix(name, g) {
				add(Finding{Rule: RuleInflatedGeneric, Severity: Block, Article: ArtScale,
					Message:   fmt.Sprintf("通名“%s”用于小巷，夸大了实体（大）", g),
					MessageEN: fmt.Sprintf("the generic %q overstates a lane (大)", g)})
				break
			}
		}
	}
	// Word lists whose every entry found in the name is a finding; %[1]s is
	// the word, %[2]s its note.
	for _, l := range []struct {
		list, rule, article string
		sev                 Severity
		zh, en              string
	}{
		{ListForeign, RuleForeign, ArtForeign, Block, "名称含外国地名或人名“%[1]s”（%[2]s）（洋）", "the name contains the foreign place or person name %[1]q (%[2]s) (洋)"},
		{ListLeader, RuleLeader, ArtPerson, Block, "名称含国家领导人的名字“%[1]s”", "the name contains the name of a state leader, %[1]s"},
		{ListPerson, RulePerson, ArtPerson, Warn, "名称含人名“%[1]s”（%[2]s），一般不以人名作地名", "the name contains the person name %[1]s (%[2]s); names are generally not taken from persons"},
		{ListBrand, RuleBrand, ArtBrand, Block, "名称含企业名称或商标“%[1]s”", "the name contains the enterprise or brand name %[1]s"},
	} {
		for _, w := range Words(l.list) {
			if strings.Contains(name, w.Word) {
				add(Finding{Rule: l.rule, Severity: l.sev, Article: l.article,
					Message: fmt.Sprintf(l.zh, w.Word, w.Note), MessageEN: fmt.Sprintf(l.en, w.Word, w.Note)})
			}
		}
	}

}

// smallEntity reports whether a category is of entities that must not be
// inflated: streets, housing estates (a new 城镇居民点 is one; 住宅区 is read
// as it by gazetteer's category forms) and buildings.
func smallEntity(c gazetteer.Category) bool {
	return c.Subclass == "道路街巷" || c.Subclass == "城镇居民点" || c.Class == "建筑物" || strings.Contains(c.Subclass, "住宅") || strings.Contains(c.Subclass, "楼")
}

// characters checks the script: Latin letters, digits, symbols, mixed
// traditional and simplified characters, and rare characters.
func (c *Checker) characters(ctx context.Context, sub Subject, add func(Finding)) error {
	var latin, digits, symbols []string
	seen := map[rune]bool{}
	for _, r := range sub.Name {
		switch {
		case unicode.Is(unicode.Han, r):
		case r < 128 && unicode.IsLetter(r) || r >= 0xFF21 && r <= 0xFF5A:
			latin = append(latin, string(r))
		case unicode.IsDigit(r):
			digits = append(digits, string(r))
		default:
			symbols = append(symbols, string(r))
		}
	}
	if len(latin) > 0 {
		add(Finding{Rule: RuleLatin, Severity: Block, Article: ArtForeign + "；" + ArtChars,
			Message:   fmt.Sprintf("名称含拉丁字母“%s”（洋）", strings.Join(latin, "")),
			MessageEN: fmt.Sprintf("the name contains Latin letters %q (洋)", strings.Join(latin, ""))})
	}
	if len(digits) > 0 {
		add(Finding{Rule: RuleDigits, Severity: Warn, Article: ArtChars,
			Message:   fmt.Sprintf("名称含数字“%s”（怪）；序数街名请按规范书写", strings.Join(digits, "")),
			MessageEN: fmt.Sprintf("the name contains digits %q (怪); write ordinal street names as the rules say", strings.Join(digits, ""))})
	}
	if len(symbols) > 0 {
		add(Finding{Rule: RuleSymbols, Severity: Block, Article: ArtChars,
			Message:   fmt.Sprintf("名称含符号“%s”（怪）", strings.Join(symbols, "")),
			MessageEN: fmt.Sprintf("the name contains symbols %q (怪)", strings.Join(symbols, ""))})
	}
	if script.Mixed(sub.Name) {
		add(Finding{Rule: RuleMixedScript, Severity: Block, Article: ArtChars,
			Message: "名称繁简混用（怪）", MessageEN: "the name mixes traditional and simplified characters (怪)"})
	}
	for _, r := range sub.Name {
		if !unicode.Is(unicode.Han, r) || seen[r] {
			continue
		}
		seen[r] = true
		lv := CharLevel(r)
		if lv == 1 || lv == 2 {
			continue
		}
		f := Finding{Rule: RuleRareLevel3, Severity: Warn, Article: ArtChars,
			Message:   fmt.Sprintf("“%c”是%s，属生僻字", r, levelZH(lv)),
			MessageEN: fmt.Sprintf("%c is %s: a rare character", r, levelEN(lv))}
		if lv == 0 {
			f.Rule = RuleRareNonStandard
			f.Message = fmt.Sprintf("“%c”是%s，属不规范字或生僻字", r, levelZH(lv))
			f.MessageEN = fmt.Sprintf("%c is %s: a non-standard or rare character", r, levelEN(lv))
		}
		p, err := c.establishedIn(ctx, r, sub)
		if err != nil {
			return err
		}
		if p != nil {
			// A place-name character (甪 of 甪直) is why many characters are
			// in level 3 at all: in use here, it is weighed, not warned.
			f.Severity = Note
			f.Message += fmt.Sprintf("；但已见于本地地名“%s”，属地名用字", p.Name)
			f.MessageEN += fmt.Sprintf("; but established in the local name %s", p.Name)
			f.Places = []Conflict{c.conflict(p, sub, "")}
		}
		add(f)
	}
	return nil
}

// establishedIn returns the most important current place whose name holds
// r, within the subject's county when it has one.
func (c *Checker) establishedIn(ctx context.Context, r rune, sub Subject) (*gazetteer.Place, error) {
	ms, err := c.lookup(func(n Names) ([]NameMatch, error) { return n.Holding(ctx, r, sub.Target, 200) })
	if err != nil {
		return nil, err
	}
	county := countyOf(sub.Admin)
	for _, m := range ms {
		p, err := c.Store.Get(ctx, m.id)
		if err != nil {
			return nil, err
		}
		if county == "" {
			return p, nil
		}
		for _, pc := range counties(p) {
			if pc == county {
				return p, nil
			}
		}
	}
	return nil, nil
}

func levelZH(lv int) string {
	if lv == 3 {
		return "《通用规范汉字表》三级字"
	}
	return "《通用规范汉字表》以外的字"
}

func levelEN(lv int) string {
	if lv == 3 {
		return "a level-3 character of the Table of General Standard Chinese Characters"
	}
	return "outside the Table of General Standard Chinese Characters"
}

// generic checks that the 通名 fits the category.
func generic(sub Subject, add func(Finding)) {
	allowed, ok := Generics(sub.Category)
	if !ok {
		return
	}
	name := script.ToSimplified(sub.Name) // the 通名 of 寶帶橋 is 桥
	for _, g := range allowed {
		if len(name) > len(g) && strings.HasSuffix(name, g) {
			return
		}
	}
	cat := sub.Category.Class
	if sub.Category.Subclass != "" {
		cat += "/" + sub.Category.Subclass
	}
	g := genericOf(name)
	if g == "" {
		add(Finding{Rule: RuleGenericMissing, Severity: Warn, Article: ArtGeneric,
			Message:   fmt.Sprintf("名称缺少与类别“%s”相符的通名（可用：%s）", cat, strings.Join(allowed, "、")),
			MessageEN: fmt.Sprintf("the name has no generic fitting %s (allowed: %s)", cat, strings.Join(allowed, " "))})
		return
	}
	add(Finding{Rule: RuleGenericMismatch, Severity: Warn, Article: ArtGeneric,
		Message:   fmt.Sprintf("通名“%s”与类别“%s”不符（可用：%s）", g, cat, strings.Join(allowed, "、")),
		MessageEN: fmt.Sprintf("the generic %q does not fit %s (allowed: %s)", g, cat, strings.Join(allowed, " "))})
}

// heritage applies the heritage lock to a renaming or cancellation
// (第十条, 第二十五条).
func (c *Checker) heritage(p *gazetteer.Place, sub Subject, add func(Finding)) {
	if p.Status == gazetteer.StatusCancelled && sub.Action != Naming {
		add(Finding{Rule: RuleTarget, Severity: Block, Article: ArtProcedure,
			Message: "该地名已注销", MessageEN: "the place name is already cancelled", Places: []Conflict{c.conflict(p, sub, "")}})
	}
	if sub.Action != Renaming && sub.Action != Cancel {
		return
	}
	verb, verbEN := "更名", "renaming"
	if sub.Action == Cancel {
		verb, verbEN = "注销", "cancelling"
	}
	measures := strings.TrimSpace(sub.Protection) != ""
	if len(p.Heritage) > 0 {
		var lists []string
		for _, h := range p.Heritage {
			lists = append(lists, h.List)
		}
		if !measures {
			add(Finding{Rule: RuleHeritageLock, Severity: Block, Article: ArtProtected,
				Message:   fmt.Sprintf("“%s”列入地名保护名录（%s），%s前须先制定并记录保护措施", p.Name, strings.Join(lists, "；"), verb),
				MessageEN: fmt.Sprintf("%s is on a protection list (%s): %s it needs protection measures recorded first", p.Name, strings.Join(lists, "; "), verbEN),
				Places:    []Conflict{c.conflict(p, sub, "")}})
		} else {
			add(Finding{Rule: RuleHeritageMeasures, Severity: Note, Article: ArtProtected,
				Message:   fmt.Sprintf("“%s”列入地名保护名录（%s）；已记录保护措施：%s", p.Name, strings.Join(lists, "；"), sub.Protection),
				MessageEN: fmt.Sprintf("%s is on a protection list (%s); protection measures are recorded", p.Name, strings.Join(lists, "; ")),
				Places:    []Conflict{c.conflict(p, sub, "")}})
		}
		return
	}
	historic := p.History != nil && strings.TrimSpace(p.History.Text) != ""
	for _, n := range p.Names {
		historic = historic || n.Kind == gazetteer.KindHistorical
	}
	if historic {
		sev := Warn
		if measures {
			sev = Note
		}
		add(Finding{Rule: RuleHistoricValue, Severity: sev, Article: ArtHistory,
			Message:   fmt.Sprintf("“%s”有历史沿革或曾用名，可能具有重要历史文化价值，一般不得%s", p.Name, verb),
			MessageEN: fmt.Sprintf("%s has a recorded history or former names and may be of important historical value: generally not open to %s", p.Name, verbEN),
			Places:    []Conflict{c.conflict(p, sub, "")}})
	}
}

func (c *Checker) url(id int64) string {
	if c.PlaceURL != nil {
		return c.PlaceURL(id)
	}
	return fmt.Sprintf("/places/%d", id)
}

func (c *Checker) conflict(p *gazetteer.Place, sub Subject, matched string) Conflict {
	k := Conflict{ID: p.ID, Name: p.Name, Status: string(p.Status), URL: c.url(p.ID)}
	if matched != p.Name {
		k.Matched = matched
	}
	k.Category = p.Category.Class
	if p.Category.Subclass != "" {
		k.Category += "/" + p.Category.Subclass
	}
	if sub.Point != nil && p.Label != nil {
		k.DistanceM = float64(int64(geo.Distance(*sub.Point, *p.Label)))
	}
	return k
}
