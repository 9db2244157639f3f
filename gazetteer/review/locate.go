package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// How the jurisdiction of a subject was decided (LocationNote.By).
const (
	AdminGiven    = "given"   // the officer gave the statistical code
	AdminLocated  = "located" // from the position, by the gazetteer's Locator
	AdminOfTarget = "target"  // the county of the place renamed or cancelled
	AdminNone     = "none"    // neither a code nor a position
)

// RuleAdminMismatch flags a position that lies outside the jurisdiction given.
const RuleAdminMismatch = "admin.mismatch"

// LocationNote says in which county and township the rules placed the
// subject and how that was decided: the rule deciding containment or the
// estimate is the gazetteer's (gazetteer.Locator), never this package's.
type LocationNote struct {
	By string `json:"by"`
	// Method is the Locator's answer when a position was located:
	// gazetteer.LocateContains, LocateEstimated or LocateOutside.
	Method string `json:"method,omitempty"`
	// Admin lists the units, broadest first.
	Admin    []gazetteer.AdminRef       `json:"admin,omitempty"`
	Evidence []gazetteer.LocateEvidence `json:"evidence,omitempty"`
	// Note is the Locator's own explanation.
	Note      string `json:"note,omitempty"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// County returns the county-level unit of the note, if any.
func (n *LocationNote) County() *gazetteer.AdminRef {
	for i := range n.Admin {
		if n.Admin[i].Level == "county" {
			return &n.Admin[i]
		}
	}
	return nil
}

func (c *Checker) locator() gazetteer.Locator {
	if c.Locator != nil {
		return c.Locator
	}
	return c.Store.Locator()
}

// locate decides the jurisdiction (所在行政区) of the subject: the code given,
// else the county of the target, else the position located by the
// gazetteer's Locator (a point, or a line or polygon by its label point).
// A position given beside a code is located too, and a position outside the
// given county is a finding.
func (c *Checker) locate(ctx context.Context, sub *Subject, target *gazetteer.Place, add func(Finding)) (*LocationNote, error) {
	var g orb.Geometry = sub.Geometry
	if g == nil && sub.Point != nil {
		g = *sub.Point
	}
	n := &LocationNote{By: AdminNone}
	switch {
	case sub.Admin != "":
		n.By = AdminGiven
	case target != nil:
		if cs := counties(target); len(cs) > 0 {
			sub.Admin, n.By = cs[0], AdminOfTarget
		}
	}
	var loc *gazetteer.Location
	if g != nil && (n.By == AdminNone || n.By == AdminGiven) {
		l, err := c.locator().Locate(ctx, g)
		if err != nil {
			return nil, err
		}
		loc = &l
		n.Method, n.Evidence, n.Note = l.Method, l.Evidence, l.Note
	}
	switch n.By {
	case AdminNone:
		if loc != nil && !loc.Outside() {
			if code := finest(*loc); code != "" {
				sub.Admin, n.By, n.Admin = code, AdminLocated, loc.Admin
			}
		}
	case AdminGiven, AdminOfTarget:
		refs, err := c.adminRefs(ctx, sub.Admin)
		if err != nil {
			return nil, err
		}
		n.Admin = refs
		if loc != nil && !loc.Outside() && countyOf(sub.Admin) != "" {
			if lc := loc.Code("county"); lc != "" && lc != countyOf(sub.Admin) {
				add(Finding{Rule: RuleAdminMismatch, Severity: Warn, Article: ArtDuplicate,
					Message:   fmt.Sprintf("所给位置在%s，与所填行政区%s不符：重名比对范围按所填行政区；请核对（%s）", refNames(loc.Admin), refNames(refs), loc.Note),
					MessageEN: fmt.Sprintf("the position lies in %s, not in the jurisdiction given (%s): duplicates were sought by the jurisdiction given; check it", refNames(loc.Admin), refNames(refs))})
			}
		}
	}
	n.Message, n.MessageEN = n.words(loc)
	return n, nil
}

// finest returns the code of the finest county or township unit located.
func finest(l gazetteer.Location) string {
	if t := l.Code("township"); t != "" {
		return t
	}
	return l.Code("county")
}

// words writes the note in Chinese and English.
func (n *LocationNote) words(loc *gazetteer.Location) (string, string) {
	where := refNames(n.Admin)
	switch n.By {
	case AdminGiven:
		return "所在行政区：" + where + "（所填）", "jurisdiction: " + where + " (as given)"
	case AdminOfTarget:
		return "所在行政区：" + where + "（被更改地名所在）", "jurisdiction: " + where + " (that of the place changed)"
	case AdminLocated:
		how, howEN := "位于边界内", "inside the boundary"
		if n.Method == gazetteer.LocateEstimated {
			how, howEN = "按位置推定，非边界判定", "estimated from the position, not from a boundary"
		}
		return fmt.Sprintf("所在行政区：%s（%s：%s）", where, how, n.Note),
			fmt.Sprintf("jurisdiction: %s (%s: %s)", where, howEN, evidenceEN(n.Evidence))
	}
	if loc != nil {
		return "未给出所在行政区，位置也无法确定所在行政区（" + loc.Note + "）：按全库比对",
			"no jurisdiction given and the position does not decide one: compared with the whole gazetteer"
	}
	return "未给出所在行政区或位置：按全库比对", "neither a jurisdiction nor a position given: compared with the whole gazetteer"
}

func evidenceEN(ev []gazetteer.LocateEvidence) string {
	var s []string
	for i, e := range ev {
		if i == 3 {
			break
		}
		s = append(s, fmt.Sprintf("%s %.0f m", e.Name, e.DistanceM))
	}
	if len(s) == 0 {
		return "no evidence"
	}
	return "nearest positioned places " + strings.Join(s, ", ")
}

func refNames(refs []gazetteer.AdminRef) string {
	var s []string
	for _, r := range refs {
		if r.Level == "prefecture" || r.Level == "province" {
			continue
		}
		s = append(s, r.Name+" "+r.Code)
	}
	if len(s) == 0 {
		return "（未知）"
	}
	return strings.Join(s, " / ")
}

// adminRefs names a statistical code and the county above it.
func (c *Checker) adminRefs(ctx context.Context, code string) ([]gazetteer.AdminRef, error) {
	var out []gazetteer.AdminRef
	codes := []string{code}
	if cc := countyOf(code); cc != "" && cc != code {
		codes = []string{cc, code}
	}
	for _, k := range codes {
		p, err := c.Store.GetByCode(ctx, k)
		if gazetteer.ErrorCode(err) == gazetteer.ENotFound {
			return nil, gazetteer.Errorf(gazetteer.EInvalid, "the jurisdiction %s is not a statistical code of the gazetteer", k)
		} else if err != nil {
			return nil, err
		}
		out = append(out, gazetteer.AdminRef{ID: p.ID, Code: k, Name: p.Name, Level: p.Level})
	}
	return out, nil
}

// counties names the county of every place a finding points at, as
// evidence beside its id and distance.
func (c *Checker) counties(ctx context.Context, rep *Report) error {
	names := map[string]string{}
	places := map[int64]string{}
	for i := range rep.Findings {
		for j := range rep.Findings[i].Places {
			k := &rep.Findings[i].Places[j]
			if w, ok := places[k.ID]; ok {
				k.County = w
				continue
			}
			p, err := c.Store.Get(ctx, k.ID)
			if err != nil {
				return err
			}
			var ws []string
			for _, code := range counties(p) {
				if _, ok := names[code]; !ok {
					names[code] = code
					if a, err := c.Store.GetByCode(ctx, code); err == nil {
						names[code] = a.Name + " " + code
					}
				}
				ws = append(ws, names[code])
			}
			k.County = strings.Join(ws, "、")
			places[k.ID] = k.County
		}
	}
	return nil
}
