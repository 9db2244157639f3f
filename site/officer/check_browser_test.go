package officer_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
	"time"
	"wumen/site/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// TestBrowserCheckPageExplains drives Chromium through the check page with
// the site mounted (MapLibre, tiles): the officer types 山塘街 with no
// category, clicks the drawing map for the position and checks. The page
// says the category was taken from the 通名 街 and the county from the
// position, with its evidence; the duplicate links to 山塘街; hovering or
// focusing the article shows its gist; the map shows the conflicting place
// as a numbered marker whose pixels are the marker's colours in a
// screenshot. Then the officer corrects the category and the county and
// checks again. It fails (never skips) when Chromium is missing.
func TestBrowserCheckPageExplains(t *testing.T) {
	browsertest.SkipShort(t)
	srv, _ := siteWithOfficer(t)
	ctx := browsertest.Start(t, 150*time.Second, 1200, 900)
	pg := page{t, ctx}
	do, wait, eval := pg.do, pg.wait, pg.eval
	submit := func() {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#check"))); err != nil {
			t.Fatal(err)
		}
	}
	attr := func(sel, name string) string {
		t.Helper()
		var s string
		eval(`(function () { var e = document.querySelector(`+jsString(sel)+`); return e ? (e.getAttribute(`+jsString(name)+`) || "") : "<missing>"; })()`, &s)
		return s
	}

	login(t, ctx, srv.URL)
	do("open the check page", chromedp.Navigate(srv.URL+"/officer/check"),
		chromedp.WaitVisible(chromedp.CSS("#officer-map canvas")), chromedp.ScrollIntoView(chromedp.CSS("#officer-map")))
	wait("the drawing map", strings.Replace(officerMapReady, "%q", `"draw-line"`, 1))
	var r [4]float64
	eval(`(function () { var r = window.wumenOfficerMap.getCanvas().getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, &r)
	do("draw a point in the old city and type the name",
		chromedp.MouseClickXY(r[0]+r[2]*0.5, r[1]+r[3]*0.5),
		chromedp.SendKeys(chromedp.CSS("#name"), "山塘街"))
	wait("the drawn point in the field", `document.getElementById("geometry").value.indexOf("Point") > 0`)
	submit()

	if by, cat := attr("#category-note", "data-by"), attr("#category-note", "data-category"); by != "inferred" || cat != "交通运输设施/道路街巷" {
		t.Errorf("category note: by %q, category %q", by, cat)
	}
	var note, loc string
	eval(`document.getElementById("category-note").textContent`, &note)
	eval(`document.getElementById("location-note").textContent`, &loc)
	if !strings.Contains(note, "按通名“街”推定") {
		t.Errorf("the category note must say it was inferred: %q", note)
	}
	if attr("#location-note", "data-by") != "located" || attr("#location-note", "data-county") != "320508" ||
		!strings.Contains(loc, "姑苏区") || !strings.Contains(loc, "依据 Evidence") {
		t.Errorf("location note: %q", loc)
	}
	if attr("#category", "placeholder") != "交通运输设施/道路街巷" || attr("#admin", "placeholder") == "" {
		t.Errorf("the inferred category and county must stand in the fields to correct: %q %q", attr("#category", "placeholder"), attr("#admin", "placeholder"))
	}
	row := `tr.finding[data-rule="dup.exact"]`
	if href := attr(row+` a.place`, "href"); href != "/place/51" {
		t.Errorf("the duplicate must link to 山塘街 #51, links to %q", href)
	}
	if title := attr(row+` .article`, "title"); !strings.Contains(title, "第九条要点") || !strings.Contains(title, "不重名") {
		t.Errorf("the article's gist on hover: title %q", title)
	}
	var shown string
	do("focus the article", chromedp.Focus(chromedp.CSS(row+` .article`)))
	eval(`getComputedStyle(document.querySelector(`+jsString(row+` .article-text`)+`)).display`, &shown)
	if shown != "block" {
		t.Errorf("the article's gist must show on keyboard focus: display %q", shown)
	}

	// The map: 山塘街 as a numbered marker, drawn where the screenshot shows
	// the marker's white face and dark-red ring.
	wait("the result map", strings.Replace(officerMapReady, "%q", `"proposal-pt"`, 1)+` && document.querySelectorAll(".place-marker").length > 0`)
	do("show the map", chromedp.ScrollIntoView(chromedp.CSS("#officer-map")))
	var m struct{ X, Y, W, H float64 }
	var num string
	eval(`(function () { var n = null; document.querySelectorAll(".place-marker").forEach(function (e) { if (e.title.indexOf("山塘街") >= 0) n = e; });
		if (!n) return null; var b = n.getBoundingClientRect(); return {X: b.left, Y: b.top, W: b.width, H: b.height}; })()`, &m)
	eval(`(function () { var n = ""; document.querySelectorAll(".place-marker").forEach(function (e) { if (e.title.indexOf("山塘街") >= 0) n = e.textContent; }); return n; })()`, &num)
	if m.W == 0 || num == "" {
		t.Fatal("no marker for 山塘街 on the map")
	}
	var dpr float64
	eval(`window.devicePixelRatio`, &dpr)
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	// The ring is #a1121b: sample the left edge of the marker, mid-height.
	red := 0
	for dx := 0.0; dx < 3; dx++ {
		cr, cg, cb, _ := img.At(int((m.X+dx+0.5)*dpr), int((m.Y+m.H/2)*dpr)).RGBA()
		if cr>>8 > 130 && cg>>8 < 60 && cb>>8 < 70 {
			red++
		}
	}
	if red == 0 {
		t.Errorf("no marker ring pixels at the 山塘街 marker (%v)", m)
	}
	if !strings.Contains(attr("#finding-"+strings.Split(num, ",")[0], "data-rule"), "dup.") {
		t.Errorf("marker %q names a finding that is not about 山塘街", num)
	}

	// Correct the category: 山塘街 as a bridge has no duplicate but a generic
	// that does not fit; correct the county: a position in 姑苏区 with 吴江区
	// given is flagged.
	do("correct the category and the county",
		chromedp.SendKeys(chromedp.CSS("#category"), "桥"), chromedp.SendKeys(chromedp.CSS("#admin"), "320509"))
	submit()
	if cat := attr("#category-note", "data-category"); cat != "交通运输设施/桥梁" {
		t.Errorf("the corrected category: %q", cat)
	}
	if attr("#location-note", "data-by") != "given" || attr("#location-note", "data-county") != "320509" {
		t.Errorf("the corrected county: by %q county %q", attr("#location-note", "data-by"), attr("#location-note", "data-county"))
	}
	for rule, want := range map[string]bool{"dup.exact": false, "generic.category": true, "admin.mismatch": true} {
		var has bool
		eval(`!!document.querySelector('tr.finding[data-rule="`+rule+`"]')`, &has)
		if has != want {
			t.Errorf("after correcting: finding %s present %v, want %v", rule, has, want)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
