package officer_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"wumen/site/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/site"
	"wumen/site/officer"
)

// siteWithOfficer serves the public site over a store seeded with the
// shipped dataset (data.FS), with the officer handler mounted as cmd/wumen
// mounts it, so the officer pages find MapLibre under /static/ and the
// vector tiles under /tiles/. Users: rev1 (reviewer).
func siteWithOfficer(t *testing.T) (*httptest.Server, *officer.Handler) {
	t.Helper()
	ctx := context.Background()
	st, off := shippedOfficer(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := site.New(ctx, site.Config{Store: st, Logger: quiet,
		Mounts: map[string]http.Handler{"/officer/": off, "/notices": off, "/notices/": off}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv, off
}

// officerMapReady is true once the officer map has drawn tiles of the
// gazetteer and its own layers exist.
const officerMapReady = `!!(window.wumenOfficerMap && window.wumenOfficerMap.isStyleLoaded() &&
 window.wumenOfficerMap.getLayer(%q) &&
 window.wumenOfficerMap.queryRenderedFeatures().some(function (f) { return f.source === "wumen"; }))`

// TestBrowserDrawProposal drives Chromium through the site with the officer
// pages mounted: on the new-proposal form the officer draws a line (two
// clicks), undoes a vertex, switches to a point and clicks the map canvas at
// a known pixel; the location field gets the GeoJSON, the saved proposal's
// geometry is that point, inside the map's visible bounds; the proposal page
// then shows it with the conflicting places numbered like the findings. It
// fails (never skips) when Chromium is missing.
func TestBrowserDrawProposal(t *testing.T) {
	browsertest.SkipShort(t)
	srv, off := siteWithOfficer(t)
	ctx := browsertest.Start(t, 120*time.Second, 1200, 900)

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wait := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(200*time.Millisecond),
			chromedp.WithPollingTimeout(40*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	eval := func(expr string, out any) { t.Helper(); browsertest.Eval(t, ctx, expr, out) }
	field := func() string {
		t.Helper()
		var s string
		eval(`document.getElementById("geometry").value`, &s)
		return s
	}

	u := srv.URL
	do("log in and open the form",
		chromedp.Navigate(u+"/officer/login"),
		chromedp.SendKeys(chromedp.CSS("#name"), "rev1"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-of-rev1"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/officer/proposals/new"]`)),
		chromedp.Navigate(u+"/officer/proposals/new"),
		chromedp.WaitVisible(chromedp.CSS("#officer-map canvas")),
		chromedp.ScrollIntoView(chromedp.CSS("#officer-map")))
	wait("the drawing map", strings.Replace(officerMapReady, "%q", `"draw-line"`, 1))

	// canvas is the map canvas' viewport rectangle: left, top, width, height.
	canvas := func() [4]float64 {
		t.Helper()
		var r [4]float64
		eval(`(function () { var r = window.wumenOfficerMap.getCanvas().getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, &r)
		if r[2] < 100 || r[3] < 100 {
			t.Fatalf("map canvas is %v", r)
		}
		return r
	}
	click := func(fx, fy float64) {
		t.Helper()
		r := canvas()
		do("click the map", chromedp.MouseClickXY(r[0]+r[2]*fx, r[1]+r[3]*fy))
	}

	// A road: two vertices from 起点 to 止点, then undo back to one.
	do("line mode", chromedp.Click(chromedp.CSS("#draw-line")))
	click(0.3, 0.5)
	click(0.7, 0.5)
	wait("a line in the field", `document.getElementById("geometry").value.indexOf("LineString") > 0`)
	var line struct {
		Type        string       `json:"type"`
		Coordinates [][2]float64 `json:"coordinates"`
	}
	if err := json.Unmarshal([]byte(field()), &line); err != nil || len(line.Coordinates) != 2 || line.Coordinates[0][0] >= line.Coordinates[1][0] {
		t.Fatalf("line drawn as %s (%v)", field(), err)
	}
	do("undo", chromedp.Click(chromedp.CSS("#draw-undo")))
	if f := field(); f != "" {
		t.Errorf("after undo a one-vertex line leaves the field %q, want it empty", f)
	}
	var status string
	eval(`document.getElementById("draw-status").textContent`, &status)
	if !strings.Contains(status, "起点") {
		t.Errorf("status after undo: %q", status)
	}

	// A point at a known pixel: 40% across, 60% down the canvas.
	do("point mode", chromedp.Click(chromedp.CSS("#draw-point")))
	var want [2]float64
	var bounds [2][2]float64
	eval(`(function () { var m = window.wumenOfficerMap, c = m.getCanvas().getBoundingClientRect();
		var ll = m.unproject([c.width * 0.4, c.height * 0.6]); return [ll.lng, ll.lat]; })()`, &want)
	eval(`window.wumenOfficerMap.getBounds().toArray()`, &bounds)
	click(0.4, 0.6)
	wait("a point in the field", `document.getElementById("geometry").value.indexOf("Point") > 0`)
	do("fill in and save",
		chromedp.SendKeys(chromedp.CSS("#name"), "山塘街"),
		chromedp.SendKeys(chromedp.CSS("#category"), "street"),
		chromedp.SendKeys(chromedp.CSS("#admin"), "320508"),
		chromedp.SendKeys(chromedp.CSS("#applicant"), "姑苏区民政局"),
		chromedp.SendKeys(chromedp.CSS("#reasons"), "测试：在地图上点选位置"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#findings")))

	p, err := off.Reviews.Get(context.Background(), 1)
	if err != nil || p.Geometry == nil {
		t.Fatalf("saved proposal: %v %+v", err, p)
	}
	pt, ok := p.Geometry.Geometry().(orb.Point)
	if !ok {
		t.Fatalf("saved geometry is %T, want a point", p.Geometry.Geometry())
	}
	if pt.Lon() < bounds[0][0] || pt.Lon() > bounds[1][0] || pt.Lat() < bounds[0][1] || pt.Lat() > bounds[1][1] {
		t.Errorf("point %v outside the visible bounds %v", pt, bounds)
	}
	// One CSS pixel here is some 10 m; the click lands within a pixel or two.
	if math.Abs(pt.Lon()-want[0]) > 3e-4 || math.Abs(pt.Lat()-want[1]) > 3e-4 {
		t.Errorf("point %v, clicked at %v", pt, want)
	}

	// The proposal page: the map shows the point and the conflicting places,
	// each marker numbered like the findings (山塘街 is a duplicate).
	wait("the proposal map", strings.Replace(officerMapReady, "%q", `"proposal-pt"`, 1)+
		` && document.querySelectorAll(".place-marker").length > 0`)
	var markers, listed []string
	eval(`Array.from(document.querySelectorAll(".place-marker")).map(function (m) { return m.textContent; })`, &markers)
	eval(`Array.from(document.querySelectorAll("#map-list .num")).map(function (m) { return m.textContent; })`, &listed)
	var rows int
	eval(`document.querySelectorAll("#findings tr.finding").length`, &rows)
	if len(markers) == 0 || len(markers) > len(listed) {
		t.Fatalf("markers %v, listed places %v", markers, listed)
	}
	for _, m := range markers {
		for _, n := range strings.Split(m, ", ") {
			var found bool
			eval(`!!document.getElementById("finding-`+n+`")`, &found)
			if !found {
				t.Errorf("marker %q names no finding (%d findings)", m, rows)
			}
		}
	}
	var shows bool
	eval(`window.wumenOfficerMap.queryRenderedFeatures({layers: ["proposal-pt"]}).length > 0`, &shows)
	if !shows {
		t.Error("the proposed point is not drawn on the proposal map")
	}
}
