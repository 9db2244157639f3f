package officer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
	"wumen/site/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
	"wumen/site/officer"
)

// heldInputs are the held cases with their positions resolved on the
// shipped gazetteer, as an officer would type them: lat,lon or WKT.
func heldInputs(t *testing.T, off *officer.Handler) ([]reviewtest.Case, []string) {
	t.Helper()
	cases, err := reviewtest.Cases()
	if err != nil {
		t.Fatal(err)
	}
	var pos []string
	for _, hc := range cases {
		ll, err := hc.LatLon(context.Background(), off.Store())
		if err != nil {
			t.Fatal(err)
		}
		if hc.Geometry != "" {
			ll = hc.Geometry
		}
		pos = append(pos, ll)
	}
	return cases, pos
}

// TestAPIHeldCases runs the held set through POST /officer/api/check with
// an officer's token: the category as a string in any form, the position as
// GeoJSON, the county left out where the case leaves it out.
func TestAPIHeldCases(t *testing.T) {
	srv, off := officerOnShipped(t)
	tok, err := off.Accounts.NewToken(context.Background(), "rev1", "held cases")
	if err != nil {
		t.Fatal(err)
	}
	cases, pos := heldInputs(t, off)
	for i, hc := range cases {
		body := map[string]any{"kind": "naming", "name": hc.Name}
		if hc.Category != "" {
			body["category"] = hc.Category
		}
		if hc.Admin != "" {
			body["admin"] = hc.Admin
		}
		if pos[i] != "" {
			g, err := review.ParseGeometry(pos[i])
			if err != nil {
				t.Fatal(err)
			}
			body["geometry"] = json.RawMessage(geoJSON(t, g))
		}
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", srv.URL+"/officer/api/check", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var rep *review.Report
		var checkErr error
		if res.StatusCode == http.StatusOK {
			rep = new(review.Report)
			err = json.NewDecoder(res.Body).Decode(rep)
		} else {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			err = json.NewDecoder(res.Body).Decode(&e)
			checkErr = errors.New(e.Error.Message)
			if res.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" {
				t.Errorf("%s: HTTP %d %+v, want 400 invalid", hc, res.StatusCode, e)
			}
		}
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range hc.Verify(rep, checkErr) {
			t.Errorf("%s: POST /officer/api/check %s: %s", hc, b, msg)
		}
	}
}

// pageReport reads the officer check page back into a report: the findings
// table (rule, severity, linked places, article, messages), the category and
// the county the check used, or the error shown.
const pageReport = `(function () {
  var err = document.getElementById("error");
  if (err) return {error: err.textContent};
  var cat = document.getElementById("category-note"), loc = document.getElementById("location-note");
  var r = {findings: [], category: cat ? cat.dataset.category : "", county: loc && loc.dataset.county || ""};
  document.querySelectorAll("#findings tr.finding").forEach(function (tr) {
    var c = tr.querySelectorAll("td");
    r.findings.push({rule: tr.dataset.rule, severity: tr.dataset.severity, message: c[3].textContent,
      message_en: c[3].querySelector("[lang=en]").textContent, article: c[4].textContent,
      places: Array.from(tr.querySelectorAll("a.place")).map(function (a) { return {id: +a.dataset.id, name: a.textContent, url: a.getAttribute("href")}; })});
  });
  return r;
})()`

type pageResult struct {
	Error    string           `json:"error"`
	Category string           `json:"category"`
	County   string           `json:"county"`
	Findings []review.Finding `json:"findings"`
}

// report rebuilds the parts of a review.Report the held cases check.
func (p pageResult) report(cats *gazetteer.Categories) (*review.Report, error) {
	if p.Error != "" {
		return nil, errors.New(p.Error)
	}
	rep := &review.Report{Findings: p.Findings}
	for _, f := range p.Findings {
		if f.Severity == review.Block {
			rep.Blocks++
		}
	}
	if p.Category != "" {
		m, _ := cats.Lookup(p.Category)
		if len(m) > 0 {
			rep.Category = &review.CategoryNote{Category: m[0].Category}
		}
	}
	rep.Location = &review.LocationNote{}
	if p.County != "" {
		rep.Location.Admin = []gazetteer.AdminRef{{Code: p.County, Level: "county"}}
	}
	return rep, nil
}

// officerOnShipped serves the officer pages alone over the shipped dataset:
// without the site's MapLibre the maps stay hidden (the map has its own
// test, TestBrowserCheckPageExplains), so the held set runs at typing speed.
func officerOnShipped(t *testing.T) (*httptest.Server, *officer.Handler) {
	t.Helper()
	_, off := shippedOfficer(t)
	srv := httptest.NewServer(off)
	t.Cleanup(srv.Close)
	return srv, off
}

// TestBrowserHeldCases types every held case into the officer check page in
// headless Chromium — name, category as written, position, county when the
// case gives one — presses 检查 and reads the report off the page. It fails
// (never skips) when Chromium is missing.
func TestBrowserHeldCases(t *testing.T) {
	srv, off := officerOnShipped(t)
	cases, pos := heldInputs(t, off)
	ctx := browsertest.Start(t, 10*time.Minute, 1200, 900)
	login(t, ctx, srv.URL)
	for i, hc := range cases {
		steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + "/officer/check"), chromedp.WaitVisible(chromedp.CSS("#name"))}
		for _, f := range [][2]string{{"#name", hc.Name}, {"#category", hc.Category}, {"#admin", hc.Admin}} {
			if f[1] != "" {
				steps = append(steps, chromedp.SendKeys(chromedp.CSS(f[0]), f[1]))
			}
		}
		if pos[i] != "" { // pasted, as officers paste coordinates and WKT
			steps = append(steps, chromedp.SetValue(chromedp.CSS("#geometry"), pos[i]))
		}
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", hc, err)
		}
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#check"))); err != nil {
			t.Fatalf("%s: %v", hc, err)
		}
		var res pageResult
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](pageReport))
		if err == nil {
			err = json.Unmarshal(raw, &res)
		}
		if err != nil {
			t.Fatalf("%s: reading the page: %v", hc, err)
		}
		rep, checkErr := res.report(off.Store().Categories())
		for _, msg := range hc.Verify(rep, checkErr) {
			t.Errorf("%s: the check page: %s", hc, msg)
		}
	}
}

func login(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u+"/officer/login"),
		chromedp.SendKeys(chromedp.CSS("#name"), "rev1"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-of-rev1"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/officer/check"]`))); err != nil {
		t.Fatal(err)
	}
}

func geoJSON(t *testing.T, g orb.Geometry) []byte {
	t.Helper()
	b, err := json.Marshal(geojson.NewGeometry(g))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
