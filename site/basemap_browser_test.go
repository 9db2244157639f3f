package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/site/internal/browsertest"
)

// builtSite is a static build of the fixture store, made once per test
// binary in the package's scratch folder (removed by TestMain).
type builtSite struct {
	once sync.Once
	dir  string
	err  error
}

var builtSites = map[string]*builtSite{"static": {}, "static-search": {}}

// serveBuilt builds the static site called name once, with the Config cfg
// returns, and serves it with a plain file server.
func serveBuilt(t testing.TB, name string, cfg func() Config) *httptest.Server {
	t.Helper()
	browsertest.SkipShort(t) // a whole static build, for the browser tests only
	b := builtSites[name]
	b.once.Do(func() {
		b.dir = filepath.Join(scratch, name)
		_, b.err = Build(context.Background(), cfg(), b.dir, BuildOptions{})
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(b.dir)))
	t.Cleanup(srv.Close)
	return srv
}

// staticSite builds the static site of the fixture store once for the
// browser tests and serves it. Its search page calls an API server started
// with it, which lives as long as the test binary.
func staticSite(t *testing.T) *httptest.Server {
	t.Helper()
	st, _ := fixture(t)
	return serveBuilt(t, "static", func() Config {
		api := httptest.NewServer(newServer(t, nil).Handler())
		return Config{Store: st, Logger: quietLog(), APIBase: api.URL}
	})
}

// rgb parses "#rrggbb".
func rgb(t *testing.T, hex string) [3]int {
	t.Helper()
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	return [3]int{int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)}
}

// share returns the fraction of the image's pixels within tol (per
// channel) of each colour.
func share(img image.Image, tol int, colours ...[3]int) []float64 {
	b := img.Bounds()
	counts := make([]int, len(colours))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			px := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
			for i, c := range colours {
				if abs(px[0]-c[0]) <= tol && abs(px[1]-c[1]) <= tol && abs(px[2]-c[2]) <= tol {
					counts[i]++
				}
			}
		}
	}
	out := make([]float64, len(colours))
	n := float64(b.Dx() * b.Dy())
	for i, c := range counts {
		out[i] = float64(c) / n
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// mapIdle is true once the map has loaded its style and every tile of the
// view and finished moving.
const mapIdle = `!!(window.wumenMap && window.wumenMap.loaded() && window.wumenMap.areTilesLoaded() && !window.wumenMap.isMoving())`

// stableViewport takes viewport screenshots until two a second apart are
// the same (SwiftShader on a busy machine may still be drawing) and returns
// the last, as PNG. A viewport capture does not resize the page, as an
// element capture beyond the viewport does (which redraws the map).
func stableViewport(t *testing.T, ctx context.Context, name string) []byte {
	t.Helper()
	var last []byte
	for range 20 {
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("%s: screenshot: %v", name, err)
		}
		if bytes.Equal(buf, last) {
			return buf
		}
		last = buf
		time.Sleep(time.Second)
	}
	t.Fatalf("%s: the map kept changing for 20 s", name)
	return nil
}

