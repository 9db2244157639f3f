package site

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"wumen/site/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// chromePath finds the Chromium the end-to-end tests drive. A missing
// browser fails the tests (CI installs it); $WUMEN_CHROME overrides.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("WUMEN_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// browser starts headless Chromium (one at a time across test processes)
// with a fresh profile and software WebGL.
func browser(t *testing.T) (context.Context, context.CancelFunc) {
	t.Helper()
	return browsertest.Start(t, 100*time.Second, 1280, 900), func() {}
}

func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(ctx context.Context, expr string) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	return err
}

// mapDrawn is true once the map has rendered at least one of Wumen's
// features (queried from the rendered style, not from the data).
const mapDrawn = `!!(window.wumenMap && window.wumenMap.isStyleLoaded() && window.wumenMap.queryRenderedFeatures().some(function (f) { return f.source === "wumen"; }))`

// text returns the text of the first node matching sel, once there is one
// (browsertest.Text).
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := browsertest.Text(ctx, sel)
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
//
// An evaluation that meets a page still swapping documents after a
// navigation fails with "Cannot find context with specified id" (the old
// document's JavaScript context is gone, the new one not yet announced); it
// is retried, for up to 5 s, in the new document.
func eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	for i := 0; i < 25 && err != nil && strings.Contains(err.Error(), "Cannot find context"); i++ {
		time.Sleep(200 * time.Millisecond)
		v, err = chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	}
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// do runs steps, failing the test on the first error.
func do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// findShantang types "shantang" into the home page's search box, picks
// 山塘街 from the suggestions and checks its page.
func findShantang(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx, "autocomplete",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#qhome`),
		chromedp.SendKeys(`#qhome`, "shantang"),
		chromedp.WaitVisible(`#qhome-list a`),
	)
	// The list is redrawn as each keystroke's answer arrives: wait for the
	// answer to the whole word, not the first that came back ("s", "sha").
	first := `(document.querySelector("#qhome-list li:first-child .name") || {}).textContent`
	if err := waitJS(ctx, first+` === "山塘街"`); err != nil {
		t.Fatalf("first suggestion %q, want 山塘街", eval[string](t, ctx, first+` || ""`))
	}
	do(t, ctx, "choose 山塘街", chromedp.Click(`#qhome-list li:first-child a`), chromedp.WaitVisible(`h1.standard-name`))
	pinyin := text(t, ctx, `.place-head .pinyin`)
	history := text(t, ctx, `.place-main`)
	url := eval[string](t, ctx, `location.href`)
	if !strings.Contains(pinyin, "Shāntáng Jiē") || !strings.Contains(history, "白居易") || !strings.Contains(history, "待核实") {
		t.Errorf("place page shows pinyin %q, history %q", pinyin, history)
	}
	if !strings.Contains(url, "/place/51/shantang-jie") {
		t.Errorf("landed on %s", url)
	}
}

