package review

import (
	"context"
	"fmt"

	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
	"wumen/gazetteer/romanize"
	"wumen/gazetteer/script"
)

// Rules of 重 added beside those of rules.go.
const (
	RuleVariant    = "dup.variant"    // the same name in the other script (繁简异体)
	RuleCity       = "dup.city"       // the same road or bridge name in another county of the city
	RuleConfusable = "dup.confusable" // same 专名, another 通名 of the same class (街/路/巷)
)

// genericClass groups 通名 that name the same kind of thing, so that 观前街
// and 观前路 are confusable wherever they are in the county (docs/domain.md §5
// item 7: 重).
var genericClass = map[string]string{
	"街": "street", "路": "street", "巷": "street", "弄": "street", "坊": "street", "道": "street",
	"大道": "street", "大街": "street", "里": "street", "胡同": "street",
	"镇": "township", "乡": "township", "街道": "township",
	"村": "village", "社区": "village",
}

// cityReach reports whether a name reaches across the city, so that its
// homophones and duplicates in other counties matter too: roads (路, 大道,
// 大街) and bridges.
func cityReach(sub Subject) bool {
	switch genericOf(sub.Name) {
	case "路", "大道", "大街":
		return sub.Category.Subclass == "道路街巷" || sub.Category.Class == ""
	}
	return sub.Category.Subclass == "桥梁"
}

// dupRun is one search for 重 among the subject's peers.
type dupRun struct {
	c      *Checker
	sub    Subject
	group  string
	county string // 6-digit code; "" when the scope is the whole gazetteer
	city   bool   // also across the city (cityReach)
	note   string // scope, appended to each message
	noteEN string
	add    func(Finding)
	done   map[int64]bool
}