// stableShot is the map's part of a stable viewport screenshot, as PNG.
func stableShot(t *testing.T, ctx context.Context, name string) []byte {
	t.Helper()
	buf := stableViewport(t, ctx, name)
	r := eval[[]float64](t, ctx, `(function () { var r = document.getElementById("map").getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()`)
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	scale := float64(img.Bounds().Dx()) / eval[float64](t, ctx, `window.innerWidth`)
	crop := image.Rect(int(r[0]*scale)+2, int(r[1]*scale)+2, int(r[2]*scale)-2, int(r[3]*scale)-2).Intersect(img.Bounds())
	if crop.Dy() < 200 {
		t.Fatalf("%s: the map shows only %v of the viewport", name, crop)
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(crop)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// basemapView is one screenshot: where, at what zoom, and the least share
// of the map's pixels that must be water.
type basemapView struct {
	name     string
	lon, lat float64
	zoom     int
	minWater float64
}

// basemapViews: the old city, centred on its south moat where the Grand
// Canal of the WDB rivers runs (the sources have no smaller old-city
// waters), and 太湖 at the north shore of 西山岛 (the shore nearest to
// 120.2,31.2, so both lake and land are in view at z15), at z9, z12, z15.
var basemapViews = []basemapView{
	{"oldcity", 120.62, 31.289, 9, 0.05},
	{"oldcity", 120.62, 31.289, 12, 0.003},
	{"oldcity", 120.62, 31.289, 15, 0.01},
	{"taihu", 120.253, 31.139, 9, 0.10},
	{"taihu", 120.253, 31.139, 12, 0.10},
	{"taihu", 120.253, 31.139, 15, 0.10},
}

// TestBrowserBasemap takes screenshots of the map over the old city and
// 太湖 at z9, z12 and z15 in both styles, from the server's tiles and from
// the static build's PMTiles, and counts the pixels of the style's land and
// water colours in each. Each view is a fresh page load (the URL hash sets
// the view; the saved large-text preference picks the style); at the end
// the page's large-text toggle must switch a loaded map's style.
func TestBrowserBasemap(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: the basemap screenshots take minutes of Chromium")
	}
	live := httptest.NewServer(newServer(t, nil).Handler())
	defer live.Close()
	static := staticSite(t)
	art := artifactDir(t)
	ctx := browsertest.Start(t, 500*time.Second, 1280, 900)
	served := map[string][]float64{} // the server's shares by view, which the static build must match
	for _, site := range []struct{ name, url string }{{"server", live.URL}, {"static", static.URL}} {
		for _, theme := range []string{"normal", "large"} {
			th := mapThemes[theme]
			land, water := rgb(t, th.Land), rgb(t, th.Water)
			large := map[bool]string{true: "1", false: "0"}[theme == "large"]
			do(t, ctx, "prefs", chromedp.Navigate(site.url+"/"))
			eval[bool](t, ctx, `(localStorage.setItem("wumen-large", "`+large+`"), true)`)
			for _, v := range basemapViews {
				if site.name == "static" && v.zoom == 12 {
					continue // the static build is checked at z9 and z15
				}
				view := fmt.Sprintf("map-%s-%s-z%d", theme, v.name, v.zoom)
				name := view
				if site.name == "static" {
					name += "-static"
				}
				openMap(t, ctx, site.url, name, v.zoom, orb.Point{v.lon, v.lat})
				if got := eval[string](t, ctx, `window.wumenMap.getStyle().name`); got != "Wumen "+theme+" (zh)" {
					t.Errorf("%s: style %q", name, got)
				}
				buf := stableShot(t, ctx, name)
				if err := os.WriteFile(filepath.Join(art, name+".png"), buf, 0o644); err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(bytes.NewReader(buf))
				if err != nil {
					t.Fatal(err)
				}
				s := share(img, 6, land, water, rgb(t, th.Outside), rgb(t, "#eef1ec"))
				t.Logf("%s: land %.1f%%, water %.1f%%, outside %.1f%%, old grey %.1f%%", name, 100*s[0], 100*s[1], 100*s[2], 100*s[3])
				// The map page's map is the page's width and 70% of the
				// viewport's height (site.css .map-full), all of it in the shot.
				if b, vh := img.Bounds(), eval[float64](t, ctx, `window.innerHeight`); b.Dx() < 1200 || float64(b.Dy()) < 0.69*vh-4 {
					t.Errorf("%s: the map shot is %d×%d pixels, want ≥ 1200 wide and 70%% of the %.0f-pixel viewport high", name, b.Dx(), b.Dy(), vh)
				}
				// A blank map (no basemap drawn) is the background colour, the
				// old map's grey or the outside colour of this one.
				if s[2] > 0.5 || s[3] > 0.5 {
					t.Errorf("%s: %.0f%% of the map is background (%s) and %.0f%% the old blank grey, want neither the majority", name, 100*s[2], th.Outside, 100*s[3])
				}
				s = s[:2]
				if s[0] < 0.05 {
					t.Errorf("%s: %.2f%% of the map is the land colour %s, want ≥ 5%%", name, 100*s[0], th.Land)
				}
				if s[1] < v.minWater {
					t.Errorf("%s: %.2f%% of the map is the water colour %s, want ≥ %.1f%%", name, 100*s[1], th.Water, 100*v.minWater)
				}
				if site.name == "server" {
					served[view] = s
				} else if w := served[view]; math.Abs(w[0]-s[0]) > 0.01 || math.Abs(w[1]-s[1]) > 0.01 {
					t.Errorf("%s: the static build's PMTiles draw land %.1f%% and water %.1f%%, the server's tiles %.1f%% and %.1f%%",
						view, 100*s[0], 100*s[1], 100*w[0], 100*w[1])
				}
			}
		}
		eval[bool](t, ctx, `(localStorage.removeItem("wumen-large"), true)`)
	}
	// The toggle switches a loaded map to the high-contrast style and back.
	do(t, ctx, "toggle", chromedp.Navigate(live.URL+"/map"), chromedp.WaitVisible(`#a11y-toggle`))
	for _, theme := range []string{"large", "normal"} {
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(window.wumenMap && window.wumenMap.loaded())`, chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(90*time.Second))); err != nil {
			t.Fatalf("no map: %v", err)
		}
		do(t, ctx, "large-text toggle", chromedp.Click(`#a11y-toggle`))
		want := fmt.Sprintf(`window.wumenMap.getStyle().name === "Wumen %s (zh)"`, theme)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](want, chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Errorf("after the large-text toggle the map's style is %q, want %s", eval[string](t, ctx, `window.wumenMap.getStyle().name`), theme)
		}
	}
}
