package officer_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wumen/gazetteer/review/reviewtest"
	"wumen/site/internal/browsertest"
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
		p, err := hc.Position(context.Background(), off.Store())
		if err != nil {
			t.Fatal(err)
		}
		pos = append(pos, p)
	}
	return cases, pos
}

// TestAPIHeldCases runs the held set through POST /officer/api/check with
// an officer's token: the category as a string in any form, the position as
// GeoJSON, the county left out where the case leaves it out. (That the API
// and the command line give the same report for every case is
// cmd/wumen's TestReviewHeldCases.)
func TestAPIHeldCases(t *testing.T) {
	srv, off := officerOnShipped(t)
	tok, err := off.Accounts.NewToken(context.Background(), "rev1", "held cases")
	if err != nil {
		t.Fatal(err)
	}
	cases, pos := heldInputs(t, off)
	for i, hc := range cases {
		rep, refused, sent, err := hc.CheckOverHTTP(srv.URL, tok, pos[i])
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range hc.Verify(rep, refused) {
			t.Errorf("%s: POST /officer/api/check %s: %s", hc, sent, msg)
		}
	}
}

// pageView reads the officer check page as an officer reads it, into a
// reviewtest.View: the tally in the heading, the category and county notes,
// the scope, and each row of the findings table — rule, severity, message
// and its English, the article, and each linked place with the county and
// distance printed beside it — or the error shown.
const pageView = `(function () {
  var err = document.getElementById("error");
  if (err) return {error: err.textContent};
  var tally = document.getElementById("tally").textContent;
  var num = function (re) { var m = tally.match(re); return m ? +m[1] : -1; };
  var cat = document.getElementById("category-note"), loc = document.getElementById("location-note");
  var v = {blocks: num(/(\d+) 项否决/), warnings: num(/(\d+) 项警示/), notes: num(/(\d+) 项提示/),
    category: cat ? cat.dataset.category : "", category_by: cat ? cat.dataset.by : "",
    county: loc && loc.dataset.county || "", county_by: loc ? loc.dataset.by : "",
    scope: document.getElementById("scope").textContent, findings: []};
  document.querySelectorAll("#findings tr.finding").forEach(function (tr) {
    var c = tr.querySelectorAll("td"), art = c[4].querySelector(".article");
    v.findings.push({rule: c[2].textContent, severity: tr.dataset.severity,
      article: art ? art.textContent : c[4].textContent,
      message: c[3].firstChild.nodeType === 3 ? c[3].firstChild.textContent : "",
      message_en: c[3].querySelector("[lang=en]").textContent,
      places: Array.from(c[5].querySelectorAll("a.place")).map(function (a) {
        var meta = a.nextElementSibling.textContent.split(" · "), p = {id: +meta[0].slice(1), county: "", distance_m: 0};
        meta.slice(1).forEach(function (m) { if (/ 米$/.test(m)) p.distance_m = parseInt(m, 10); else p.county = m; });
        return p;
      })});
  });
  return v;
})()`

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
// case gives one — presses 检查 and reads the report off the page: it must
// be the API's report for the case (verdict, category and county used,
// scope, every finding with its article, messages and places), and the API's
// must meet the case's expectations. It fails (never skips) when Chromium is
// missing.
func TestBrowserHeldCases(t *testing.T) {
	browsertest.SkipShort(t)
	srv, off := officerOnShipped(t)
	tok, err := off.Accounts.NewToken(context.Background(), "rev1", "held cases")
	if err != nil {
		t.Fatal(err)
	}
	cases, pos := heldInputs(t, off)
	ctx := browsertest.Start(t, 10*time.Minute, 1200, 900)
	login(t, ctx, srv.URL)
	for i, hc := range cases {
		rep, refused, _, err := hc.CheckOverHTTP(srv.URL, tok, pos[i])
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range hc.Verify(rep, refused) {
			t.Errorf("%s: the API: %s", hc, msg)
		}
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
		var got reviewtest.View
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](pageView))
		if err == nil {
			err = json.Unmarshal(raw, &got)
		}
		if err != nil {
			t.Fatalf("%s: reading the page: %v", hc, err)
		}
		for _, msg := range reviewtest.ViewOf(rep, refused).Diff(got) {
			t.Errorf("%s: the check page differs from the API: %s", hc, msg)
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
