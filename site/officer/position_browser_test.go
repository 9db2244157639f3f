package officer_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/site/internal/browsertest"
)

// TestBrowserPositionVillage drives Chromium as an officer positioning a
// village committee of the shipped dataset (none has a position): from the
// list of places awaiting one, on the place's map the officer places a point
// by clicking the canvas, gives accuracy, source and note, and saves; then
// draws a polygon of four corners and saves again. Each save is a revision
// by the officer with the drawn geometry, and the public page says how the
// position was obtained. The shapes are test drawings, not surveyed ones.
func TestBrowserPositionVillage(t *testing.T) {
	browsertest.SkipShort(t)
	srv, off := siteWithOfficer(t)
	st := off.Reviews.Store
	bg := context.Background()
	list, _, err := st.AwaitingPosition(bg, gazetteer.AwaitingFilter{Category: "村民委员会", Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no village committee awaiting a position: %v", err)
	}
	id := list[0].ID
	ctx := browsertest.Start(t, 150*time.Second, 1200, 900)
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string, out any) { t.Helper(); browsertest.Eval(t, ctx, expr, out) }
	wait := func(what, expr string) {
		t.Helper()
		// Polled from Go, not in the page: a save navigates, and a poll
		// inside the page dies with it.
		var err error
		for end := time.Now().Add(40 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			var ok bool
			if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
				return
			}
		}
		t.Fatalf("waiting for %s: %v", what, err)
	}
	// at returns the page pixel of a fraction of the map canvas and the
	// longitude/latitude the map puts there.
	at := func(fx, fy float64) (x, y float64, ll [2]float64) {
		t.Helper()
		var r [4]float64
		eval(`(function () { var m = window.wumenPositionMap, c = m.getCanvas().getBoundingClientRect();
			var ll = m.unproject([c.width * `+ftoa(fx)+`, c.height * `+ftoa(fy)+`]);
			return [c.left + c.width * `+ftoa(fx)+`, c.top + c.height * `+ftoa(fy)+`, ll.lng, ll.lat]; })()`, &r)
		return r[0], r[1], [2]float64{r[2], r[3]}
	}
	click := func(fx, fy float64) [2]float64 {
		t.Helper()
		x, y, ll := at(fx, fy)
		do("click the map", chromedp.MouseClickXY(x, y))
		time.Sleep(150 * time.Millisecond)
		return ll
	}
	openMap := func() {
		t.Helper()
		do("open the place's map", chromedp.Navigate(srv.URL+"/officer/positions/"+strconv.FormatInt(id, 10)),
			chromedp.WaitVisible(chromedp.CSS("#position-map canvas")), chromedp.ScrollIntoView(chromedp.CSS("#position-map")))
		wait("the drawing map", `document.getElementById("position-map").dataset.ready === "1" && window.wumenPositionMap.loaded()`)
	}
	save := func(acc, source, note string) {
		t.Helper()
		do("fill in and save",
			chromedp.SetValue(chromedp.CSS("#accuracy"), acc), chromedp.SetValue(chromedp.CSS("#source"), source),
			chromedp.SetValue(chromedp.CSS("#note"), note), chromedp.Click(chromedp.CSS("#save")))
		wait("the saved page", `location.search.indexOf("saved=1") >= 0 && !!document.getElementById("position-saved")`)
	}

	do("log in and list the places awaiting a position",
		chromedp.Navigate(srv.URL+"/officer/login"),
		chromedp.SendKeys(chromedp.CSS("#name"), "rev1"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-of-rev1"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/officer/positions"]`)),
		chromedp.Navigate(srv.URL+"/officer/positions?category=村民委员会"),
		chromedp.WaitVisible(chromedp.CSS(`#awaiting a[href="/officer/positions/`+strconv.FormatInt(id, 10)+`"]`)))

	// A point at 45% across, 55% down the canvas.
	openMap()
	do("point mode", chromedp.Click(chromedp.CSS("#draw-point")))
	want := click(0.45, 0.55)
	wait("a point in the field", `document.getElementById("geometry").value.indexOf("Point") > 0`)
	save("30", "test: drawn in the browser test", "placed on the map at the committee's office (test value)")
	p, err := st.Get(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	pt, ok := p.Geometry.(orb.Point)
	// One CSS pixel is some 10 m at this zoom; the click lands within a few.
	if !ok || math.Abs(pt.Lon()-want[0]) > 3e-4 || math.Abs(pt.Lat()-want[1]) > 3e-4 {
		t.Fatalf("stored %v, clicked at %v", p.Geometry, want)
	}
	if p.Coord == nil || p.Coord.Method != "digitized" || p.Coord.AccuracyM != 30 || !strings.Contains(p.Coord.Note, "office") {
		t.Errorf("coord %+v", p.Coord)
	}
	revs, _ := st.Revisions(bg, id)
	if last := revs[len(revs)-1]; last.Actor != "rev1" {
		t.Errorf("revision by %q, want rev1", last.Actor)
	}

	// A polygon: four corners, then the first again to close it.
	openMap()
	do("polygon mode", chromedp.Click(chromedp.CSS("#draw-polygon")))
	corners := [][2]float64{click(0.3, 0.3), click(0.7, 0.3), click(0.7, 0.7), click(0.3, 0.7)}
	click(0.3, 0.3)
	wait("a polygon in the field", `document.getElementById("geometry").value.indexOf("Polygon") > 0`)
	save("50", "test: drawn in the browser test", "the committee's grounds outlined on the map (test value)")
	p, _ = st.Get(bg, id)
	poly, ok := p.Geometry.(orb.Polygon)
	if !ok || len(poly) != 1 || len(poly[0]) != 5 {
		t.Fatalf("stored %#v, want a polygon of four corners", p.Geometry)
	}
	for _, c := range corners {
		found := false
		for _, v := range poly[0] {
			found = found || (math.Abs(v[0]-c[0]) < 3e-4 && math.Abs(v[1]-c[1]) < 3e-4)
		}
		if !found {
			t.Errorf("corner %v not in the stored ring %v", c, poly[0])
		}
	}

	// The public page says how the position was obtained.
	do("the public page", chromedp.Navigate(srv.URL+"/place/"+strconv.FormatInt(id, 10)))
	var body string
	eval(`document.body.innerText`, &body)
	if !strings.Contains(body, "outlined on the map") || !strings.Contains(body, "50") {
		t.Errorf("the public page does not say how the position was obtained:\n%s", body)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
