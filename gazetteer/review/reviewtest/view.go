package reviewtest

import (
	"fmt"
	"math"
	"strings"

	"wumen/gazetteer/review"
)

// View is what an officer reads off a report, on any surface: the verdict,
// the category and county the check used and how, the scope compared, and
// every finding in order with its article, messages and the places it points
// at. Two surfaces agree on a case when their views are equal; the time of
// the check and the links (each surface has its own) are left out.
type View struct {
	Error      string        `json:"error,omitempty"`
	Blocks     int           `json:"blocks"`
	Warnings   int           `json:"warnings"`
	Notes      int           `json:"notes"`
	Category   string        `json:"category"`
	CategoryBy string        `json:"category_by"`
	County     string        `json:"county"`
	CountyBy   string        `json:"county_by"`
	Scope      string        `json:"scope"`
	Findings   []FindingView `json:"findings"`
}

// FindingView is one finding as read.
type FindingView struct {
	Rule      string      `json:"rule"`
	Severity  string      `json:"severity"`
	Article   string      `json:"article"`
	Message   string      `json:"message"`
	MessageEN string      `json:"message_en"`
	Places    []PlaceView `json:"places"`
}

// PlaceView is a place a finding points at: its id, the county it is
// recorded in and its distance in whole metres, as the page prints it.
type PlaceView struct {
	ID        int64  `json:"id"`
	County    string `json:"county"`
	DistanceM int64  `json:"distance_m"`
}

// ViewOf reads a report, or the refusal err, as a View.
func ViewOf(rep *review.Report, err error) View {
	if err != nil {
		return View{Error: err.Error()}
	}
	if rep == nil {
		return View{Error: "no report"}
	}
	v := View{Blocks: rep.Blocks, Warnings: rep.Warnings, Notes: rep.Notes, Scope: rep.Scope, Findings: []FindingView{}}
	if n := rep.Category; n != nil {
		v.Category, v.CategoryBy = n.Category.String(), n.By
	}
	if n := rep.Location; n != nil {
		v.CountyBy = n.By
		if c := n.County(); c != nil {
			v.County = c.Code
		}
	}
	for _, f := range rep.Findings {
		fv := FindingView{Rule: f.Rule, Severity: string(f.Severity), Article: f.Article, Message: f.Message,
			MessageEN: f.MessageEN, Places: []PlaceView{}}
		for _, p := range f.Places {
			fv.Places = append(fv.Places, PlaceView{ID: p.ID, County: p.County, DistanceM: int64(math.Round(p.DistanceM))})
		}
		v.Findings = append(v.Findings, fv)
	}
	return v
}

// Diff lists, in words, where got differs from want (nil when they agree).
// A refusal agrees with a refusal whose message contains it, or is
// contained in it: a command line prefixes its own words.
func (want View) Diff(got View) []string {
	if want.Error != "" || got.Error != "" {
		w, g := strings.TrimSpace(want.Error), strings.TrimSpace(got.Error)
		if w == "" || g == "" || !strings.Contains(w, g) && !strings.Contains(g, w) {
			return []string{fmt.Sprintf("refusal %q, want %q", g, w)}
		}
		return nil
	}
	var bad []string
	diff := func(what string, w, g any) {
		if w != g {
			bad = append(bad, fmt.Sprintf("%s %v, want %v", what, g, w))
		}
	}
	diff("blocks", want.Blocks, got.Blocks)
	diff("warnings", want.Warnings, got.Warnings)
	diff("notes", want.Notes, got.Notes)
	diff("category", want.Category, got.Category)
	diff("category taken by", want.CategoryBy, got.CategoryBy)
	diff("county", want.County, got.County)
	diff("county taken by", want.CountyBy, got.CountyBy)
	diff("scope", want.Scope, got.Scope)
	if len(want.Findings) != len(got.Findings) {
		return append(bad, fmt.Sprintf("%d findings (%s), want %d (%s)", len(got.Findings), got.rules(), len(want.Findings), want.rules()))
	}
	for i, w := range want.Findings {
		g := got.Findings[i]
		at := fmt.Sprintf("finding %d (%s):", i+1, w.Rule)
		diff(at+" rule", w.Rule, g.Rule)
		diff(at+" severity", w.Severity, g.Severity)
		diff(at+" article", w.Article, g.Article)
		diff(at+" message", w.Message, g.Message)
		diff(at+" English message", w.MessageEN, g.MessageEN)
		diff(at+" places", fmt.Sprint(w.Places), fmt.Sprint(g.Places))
	}
	return bad
}

func (v View) rules() string {
	var s []string
	for _, f := range v.Findings {
		s = append(s, f.Rule+":"+f.Severity)
	}
	return strings.Join(s, " ")
}
