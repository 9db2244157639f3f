package site

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/data"
	"wumen/gazetteer/tileset"
	"wumen/gazetteer/tileset/osmbasemap"
	"wumen/geo/osm/osmtest"
	"wumen/site/internal/browsertest"
)

// The fixture extract's objects the screenshots look for, as its nodes lie
// (geo/osm/testdata/oldcity.osm: approximate test shapes, see its README).
var (
	fixturePingjiangLu = orb.LineString{{120.62965, 31.3128}, {120.62972, 31.3145}, {120.62985, 31.3162}, {120.6299, 31.317},
		{120.62998, 31.3185}, {120.63005, 31.3199}, {120.63008, 31.3205}, {120.63008, 31.32053}, {120.63012, 31.322}, {120.6302, 31.3232}}
	fixtureLujiaXiang   = orb.LineString{{120.6308, 31.319}, {120.6325, 31.31905}, {120.634, 31.3191}}
	fixturePingjiangHe  = orb.LineString{{120.62995, 31.3127}, {120.63002, 31.315}, {120.6302, 31.318}, {120.63035, 31.3205}, {120.63048, 31.3233}}
	fixtureJinjiHuInner = orb.Point{120.705, 31.309} // inside 金鸡湖's outer ring, away from its island
)

// osmBasemap builds the street basemap from the committed fixture extract
// (as PBF, converted by osmium-tool as an office's download would be) the
// way `wumen basemap build` does, and opens it as the site's overlay.
func osmBasemap(t *testing.T) *tileset.Overlay {
	t.Helper()
	pbf := osmtest.PBF(t, filepath.Join("..", "geo", "osm", "testdata", "oldcity.osm"))
	rules, _ := data.FS.ReadFile("osm_basemap.tsv")
	names, _ := data.FS.ReadFile("osm_names.tsv")
	table, err := osmbasemap.ParseTable(rules, "osm_basemap.tsv", names, "osm_names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "basemap.pmtiles")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := osmbasemap.Build(context.Background(), pbf, table, f, osmbasemap.Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ov, err := tileset.OpenOverlay(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ov.Close() })
	return ov
}

// openMap loads the map page at a view, waits until it has drawn and
// scrolls the whole map, not only the part above the fold, into view.
func openMap(t *testing.T, ctx context.Context, base, name string, zoom int, p orb.Point) {
	t.Helper()
	do(t, ctx, name, chromedp.Navigate(fmt.Sprintf("%s/map?v=%s#%d/%.5f/%.5f", base, name, zoom, p[1], p[0])))
	poll := func() error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](mapIdle, chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(90*time.Second)))
		return err
	}
	err := poll()
	for i := 0; i < 5 && err != nil && strings.Contains(err.Error(), "Cannot find context"); i++ {
		time.Sleep(200 * time.Millisecond) // the new document's context is not announced yet (see eval)
		err = poll()
	}
	if err != nil {
		t.Fatalf("%s: the map never finished drawing (%s): %v", name, eval[string](t, ctx, `String(window.wumenMap && window.wumenMap.wumenMapError || window.wumenMapError || "")`), err)
	}
	eval[bool](t, ctx, `(document.getElementById("map").scrollIntoView({block: "end"}), true)`)
}

// hidePlaces hides the style's layers of places and clusters, so that a
// screenshot shows the basemap alone: in the old city at z16 the
// translucent circles of the many estimated positions overlap and tint
// every pixel, and the basemap's colours are what is checked.
func hidePlaces(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	eval[bool](t, ctx, `(function () {
		var m = window.wumenMap;
		m.getStyle().layers.forEach(function (l) {
			if (l["source-layer"] === "places" || l["source-layer"] === "clusters") m.setLayoutProperty(l.id, "visibility", "none");
		});
		return true;
	})()`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](mapIdle, chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("%s: the map never finished drawing without its places: %v", name, err)
	}
}

// alongShare screenshots the viewport and returns the share of points along
// line (one every ~8 screen pixels, inside the map) at which a pixel of
// colour c (within tol) lies within 2 pixels.
func alongShare(t *testing.T, ctx context.Context, name, art string, line orb.LineString, c [3]int) float64 {
	t.Helper()
	buf := stableViewport(t, ctx, name)
	if err := os.WriteFile(filepath.Join(art, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	scale := float64(img.Bounds().Dx()) / eval[float64](t, ctx, `window.innerWidth`)
	coords, _ := json.Marshal(line)
	// Screen positions (viewport CSS pixels) every 8 pixels along the line,
	// kept where they fall inside the map element.
	pts := eval[[][2]float64](t, ctx, `(function (line) {
		var m = window.wumenMap, r = document.getElementById("map").getBoundingClientRect(), out = [];
		for (var i = 0; i + 1 < line.length; i++) {
			var a = m.project(line[i]), b = m.project(line[i + 1]);
			var n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 8));
			for (var k = 0; k < n; k++) {
				var x = a.x + (b.x - a.x) * k / n, y = a.y + (b.y - a.y) * k / n;
				if (x > 4 && y > 4 && x < r.width - 4 && y < r.height - 4) out.push([r.left + x, r.top + y]);
			}
		}
		return out;
	})(`+string(coords)+`)`)
	if len(pts) < 10 {
		t.Fatalf("%s: only %d points of the line are in view", name, len(pts))
	}
	hit := 0
	for _, p := range pts {
		if near(img, int(p[0]*scale), int(p[1]*scale), 2, 6, c) {
			hit++
		}
	}
	return float64(hit) / float64(len(pts))
}

// near reports whether a pixel within r of x,y has colour c (within tol).
func near(img image.Image, x, y, r, tol int, c [3]int) bool {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			cr, cg, cb, _ := img.At(x+dx, y+dy).RGBA()
			if abs(int(cr>>8)-c[0]) <= tol && abs(int(cg>>8)-c[1]) <= tol && abs(int(cb>>8)-c[2]) <= tol {
				return true
			}
		}
	}
	return false
}