func TestBrowser(t *testing.T) {
	browsertest.SkipShort(t)
	live := httptest.NewServer(newServer(t, nil).Handler())
	defer live.Close()
	static := staticSite(t)
	art := artifactDir(t)
	ctx, cancel := browser(t)
	defer cancel()

	t.Run("search to place", func(t *testing.T) {
		findShantang(t, ctx, live.URL)
		do(t, ctx, "home", chromedp.Navigate(live.URL+"/"), chromedp.SendKeys(`#qhome`, "shantang"), chromedp.WaitVisible(`#qhome-list a`))
		shot(t, ctx, art, "home.png")
		do(t, ctx, "place", chromedp.Navigate(live.URL+"/place/51/shantang-jie"))
		if err := waitJS(ctx, mapDrawn); err != nil {
			t.Errorf("place map never drew a feature: %v", err)
		}
		shot(t, ctx, art, "place.png")
	})

	t.Run("english visitor", func(t *testing.T) { visitInEnglish(t, ctx, live.URL, art) })

	t.Run("map", func(t *testing.T) {
		do(t, ctx, "map", chromedp.Navigate(live.URL+"/map"))
		if err := waitJS(ctx, mapDrawn); err != nil {
			t.Fatalf("map never drew a feature: %v", err)
		}
		layers := eval[[]string](t, ctx, `Array.from(new Set(window.wumenMap.queryRenderedFeatures().map(function (f) { return f.sourceLayer; })))`)
		if len(layers) == 0 {
			t.Error("no rendered source layers")
		}
		t.Logf("rendered layers: %v", layers)
		shot(t, ctx, art, "map.png")
	})

	t.Run("large text", func(t *testing.T) {
		do(t, ctx, "toggle", chromedp.Navigate(live.URL+"/about"), chromedp.WaitVisible(`#a11y-toggle`), chromedp.Click(`#a11y-toggle`),
			chromedp.Navigate(live.URL+"/walks"), chromedp.WaitVisible(`#a11y-toggle`))
		on := eval[bool](t, ctx, `document.documentElement.classList.contains("a11y-large")`)
		size := eval[string](t, ctx, `getComputedStyle(document.documentElement).fontSize`)
		pressed := eval[string](t, ctx, `document.getElementById("a11y-toggle").getAttribute("aria-pressed")`)
		if !on || size != "24px" || pressed != "true" {
			t.Errorf("large text after reload: class %v, font-size %s, aria-pressed %s", on, size, pressed)
		}
		shot(t, ctx, art, "large-text.png")
		do(t, ctx, "toggle off", chromedp.Click(`#a11y-toggle`))
	})

	t.Run("english", func(t *testing.T) {
		do(t, ctx, "switch", chromedp.Navigate(live.URL+"/place/51/shantang-jie"), chromedp.WaitVisible(`#lang-switch`),
			chromedp.Click(`#lang-switch`), chromedp.WaitVisible(`html[lang="en"] h1`))
		if h := text(t, ctx, `#h-names`); h != "Names through time" {
			t.Errorf("English heading %q", h)
		}
		// The choice persists: a Chinese address now leads to English.
		do(t, ctx, "persist", chromedp.Navigate(live.URL+"/walks"), chromedp.WaitVisible(`html[lang="en"] h1`))
		if url := eval[string](t, ctx, `location.href`); !strings.HasSuffix(url, "/en/walks") {
			t.Errorf("language choice not kept: %s", url)
		}
		do(t, ctx, "back to Chinese", chromedp.Click(`#lang-switch`), chromedp.WaitVisible(`html[lang="zh-Hans"] h1`))
	})

	t.Run("walk", func(t *testing.T) {
		do(t, ctx, "walk", chromedp.Navigate(live.URL+"/walk/qili-shantang"), chromedp.WaitVisible(`ol.stops`))
		if n := eval[int](t, ctx, `document.querySelectorAll("ol.stops > li").length`); n < 2 {
			t.Errorf("%d stops", n)
		}
		if err := waitJS(ctx, `!!(window.wumenMap && window.wumenMap.getLayer("route-line") && window.wumenMap.queryRenderedFeatures({layers: ["route-line"]}).length > 0)`); err != nil {
			t.Errorf("walk route never drawn: %v", err)
		}
		shot(t, ctx, art, "walk.png")
	})

	t.Run("static build", func(t *testing.T) {
		findShantang(t, ctx, static.URL)
		if err := waitJS(ctx, mapDrawn); err != nil {
			t.Errorf("static place map never drew a feature from the PMTiles archive: %v", err)
		}
		shot(t, ctx, art, "static-place.png")
		do(t, ctx, "A–Z", chromedp.Navigate(static.URL+"/browse/az/S/"), chromedp.WaitVisible(`ul.entries`))
		if n := eval[int](t, ctx, `document.querySelectorAll("ul.entries a").length`); n == 0 {
			t.Error("static A–Z list is empty")
		}
	})
}

