// Package reviewtest holds the held set of naming-review cases (held.tsv) and
// the checks of a report against them, shared by the tests that run the set
// through the rules, the command line, the API and the officer page.
package reviewtest

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
)

//go:embed held.tsv
var heldTSV string

// Case is one proposal of the held set, as an officer would type it.
type Case struct {
	Line     int
	Name     string
	Category string // as written; "" for none
	Admin    string
	Near     string // "@ID" (the point of a shipped place) or "lat,lon"
	Geometry string // WKT
	Expect   []string
	Note     string
}

// String names the case for test output: "held.tsv:12 山塘街".
func (c Case) String() string { return fmt.Sprintf("held.tsv:%d %s", c.Line, c.Name) }

// Cases returns the held set.
func Cases() ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(strings.NewReader(heldTSV))
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("held.tsv:%d: %d columns, want 7", line, len(f))
		}
		out = append(out, Case{Line: line, Name: f[0], Category: f[1], Admin: f[2], Near: f[3], Geometry: f[4],
			Expect: strings.Split(f[5], ","), Note: f[6]})
	}
	return out, sc.Err()
}

// LatLon returns the case's position as "lat,lon" ("" for none): an @ID is
// the point of that place in the store.
func (c Case) LatLon(ctx context.Context, s *gazetteer.Store) (string, error) {
	if !strings.HasPrefix(c.Near, "@") {
		return c.Near, nil
	}
	id, err := strconv.ParseInt(c.Near[1:], 10, 64)
	if err != nil {
		return "", fmt.Errorf("%s: bad place id %q", c, c.Near)
	}
	p, err := s.Get(ctx, id)
	if err != nil {
		return "", fmt.Errorf("%s: %w", c, err)
	}
	if p.Label == nil {
		return "", fmt.Errorf("%s: place %d has no position", c, id)
	}
	return fmt.Sprintf("%.7f,%.7f", p.Label.Lat(), p.Label.Lon()), nil
}

// WantError returns the text a refused check must contain, "" when the case
// expects a report.
func (c Case) WantError() string {
	for _, e := range c.Expect {
		if strings.HasPrefix(e, "error=") {
			return strings.TrimPrefix(e, "error=")
		}
	}
	return ""
}

// Verify compares a report (or the refusal, err) with the case's
// expectations and returns what differs, in words.
func (c Case) Verify(rep *review.Report, err error) []string {
	if want := c.WantError(); want != "" {
		if err == nil {
			return []string{fmt.Sprintf("want the check refused with %q, got a report: %s", want, Summary(rep))}
		}
		if !strings.Contains(err.Error(), want) {
			return []string{fmt.Sprintf("refused with %q, want %q in it", err, want)}
		}
		return nil
	}
	if err != nil {
		return []string{"the check failed: " + err.Error()}
	}
	var bad []string
	for _, e := range c.Expect {
		if msg := verifyOne(rep, e); msg != "" {
			bad = append(bad, msg)
		}
	}
	if len(bad) > 0 {
		bad = append(bad, "report: "+Summary(rep))
	}
	return bad
}

func verifyOne(rep *review.Report, e string) string {
	switch {
	case e == "clean":
		if rep.Blocked() {
			return "want no block finding"
		}
	case strings.HasPrefix(e, "county="):
		got := ""
		if rep.Location != nil && rep.Location.County() != nil {
			got = rep.Location.County().Code
		}
		if got != strings.TrimPrefix(e, "county=") {
			return fmt.Sprintf("county %q, want %s", got, e)
		}
	case strings.HasPrefix(e, "category="):
		got := ""
		if rep.Category != nil {
			got = rep.Category.Category.String()
		}
		if got != strings.TrimPrefix(e, "category=") {
			return fmt.Sprintf("category %q, want %s", got, e)
		}
	case strings.HasPrefix(e, "!"):
		rule, place := ruleAndPlace(e[1:])
		if f := findPlace(rep, rule, place); f != nil {
			return fmt.Sprintf("%s fired: %s", e[1:], f.Message)
		}
	default:
		rule, place := ruleAndPlace(e)
		rule, sev, _ := strings.Cut(rule, ":")
		f := findPlace(rep, rule, place)
		switch {
		case f == nil:
			return "want " + e
		case sev != "" && string(f.Severity) != sev:
			return fmt.Sprintf("%s is %s, want %s", rule, f.Severity, sev)
		case f.Article == "" || f.Message == "" || f.MessageEN == "":
			return rule + ": a finding without its article or messages"
		}
		if place != 0 {
			for _, p := range f.Places {
				if p.ID == place && (p.County == "" || p.URL == "" || p.Name == "") {
					return fmt.Sprintf("%s: the evidence #%d lacks its name, county or link: %+v", rule, place, p)
				}
			}
		}
	}
	return ""
}

func ruleAndPlace(e string) (string, int64) {
	rule, id, ok := strings.Cut(e, "#")
	if !ok {
		return rule, 0
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	return rule, n
}

// findPlace returns the first finding of rule (the part before any ":"),
// pointing at place when it is not 0.
func findPlace(rep *review.Report, rule string, place int64) *review.Finding {
	rule, _, _ = strings.Cut(rule, ":")
	for i, f := range rep.Findings {
		if f.Rule != rule {
			continue
		}
		if place == 0 {
			return &rep.Findings[i]
		}
		for _, p := range f.Places {
			if p.ID == place {
				return &rep.Findings[i]
			}
		}
	}
	return nil
}

// Summary lists a report's findings in one line.
func Summary(rep *review.Report) string {
	if rep == nil {
		return "no report"
	}
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s:%s", f.Rule, f.Severity)
		for _, p := range f.Places {
			fmt.Fprintf(&b, "#%d", p.ID)
		}
		b.WriteString(" ")
	}
	if b.Len() == 0 {
		return "no findings"
	}
	return b.String()
}

// Subject is the case as the rules take it: the category as written, the
// position resolved, the geometry parsed.
func (c Case) Subject(ctx context.Context, s *gazetteer.Store) (review.Subject, error) {
	sub := review.Subject{Name: c.Name, CategoryText: c.Category, Admin: c.Admin}
	ll, err := c.LatLon(ctx, s)
	if err != nil {
		return sub, err
	}
	if ll != "" {
		if sub.Geometry, err = review.ParseGeometry(ll); err != nil {
			return sub, fmt.Errorf("%s: %w", c, err)
		}
	}
	if c.Geometry != "" {
		if sub.Geometry, err = review.ParseGeometry(c.Geometry); err != nil {
			return sub, fmt.Errorf("%s: %w", c, err)
		}
	}
	return sub, nil
}

// Position returns the case's position as an officer types it: its WKT
// geometry when it has one, else "lat,lon" (an @ID resolved on the store),
// "" for none.
func (c Case) Position(ctx context.Context, s *gazetteer.Store) (string, error) {
	if c.Geometry != "" {
		return c.Geometry, nil
	}
	return c.LatLon(ctx, s)
}