// TestBrowserOSMBasemap builds the street basemap from the fixture extract,
// serves it over the shipped basemap, and checks by pixel at z16 that the
// map draws the extract's streets (平江路 and 菉葭巷 in the style's street
// colour), its canal (平江河 in the water colour) — with the places hidden
// (hidePlaces) — and its lake (金鸡湖, places shown), in both styles; that the same points are plain land on a site without the
// street basemap; that the low-zoom map still shows the shipped basemap;
// and that the ODbL notice is in the TileJSON and on the map.
func TestBrowserOSMBasemap(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: the basemap screenshots take minutes of Chromium")
	}
	ov := osmBasemap(t)
	h := newServer(t, func(c *Config) { c.OSMBasemap = ov }).Handler()
	with := httptest.NewServer(h)
	defer with.Close()
	without := httptest.NewServer(newServer(t, nil).Handler())
	defer without.Close()
	// The notice of the archive's metadata reaches the TileJSON.
	var tj struct{ Attribution string }
	if err := json.Unmarshal([]byte(get(t, h, "/tiles.json").body), &tj); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tj.Attribution, osmbasemap.Attribution) {
		t.Errorf("/tiles.json attribution %q lacks the street basemap's %q", tj.Attribution, osmbasemap.Attribution)
	}
	art := artifactDir(t)
	ctx := browsertest.Start(t, 400*time.Second, 1280, 900)
	centre := orb.Point{120.6302, 31.3180}
	for _, theme := range []string{"normal", "large"} {
		th := mapThemes[theme]
		large := map[bool]string{true: "1", false: "0"}[theme == "large"]
		do(t, ctx, "prefs", chromedp.Navigate(with.URL+"/"))
		eval[bool](t, ctx, `(localStorage.setItem("wumen-large", "`+large+`"), true)`)
		name := "osm-" + theme + "-oldcity-z16"
		openMap(t, ctx, with.URL, name, 16, centre)
		hidePlaces(t, ctx, name)
		street := alongShare(t, ctx, name, art, fixturePingjiangLu, rgb(t, th.Street))
		lane := alongShare(t, ctx, name, art, fixtureLujiaXiang, rgb(t, th.Street))
		canal := alongShare(t, ctx, name, art, fixturePingjiangHe, rgb(t, th.Water))
		t.Logf("%s: street colour along 平江路 %.0f%%, 菉葭巷 %.0f%%; water colour along 平江河 %.0f%%", name, 100*street, 100*lane, 100*canal)
		for what, v := range map[string]float64{"平江路 in the street colour " + th.Street: street, "菉葭巷 in the street colour " + th.Street: lane,
			"平江河 in the water colour " + th.Water: canal} {
			if v < 0.7 {
				t.Errorf("%s: %.0f%% of the points along %s, want ≥ 70%%", name, 100*v, what)
			}
		}
		attr := eval[string](t, ctx, `(document.querySelector(".maplibregl-ctrl-attrib-inner") || {}).textContent || ""`)
		if !strings.Contains(attr, "OpenStreetMap contributors (ODbL 1.0") || !strings.Contains(attr, "street basemap") {
			t.Errorf("%s: the map's attribution %q lacks the street basemap's ODbL notice", name, attr)
		}
	}
	eval[bool](t, ctx, `(localStorage.removeItem("wumen-large"), true)`)
	th := mapThemes["normal"]
	// Inside the lake, the map is water.
	openMap(t, ctx, with.URL, "osm-normal-jinjihu-z16", 16, fixtureJinjiHuInner)
	lake := stableShot(t, ctx, "osm-normal-jinjihu-z16")
	os.WriteFile(filepath.Join(art, "osm-normal-jinjihu-z16.png"), lake, 0o644)
	img, err := png.Decode(bytes.NewReader(lake))
	if err != nil {
		t.Fatal(err)
	}
	if s := share(img, 6, rgb(t, th.Water)); s[0] < 0.8 {
		t.Errorf("inside 金鸡湖 at z16: %.0f%% of the map is the water colour %s, want ≥ 80%%", 100*s[0], th.Water)
	}
	// Without the street basemap the same points are land: the colours
	// above come from the extract.
	name := "osm-none-oldcity-z16"
	openMap(t, ctx, without.URL, name, 16, centre)
	hidePlaces(t, ctx, name)
	street := alongShare(t, ctx, name, art, fixturePingjiangLu, rgb(t, th.Street))
	canal := alongShare(t, ctx, name, art, fixturePingjiangHe, rgb(t, th.Water))
	t.Logf("%s: street colour along 平江路 %.0f%%, water colour along 平江河 %.0f%%", name, 100*street, 100*canal)
	if street > 0.3 || canal > 0.3 {
		t.Errorf("%s: without the street basemap %.0f%% of 平江路 is street-coloured and %.0f%% of 平江河 water-coloured, want neither drawn", name, 100*street, 100*canal)
	}
	// At low zoom the shipped basemap (GSHHG land and water) still draws.
	name = "osm-normal-oldcity-z9"
	openMap(t, ctx, with.URL, name, 9, orb.Point{120.62, 31.289})
	low, err := png.Decode(bytes.NewReader(stableShot(t, ctx, name)))
	if err != nil {
		t.Fatal(err)
	}
	if s := share(low, 6, rgb(t, th.Land), rgb(t, th.Water)); s[0] < 0.05 || s[1] < 0.05 {
		t.Errorf("%s: land %.1f%%, water %.1f%%, want ≥ 5%% each (the shipped basemap)", name, 100*s[0], 100*s[1])
	}
}
