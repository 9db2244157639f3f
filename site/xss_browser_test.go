package site

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/search"
	"wumen/site/internal/browsertest"
)

// xssPayloads are 40 attacks from the usual filter-evasion lists: tags,
// event handlers, attribute and script break-outs, javascript: URLs,
// template and encoding tricks. Every element a payload would create carries
// data-xss, and every script it would run sets window.__xss, so a page is
// safe when neither appears.
var xssPayloads = []string{
	`<script data-xss>window.__xss=1</script>`,
	`<img data-xss src=x onerror="window.__xss=1">`,
	`<svg data-xss onload="window.__xss=1">`,
	`"><img data-xss src=x onerror=window.__xss=1>`,
	`'><svg data-xss/onload=window.__xss=1>`,
	`</title><script data-xss>window.__xss=1</script>`,
	`</textarea><img data-xss src=x onerror=window.__xss=1>`,
	`<iframe data-xss src="javascript:window.top.__xss=1"></iframe>`,
	`<a data-xss href="javascript:window.__xss=1">x</a>`,
	`javascript:window.__xss=1`,
	`<body data-xss onload=window.__xss=1>`,
	`<details data-xss open ontoggle=window.__xss=1>`,
	`<math><mtext><table><mglyph><style><img data-xss src=x onerror=window.__xss=1>`,
	`<noscript><p title="</noscript><img data-xss src=x onerror=window.__xss=1>">`,
	`{{constructor.constructor('window.__xss=1')()}}`,
	"${window.__xss=1}`",
	`\u003cimg data-xss src=x onerror=window.__xss=1\u003e`,
	`</script><script data-xss>window.__xss=1</script>`,
	`<!--<img data-xss src=x onerror=window.__xss=1>-->`,
	`<style>@import'javascript:window.__xss=1'</style><b data-xss>`,
	`<object data-xss data="javascript:window.__xss=1"></object>`,
	`<embed data-xss src="javascript:window.__xss=1">`,
	`<form data-xss action="javascript:window.__xss=1"><button>x</button></form>`,
	`<input data-xss autofocus onfocus=window.__xss=1>`,
	`<video data-xss><source onerror=window.__xss=1></video>`,
	`<audio data-xss src=x onerror=window.__xss=1>`,
	`<marquee data-xss onstart=window.__xss=1>`,
	`<select data-xss autofocus onfocus=window.__xss=1>`,
	`<base data-xss href="javascript:/">`,
	`<meta data-xss http-equiv="refresh" content="0;url=javascript:window.__xss=1">`,
	`<link data-xss rel=preload href=data:text/html,x>`,
	`" onmouseover="window.__xss=1" data-xss="`,
	`' onfocus='window.__xss=1' autofocus data-xss='`,
	"`><img data-xss src=x onerror=window.__xss=1>",
	`<IMG DATA-XSS SRC=x ONERROR=window.__xss=1>`,
	`<img data-xss src=x onerror=&#119;indow.__xss=1>`,
	`<scr<script>ipt data-xss>window.__xss=1</scr</script>ipt>`,
	`%3Cimg%20data-xss%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E`,
	`<svg><a data-xss xlink:href="javascript:window.__xss=1"><text>x</text></a></svg>`,
	`<div data-xss style="background:url(javascript:window.__xss=1)">`,
}

// TestBrowserXSSBattery puts each payload into a place's name, alias,
// meaning and citation, and into the search box and the search URL, and
// loads in Chromium every page that shows them: the place page in Chinese
// and English, the search results, the autocomplete list. No page may hold
// an element a payload made or have run its script.
func TestBrowserXSSBattery(t *testing.T) {
	browsertest.SkipShort(t)
	if len(xssPayloads) != 40 {
		t.Fatalf("%d payloads, want 40", len(xssPayloads))
	}
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []int64
	for i, x := range xssPayloads {
		pt := orb.Point{120.60 + float64(i)*0.001, 31.30}
		p := &gazetteer.Place{ID: int64(996000 + i), Name: "测" + x, Category: gazetteer.Category{Class: "建筑物"},
			Status: gazetteer.StatusCurrent, Geometry: pt, Coord: &gazetteer.Coord{Method: "estimated", AccuracyM: 500},
			Names:   []gazetteer.Name{{Text: "别" + x, Kind: "alias", Script: "hans"}},
			Meaning: &gazetteer.Text{Text: "含义" + x, Source: "出处" + x}}
		if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "XSS battery"}); err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		ids = append(ids, p.ID)
	}
	ix, err := search.Build(filepath.Join(dir, "index"), func(fn func(*gazetteer.Place) error) error {
		return st.Each(ctx, gazetteer.Filter{}, fn)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := New(ctx, Config{Store: st, Index: ix, Logger: quietLog(), RateLimit: 1e6, Burst: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	live := httptest.NewServer(srv.Handler())
	defer live.Close()
	bctx := browsertest.Start(t, 400*time.Second, 1280, 900)

	// safe says what a loaded page let through, if anything.
	safe := func(what string) {
		t.Helper()
		got := eval[string](t, bctx, `(document.querySelector("[data-xss]") ? "an element " + document.querySelector("[data-xss]").outerHTML.slice(0, 120) : "") + (window.__xss ? " a script ran" : "")`)
		if got != "" {
			t.Errorf("%s: %s", what, got)
		}
	}
	for i, id := range ids {
		for _, lang := range []string{"", "/en"} {
			if lang == "/en" && i%4 != 0 {
				continue // English pages share the templates: every fourth payload
			}
			u := fmt.Sprintf("%s%s/place/%d", live.URL, lang, id)
			do(t, bctx, u, chromedp.Navigate(u), chromedp.WaitVisible(`h1`))
			if h1 := text(t, bctx, `h1`); !strings.Contains(h1, xssPayloads[i]) && lang == "" {
				t.Errorf("payload %d: the heading %q does not show the name as text", i, h1)
			}
			safe(fmt.Sprintf("payload %d, place page%s", i, lang))
		}
		u := live.URL + "/search?q=" + url.QueryEscape(xssPayloads[i])
		do(t, bctx, "search", chromedp.Navigate(u), chromedp.WaitVisible(`main`))
		safe(fmt.Sprintf("payload %d, search for it", i))
	}
	// The results list and the autocomplete list of all 40 places.
	for _, page := range []string{"/search?q=%E6%B5%8B", "/search?q=%E6%B5%8B&from=20", "/en/search?q=%E6%B5%8B"} {
		do(t, bctx, page, chromedp.Navigate(live.URL+page), chromedp.WaitVisible(`main`))
		safe("results " + page)
	}
	do(t, bctx, "autocomplete", chromedp.Navigate(live.URL+"/"), chromedp.WaitVisible(`#qhome`), chromedp.SendKeys(`#qhome`, "测"), chromedp.WaitVisible(`#qhome-list a`))
	if err := waitJS(bctx, `document.querySelectorAll("#qhome-list li").length >= 5`); err != nil {
		t.Errorf("the autocomplete list never filled: %v", err)
	}
	if got := eval[string](t, bctx, `document.querySelector("#qhome-list").textContent`); !strings.Contains(got, "<") {
		t.Errorf("the suggestions do not show the names as text: %q", got)
	}
	safe("autocomplete")
	if art := os.Getenv("WUMEN_ARTIFACTS"); art != "" {
		shot(t, bctx, artifactDir(t), "xss-autocomplete.png")
	}
}