// visitInEnglish searches as an English-speaking visitor does: "tiger hill"
// typed on the English home page suggests Tiger Hill by its English name;
// its page leads with it, with 虎丘 and its pinyin beside; a misspelt
// garden and "Shantang street" find their places; a walk marks what is in
// Chinese only.
func visitInEnglish(t *testing.T, ctx context.Context, base, art string) {
	do(t, ctx, "autocomplete in English",
		chromedp.Navigate(base+"/en/?stay=1"),
		chromedp.WaitVisible(`#qhome`),
		chromedp.SendKeys(`#qhome`, "tiger hill"),
		chromedp.WaitVisible(`#qhome-list a`),
	)
	if first := strings.TrimSpace(text(t, ctx, `#qhome-list li:first-child .english-name`)); first != "Tiger Hill" {
		t.Fatalf("first suggestion %q, want Tiger Hill", first)
	}
	do(t, ctx, "choose Tiger Hill", chromedp.Click(`#qhome-list li:first-child a`), chromedp.WaitVisible(`h1.english-name`))
	if h, zh, py := text(t, ctx, `h1.english-name`), text(t, ctx, `.place-head .standard-name`), text(t, ctx, `.place-head .pinyin`); h != "Tiger Hill" || zh != "虎丘" || !strings.Contains(py, "Hǔqiū") {
		t.Errorf("Tiger Hill's page leads with %q, characters %q, pinyin %q", h, zh, py)
	}
	if names := text(t, ctx, `#h-names + ol`); !strings.Contains(names, "established English name") || !strings.Contains(names, "china.org.cn") {
		t.Errorf("names list without the English name's kind and citation: %q", names)
	}
	shot(t, ctx, art, "english-place.png")
	for _, c := range []struct{ q, want string }{{"lingring garden", "Lingering Garden"}, {"humble adminstrator", "Humble Administrator's Garden"}} {
		do(t, ctx, "search "+c.q, chromedp.Navigate(base+"/en/search?stay=1&q="+strings.ReplaceAll(c.q, " ", "+")), chromedp.WaitVisible(`ol.results li`))
		if got := strings.TrimSpace(text(t, ctx, `ol.results li:first-child .english-name`)); got != c.want {
			t.Errorf("%q: first result %q, want %q", c.q, got, c.want)
		}
	}
	do(t, ctx, "Shantang street", chromedp.Navigate(base+"/en/search?stay=1&q=Shantang+street"), chromedp.WaitVisible(`ol.results li`))
	if got := text(t, ctx, `ol.results li:first-child .name`); got != "山塘街" {
		t.Errorf("Shantang street: first result %q, want 山塘街", got)
	}
	do(t, ctx, "walk in English", chromedp.Navigate(base+"/en/walk/qili-shantang?stay=1"), chromedp.WaitVisible(`ol.stops`))
	if n := eval[int](t, ctx, `document.querySelectorAll("ol.stops .zh-only").length`); n == 0 {
		t.Error("the English walk marks nothing as Chinese only")
	}
	if d := eval[string](t, ctx, `(document.querySelector("ol.stops .description") || {}).textContent || ""`); !strings.Contains(d, "(river)") && !strings.Contains(d, "(tomb)") {
		t.Errorf("the English walk describes no stop by GB/T 30240: %q", d)
	}
	// The English map: a click on Tiger Hill opens a card that leads with
	// its English name, the characters beside it.
	do(t, ctx, "English map", chromedp.Navigate(base+"/en/map?stay=1&lat=31.332118&lon=120.5751805"), chromedp.WaitVisible(`#map`))
	if err := waitJS(ctx, mapDrawn); err != nil {
		t.Fatalf("the English map never drew a feature: %v", err)
	}
	xy := eval[[]float64](t, ctx, `(function () { var m = window.wumenMap, r = m.getCanvas().getBoundingClientRect(), p = m.project([120.5751805, 31.332118]);
		return [r.left + p.x, r.top + p.y]; })()`)
	do(t, ctx, "click Tiger Hill", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(`#map-card`))
	card := eval[[]string](t, ctx, `(function () { var c = document.getElementById("map-card");
		return [(c.querySelector(".english-name") || {}).textContent || "", (c.querySelector(".name") || {}).textContent || ""]; })()`)
	if len(card) != 2 || card[0] != "Tiger Hill" || card[1] != "虎丘" {
		t.Errorf("the English map's card for Tiger Hill reads %q, want Tiger Hill and 虎丘", card)
	}
	shot(t, ctx, art, "english-map.png")
}