// duplicates finds 重: exact duplicates and variants, homophones and
// near-duplicates among the subject's peers in its statutory scope
// (地名管理条例 第九条; docs/domain.md §5 item 7).
func (c *Checker) duplicates(ctx context.Context, sub Subject, rep *Report, add func(Finding)) error {
	d := &dupRun{c: c, sub: sub, group: subjectGroup(sub), county: countyOf(sub.Admin), add: add, done: map[int64]bool{}}
	d.city = cityReach(sub) && d.county != "" && countyWide(d.group)
	county := d.county
	if county != "" {
		if p, err := c.Store.GetByCode(ctx, county); err == nil {
			county = p.Name + " " + county
		}
	}
	rep.Scope, rep.ScopeEN = scopeWords(d.group, county)
	if d.city {
		rep.Scope += "；道路、桥梁名称另在全市范围比对同音与重名"
		rep.ScopeEN += "; as a road or bridge name, also compared across the city for homophones and duplicates"
	}
	d.note, d.noteEN = "（比对范围："+rep.Scope+"）", " (scope: "+rep.ScopeEN+")"
	for _, step := range []func(context.Context) error{d.exact, d.homophones, d.oneApart, d.sameSpecific} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// inScope reports whether a place is a current peer of the subject within
// the county (or the city, when wide).
func (d *dupRun) inScope(p *gazetteer.Place, wide bool) bool {
	if p.Status != gazetteer.StatusCurrent || p.ID == d.sub.Target {
		return false
	}
	if d.group != groupAny && groupOf(p.Category, p.Level, p.Generic) != d.group {
		return false
	}
	if !countyWide(d.group) || d.county == "" || wide {
		return true
	}
	for _, pc := range counties(p) {
		if pc == d.county {
			return true
		}
	}
	return false
}

// report turns matches into findings: fn decides the finding for a peer
// (nil for none); each place is reported once, by its first finding.
func (d *dupRun) report(ctx context.Context, ms []match, wide bool, fn func(p *gazetteer.Place, m match, inCounty bool) *Finding) error {
	seen := map[int64]bool{}
	for _, m := range ms {
		if seen[m.id] || d.done[m.id] {
			continue
		}
		seen[m.id] = true
		p, err := d.c.Store.Get(ctx, m.id)
		if err != nil {
			return err
		}
		if !d.inScope(p, wide) {
			continue
		}
		if f := fn(p, m, d.inScope(p, false)); f != nil {
			d.done[p.ID] = true
			f.Places = []Conflict{d.c.conflict(p, d.sub, m.text)}
			f.Message += d.note
			f.MessageEN += d.noteEN
			d.add(*f)
		}
	}
	return nil
}

// exact finds the same name: the standard name of another place (block), its
// form in the other script (block: 繁简 are one name), another current name
// (warn), and for a road or bridge the same name in another county.
func (d *dupRun) exact(ctx context.Context) error {
	name := d.sub.Name
	forms := []string{name}
	for _, f := range []string{script.ToSimplified(name), script.ToTraditional(name)} {
		if f != name {
			forms = append(forms, f)
		}
	}
	ms, err := d.c.lookup(func(n Names) ([]NameMatch, error) { return n.SameNames(ctx, forms, name) })
	if err != nil {
		return err
	}
	return d.report(ctx, ms, d.city, func(p *gazetteer.Place, m match, inCounty bool) *Finding {
		switch {
		case !inCounty:
			return &Finding{Rule: RuleCity, Severity: Warn, Article: ArtDuplicate,
				Message:   fmt.Sprintf("与全市另一县级行政区的“%s”重名；道路、桥梁名称跨区使用，易混淆（重）", p.Name),
				MessageEN: fmt.Sprintf("the same name as %s in another county of the city; road and bridge names reach across the city (重)", p.Name)}
		case m.text != name && m.kind == gazetteer.KindStandard || m.text != name && script.ToSimplified(m.text) == p.Name:
			return &Finding{Rule: RuleVariant, Severity: Block, Article: ArtDuplicate + "；" + ArtChars,
				Message:   fmt.Sprintf("“%s”与现有地名“%s”只是繁简写法不同，属重名（重）", name, p.Name),
				MessageEN: fmt.Sprintf("%s is the existing name %s in the other script: a duplicate (重)", name, p.Name)}
		case m.kind == gazetteer.KindStandard:
			return &Finding{Rule: RuleDuplicate, Severity: Block, Article: ArtDuplicate,
				Message:   fmt.Sprintf("与现有地名“%s”重名（重）", p.Name),
				MessageEN: fmt.Sprintf("duplicates the existing name %s (重)", p.Name)}
		}
		return &Finding{Rule: RuleDuplicateAlias, Severity: Warn, Article: ArtDuplicate,
			Message:   fmt.Sprintf("与“%s”的别称“%s”重名（重）", p.Name, m.text),
			MessageEN: fmt.Sprintf("duplicates %s, another name of %s (重)", m.text, p.Name)}
	})
}

// homophones finds names that sound the same (同音): with tones, without
// tones, or in another reading of a character; across the city for a road
// or bridge.
func (d *dupRun) homophones(ctx context.Context) error {
	readings := readingsOf(d.sub.Name)
	if len(readings) == 0 {
		return nil
	}
	ms, err := d.c.lookup(func(n Names) ([]NameMatch, error) {
		return n.Homophones(ctx, readings, []string{d.sub.Name, script.ToSimplified(d.sub.Name)})
	})
	if err != nil {
		return err
	}
	preferred := romanize.Toneless(d.sub.Name)
	toned := tonedKey(d.sub.Name)
	return d.report(ctx, ms, d.city, func(p *gazetteer.Place, m match, inCounty bool) *Finding {
		where, whereEN := "", ""
		if !inCounty {
			where, whereEN = "全市另一县级行政区的", " in another county of the city"
		}
		other := romanize.Toneless(m.text)
		switch {
		case other == preferred && tonedKey(m.text) == toned:
			return &Finding{Rule: RuleHomophoneToned, Severity: Warn, Article: ArtDuplicate,
				Message:   fmt.Sprintf("与%s“%s”同音同调（%s）（重）", where, m.text, stdPinyin(d.sub.Name)),
				MessageEN: fmt.Sprintf("sounds the same as %s%s, tones included (重)", m.text, whereEN)}
		case other == preferred:
			return &Finding{Rule: RuleHomophone, Severity: Warn, Article: ArtDuplicate,
				Message:   fmt.Sprintf("与%s“%s”同音（%s）（重）", where, m.text, preferred),
				MessageEN: fmt.Sprintf("a homophone of %s%s (%s) (重)", m.text, whereEN, preferred)}
		case !inCounty:
			return nil
		}
		return &Finding{Rule: RuleHomophoneReading, Severity: Note, Article: ArtDuplicate,
			Message:   fmt.Sprintf("按多音字的另一读音与“%s”同音（%s）", m.text, other),
			MessageEN: fmt.Sprintf("sounds like %s (%s) in another reading of a character", m.text, other)}
	})
}

// oneApart finds names one character apart in the 专名 with the same 通名.
func (d *dupRun) oneApart(ctx context.Context) error {
	_, gen := romanize.Split(d.sub.Name)
	n := len([]rune(d.sub.Name))
	if n < 3 {
		return nil
	}
	ms, err := d.c.lookup(func(names Names) ([]NameMatch, error) { return names.SameGenericLength(ctx, n, d.sub.Name, gen) })
	if err != nil {
		return err
	}
	var near []match
	for _, m := range ms {
		if oneApart(d.sub.Name, m.text) {
			near = append(near, m)
		}
	}
	return d.report(ctx, near, false, func(p *gazetteer.Place, m match, _ bool) *Finding {
		return &Finding{Rule: RuleOneCharApart, Severity: Warn, Article: ArtDuplicate,
			Message:   fmt.Sprintf("与“%s”仅一字之差，易混淆（重）", p.Name),
			MessageEN: fmt.Sprintf("one character apart from %s, easily confused (重)", p.Name)}
	})
}

// sameSpecific finds the same 专名 with another 通名: confusable anywhere in
// the county when the 通名 are of one class (观前街, 观前路), else when close by
// (NearM).
func (d *dupRun) sameSpecific(ctx context.Context) error {
	spec, gen := romanize.Split(d.sub.Name)
	if spec == "" || gen == "" {
		return nil
	}
	ms, err := d.c.lookup(func(n Names) ([]NameMatch, error) { return n.SameSpecific(ctx, spec, gen) })
	if err != nil {
		return err
	}
	near := d.c.nearM()
	return d.report(ctx, ms, false, func(p *gazetteer.Place, m match, _ bool) *Finding {
		if cl := genericClass[gen]; cl != "" && genericClass[p.Generic] == cl {
			return &Finding{Rule: RuleConfusable, Severity: Warn, Article: ArtDuplicate,
				Message:   fmt.Sprintf("与“%s”专名相同，通名“%s”“%s”同属一类，易混淆（重）", p.Name, gen, p.Generic),
				MessageEN: fmt.Sprintf("the same specific as %s with a generic of the same class (%s, %s): easily confused (重)", p.Name, gen, p.Generic)}
		}
		if d.sub.Point != nil && p.Label != nil && geo.Distance(*d.sub.Point, *p.Label) > near {
			return nil
		}
		return &Finding{Rule: RuleSameSpecific, Severity: Warn, Article: ArtDuplicate,
			Message:   fmt.Sprintf("与附近的“%s”专名相同、通名不同，易混淆（重）", p.Name),
			MessageEN: fmt.Sprintf("same specific as %s nearby with another generic, easily confused (重)", p.Name)}
	})
}

// match is a name a lookup found.
type match struct {
	id         int64
	text, kind string
}

// lookup runs one of the store's name lookups.
func (c *Checker) lookup(q func(Names) ([]NameMatch, error)) ([]match, error) {
	n, err := storage(c.Store)
	if err != nil {
		return nil, err
	}
	ms, err := q(n)
	if err != nil {
		return nil, err
	}
	out := make([]match, len(ms))
	for i, m := range ms {
		out[i] = match{id: m.PlaceID, text: m.Text, kind: m.Kind}
	}
	return out, nil
}

func (c *Checker) nearM() float64 {
	if c.NearM > 0 {
		return c.NearM
	}
	return DefaultNearM
}
