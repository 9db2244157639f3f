package site

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/sqlite"
	"wumen/site/internal/browsertest"
)

// loopbackSite serves a static build as a plain static host with gzip on
// does (gzipStatic) on a loopback port it keeps, so the server can be
// stopped (the network gone for the browser and its service worker alike)
// and started again at the same origin, possibly on another build. Every
// answer is Cache-Control: no-store, so nothing the tests see offline can
// come from the browser's HTTP cache: only the service worker's. sent
// counts the bytes of the bodies it sent.
type loopbackSite struct {
	t     *testing.T
	addr  string
	files atomic.Value // http.Handler: gzipStatic of the build served
	sent  atomic.Int64
	srv   *http.Server
	mu    sync.Mutex
	paths map[string]int // requests by path since forget
}

// requested says how often path was asked for since the last forget.
func (s *loopbackSite) requested(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[path]
}

// forget clears the requests counted by path.
func (s *loopbackSite) forget() {
	s.mu.Lock()
	s.paths = map[string]int{}
	s.mu.Unlock()
}

// countingWriter adds the body bytes written to n.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.n.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

// setDir serves the build in dir from now on.
func (s *loopbackSite) setDir(dir string) { s.files.Store(gzipStatic(dir)) }

func serveLoopback(t *testing.T, dir string) *loopbackSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &loopbackSite{t: t, addr: ln.Addr().String(), paths: map[string]int{}}
	s.setDir(dir)
	s.serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *loopbackSite) url() string { return "http://" + s.addr }

func (s *loopbackSite) serve(ln net.Listener) {
	s.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		s.mu.Lock()
		s.paths[r.URL.Path]++
		s.mu.Unlock()
		s.files.Load().(http.Handler).ServeHTTP(countingWriter{w, &s.sent}, r)
	})}
	go s.srv.Serve(ln)
}

// stop closes the listener and every connection, and checks that nothing
// answers at the address any more.
func (s *loopbackSite) stop() {
	s.t.Helper()
	if err := s.srv.Close(); err != nil {
		s.t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		s.t.Fatalf("%s still accepts connections after the server was stopped", s.addr)
	}
}

// start listens at the same address again.
func (s *loopbackSite) start() {
	s.t.Helper()
	ln, err := net.Listen("tcp", s.addr)
	for i := 0; err != nil && i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		ln, err = net.Listen("tcp", s.addr)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.serve(ln)
}

// readPrecache reads the /precache.json a build wrote.
func readPrecache(t *testing.T, dir string) *Precache {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "precache.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pc Precache
	if err := json.Unmarshal(b, &pc); err != nil {
		t.Fatalf("precache.json: %v", err)
	}
	return &pc
}

// offlineStatus is what the active service worker says of itself
// (site.js wumenOfflineStatus, sw.js status).
type offlineStatus struct {
	Version                  string
	Files, Missing           int
	Bytes                    int64
	ShellFiles, ShellMissing int
	ShellBytes               int64
	Asked, Saving            bool
}

// shellOf is the shell of build pc: the URLs the worker saves at install.
func shellOf(pc *Precache) []string {
	var us []string
	for _, f := range pc.Files {
		if f.Shell {
			us = append(us, f.URL)
		}
	}
	return us
}

// awaitShell waits (the page's wumenOffline promise, no sleeping) until the
// service worker of the page is active and has saved the shell of build pc,
// and returns its status.
func awaitShell(t *testing.T, ctx context.Context, pc *Precache) offlineStatus {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[offlineStatus](`window.wumenOffline`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("the service worker did not install: %v", err)
	}
	if st.Version != pc.Version || st.Files != len(pc.Files) || st.Bytes != pc.Bytes || st.ShellMissing != 0 ||
		st.ShellFiles != len(shellOf(pc)) || st.ShellBytes != pc.ShellBytes {
		t.Fatalf("the active worker says %+v; the build's precache.json is version %s, %d files, %d bytes, a shell of %d files, %d bytes",
			st, pc.Version, len(pc.Files), pc.Bytes, len(shellOf(pc)), pc.ShellBytes)
	}
	return st
}

// byName finds the elements of role with the accessible name name, as a
// screen reader would (Accessibility.queryAXTree).
func byName(role, name string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, n *chromedp.Node) ([]cdp.NodeID, error) {
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{NodeID: n.NodeID, AccessibleName: name, Role: role})
		if err != nil {
			return nil, err
		}
		var ids []cdp.BackendNodeID
		for _, a := range res.Nodes {
			if !a.Ignored && a.BackendDOMNodeID != 0 {
				ids = append(ids, a.BackendDOMNodeID)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		got, err := cdp.Call(ctx, t, dom.PushNodesByBackendIDsToFrontend, dom.PushNodesByBackendIDsToFrontendParams{BackendNodeIDs: ids})
		return got.NodeIDs, err
	})
}

// saveSite checks the size beside the page's "save the site for offline
// use" button, presses it (by its accessible name) and waits until the
// whole list of build pc is saved (awaitSaved).
func saveSite(t *testing.T, ctx context.Context, pc *Precache, msg func(lang, key string) string, lang string) offlineStatus {
	t.Helper()
	size := eval[string](t, ctx, `document.getElementById("offline-save-size").textContent`)
	if !strings.Contains(size, fmt.Sprintf("%.0f MB", float64(pc.Bytes)/1e6)) && !strings.Contains(size, fmt.Sprintf("%.1f MB", float64(pc.Bytes)/1e6)) {
		t.Errorf("the save button's size says %q; the full list is %d bytes", size, pc.Bytes)
	}
	do(t, ctx, "press "+msg(lang, "offline.save"), chromedp.Click("", byName("button", msg(lang, "offline.save"))))
	return awaitSaved(t, ctx, pc, msg, lang)
}

// awaitSaved waits until the page's save status line (role=status) says
// the whole list of build pc is saved, and the worker agrees.
func awaitSaved(t *testing.T, ctx context.Context, pc *Precache, msg func(lang, key string) string, lang string) offlineStatus {
	t.Helper()
	if role := eval[string](t, ctx, `document.getElementById("offline-save-status").getAttribute("role")`); role != "status" {
		t.Errorf("the save progress line's role is %q", role)
	}
	done := strings.ReplaceAll(msg(lang, "offline.save.done"), "{total}", fmt.Sprint(len(pc.Files)))
	awaitJS(t, ctx, "the site saved", `function () {
		return Promise.resolve(document.getElementById("offline-save-status").textContent === `+jsString(done)+`);
	}`)
	st, err := chromedp.Run(ctx, chromedp.Evaluate[offlineStatus](`window.wumenOfflineStatus()`, chromedp.EvalAwaitPromise))
	if err != nil || st.Missing != 0 || !st.Asked || st.Files != len(pc.Files) {
		t.Fatalf("after %q, the worker says %+v (%v), want all %d files saved", done, st, err, len(pc.Files))
	}
	return st
}

// firstVisitLight checks what a first visit to page left in the worker's
// cache without the visitor asking for more: the shell of build pc, the
// list and the page itself, and no search asset or map tile fetched.
func firstVisitLight(t *testing.T, ctx context.Context, site *loopbackSite, pc *Precache, page string) {
	t.Helper()
	for _, p := range []string{"/static/search/search.wasm", searchIndexPath, "/static/vendor/wasm_exec.js", "/tiles.pmtiles"} {
		if n := site.requested(p); n != 0 {
			t.Errorf("a first visit to %s fetched %s %d times, before any search or save", page, p, n)
		}
	}
	want := append(shellOf(pc), "/precache.json?v="+pc.Version, page)
	sort.Strings(want)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`caches.open(`+jsString("wumen-"+pc.Version)+`).then(function (c) { return c.keys(); }).then(function (ks) {
		return ks.map(function (k) { var u = new URL(k.url); return u.pathname + u.search; }).sort();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after a first visit to %s, the worker saved %d files:\n%s\nwant the shell, the list and the page (%d):\n%s",
			page, len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
}

// TestBrowserOffline installs the static site's service worker in Chromium
// from a plain file server on loopback: the first visit saves only the
// shell and the page visited (no search asset fetched). It then presses
// "save the site for offline use", waits until its status line says the
// whole list is saved, stops the server and then visits, with no server at all: a
// saved place page, a walk with its route, the search page answering a
// Chinese and a pinyin query from the saved WebAssembly search, the map
// drawing the old city from the saved PMTiles archive, and pages that were
// not saved (the offline page in their language). The offline banner (a
// role=status live region) shows while the site cannot be reached or the
// browser says it is offline, and goes away when it is back. The manifest
// must parse without errors and make the site installable.
func TestBrowserOffline(t *testing.T) {
	staticSearchSite(t).Close() // the static build without an API, made once
	dir := builtSites["static-search"].dir
	pc := readPrecache(t, dir)
	site := serveLoopback(t, dir)
	base := site.url()
	ctx := browsertest.Start(t, 5*time.Minute, 1280, 900)
	do(t, ctx, "home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#qhome`))
	st := awaitShell(t, ctx, pc)
	firstVisitLight(t, ctx, site, pc, "/")
	t.Logf("saved at install: the shell, %d files, %d B; a first visit (the home page) cost %d B with gzip",
		st.ShellFiles, st.ShellBytes, site.sent.Load())
	if st.ShellBytes > 200_000 {
		t.Errorf("the shell saved at install is %d B, more than 200 KB", st.ShellBytes)
	}
	manifestInstallable(t, ctx, base)
	srv := newServer(t, nil)
	msg := func(lang, key string) string { return srv.tmpl.msgs.get(lang, key) }
	sent := site.sent.Load()
	st = saveSite(t, ctx, pc, msg, langZH)
	t.Logf("saved for offline use when asked: %d files, %s (version %s); the server sent %d B with gzip from the press to the end",
		st.Files, formatBytes(float64(st.Bytes)), st.Version, site.sent.Load()-sent)
	if st.Bytes > 15_000_000 {
		t.Errorf("the full list is %s, more than 15 MB", formatBytes(float64(st.Bytes)))
	}
	if b := bannerText(t, ctx); b != "" {
		t.Errorf("online, the offline banner says %q", b)
	}

	site.stop()
	offlinePages(t, ctx, base)
	offlineSearch(t, ctx, base)
	offlineMap(t, ctx, base)
	notSaved(t, ctx, base, msg)
	if err := waitJS(ctx, `document.getElementById("offline-banner").textContent === `+jsString(msg(langEN, "offline.banner"))); err != nil {
		t.Errorf("offline, the English page's banner says %q, want %q", bannerText(t, ctx), msg(langEN, "offline.banner"))
	}
	offlineBanner(t, ctx, site, base, msg(langZH, "offline.banner"))
}

// offlinePages visits a saved place page and a walk page with the server
// stopped.
func offlinePages(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	do(t, ctx, "saved place page", chromedp.Navigate(base+"/place/51/shantang-jie"), chromedp.WaitVisible(`h1.standard-name`))
	if h := text(t, ctx, `h1.standard-name`); !strings.Contains(h, "山塘街") {
		t.Errorf("offline, the saved place page's heading is %q", h)
	}
	do(t, ctx, "a place's short address", chromedp.Navigate(base+"/place/51"), chromedp.WaitVisible(`h1.standard-name`))
	if h := text(t, ctx, `h1.standard-name`); !strings.Contains(h, "山塘街") {
		t.Errorf("offline, /place/51 shows %q", h)
	}
	do(t, ctx, "saved walk", chromedp.Navigate(base+"/en/walk/qili-shantang"), chromedp.WaitVisible(`h1`))
	if err := waitJS(ctx, `!!(window.wumenMap && window.wumenMap.getSource("route") && window.wumenMap.isSourceLoaded("route"))`); err != nil {
		t.Errorf("offline, the walk's route never loaded (%s)", eval[string](t, ctx, `String(window.wumenMapError || "")`))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("main a[href*='/place/']").length`); n < 3 {
		t.Errorf("offline, the walk page lists %d stops", n)
	}
}

// offlineSearch runs a Chinese and a pinyin query on the search page with
// the server stopped: the WebAssembly search and its index from the cache.
func offlineSearch(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	for _, c := range []struct{ q, first string }{{"拙政园", "拙政园"}, {"shantang", "山塘街"}, {"hu qiu", "虎丘"}} {
		do(t, ctx, "search "+c.q, chromedp.Navigate(base+"/search/?q="+c.q))
		if first := text(t, ctx, `#results[data-searched="1"] ol.results li:first-child .name`); first != c.first {
			t.Errorf("offline, the search page lists %q first for %q, want %s", first, c.q, c.first)
		}
	}
}

// offlineMap opens the map over the old city with the server stopped: its
// tiles are range requests the worker answers from the saved archive.
func offlineMap(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	openMap(t, ctx, base, "offline-oldcity", 15, orb.Point{120.62, 31.289}) // a basemapView
	places := eval[int](t, ctx, `window.wumenMap.queryRenderedFeatures({layers: ["place-point", "place-estimated", "place-line", "place-area"]}).length`)
	hidePlaces(t, ctx, "offline-oldcity")
	if e := eval[string](t, ctx, `String(window.wumenMapError || "")`); e != "" && !strings.Contains(e, "pbf") {
		t.Errorf("offline, the map reported errors: %s", e)
	}
	tiles := eval[[]int](t, ctx, `performance.getEntriesByType("resource").filter(function (e) { return /\/tiles\.pmtiles$/.test(e.name); }).map(function (e) { return e.responseStatus; })`)
	n206 := 0
	for _, s := range tiles {
		if s == http.StatusPartialContent {
			n206++
		}
	}
	if n206 < 3 || n206 != len(tiles) {
		t.Errorf("offline, the map's archive requests were answered %v, want at least 3, all 206", tiles)
	}
	land := eval[int](t, ctx, `window.wumenMap.queryRenderedFeatures({layers: ["land", "water"]}).length`)
	th := mapThemes["normal"]
	shot := stableShot(t, ctx, "offline-oldcity")
	if err := os.WriteFile(filepath.Join(artifactDir(t), "map-offline-oldcity.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	s := share(img, 6, rgb(t, th.Land), rgb(t, th.Water), rgb(t, th.Outside))
	t.Logf("offline map of the old city at z15: %d archive requests (206), %d land and water features and %d places drawn; land %.1f%%, water %.1f%%, background %.1f%% of the pixels (places hidden)",
		n206, land, places, 100*s[0], 100*s[1], 100*s[2])
	if land == 0 || places == 0 || s[0] < 0.05 || s[1] < 0.01 || s[2] > 0.5 {
		t.Errorf("offline, the map of the old city is not drawn: %d land and water features, %d places, land %.1f%%, water %.1f%%, background %.1f%%", land, places, 100*s[0], 100*s[1], 100*s[2])
	}
}

// notSaved visits place pages that were not saved (an administrative unit
// no walk stops at) in both languages: the offline page in each.
func notSaved(t *testing.T, ctx context.Context, base string, msg func(lang, key string) string) {
	t.Helper()
	p := unsavedPlace(t)
	for _, c := range []struct{ lang, path, htmlLang string }{{langZH, p, "zh-Hans"}, {langEN, "/en" + p, "en"}} {
		do(t, ctx, "not saved "+c.path, chromedp.Navigate(base+c.path), chromedp.WaitVisible(`main h1`))
		if h := text(t, ctx, `main h1`); h != msg(c.lang, "offline.title") {
			t.Errorf("offline, %s (not saved) shows %q, want the offline page %q", c.path, h, msg(c.lang, "offline.title"))
		}
		if l := eval[string](t, ctx, `document.documentElement.lang`); l != c.htmlLang {
			t.Errorf("offline, the offline page for %s is in %q, want %s", c.path, l, c.htmlLang)
		}
	}
}

// unsavedPlace is the page of a place the precache leaves out.
func unsavedPlace(t *testing.T) string {
	t.Helper()
	srv := newServer(t, nil)
	cat, err := srv.catalog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	walks, err := srv.store.Walks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string]bool{}
	for _, p := range offlinePagePaths(cat, walks) {
		saved[p] = true
	}
	for _, e := range cat.Entries {
		if !saved[e.Path] && strings.HasPrefix(e.Path, "/place/") {
			return e.Path
		}
	}
	t.Fatal("every place page is precached")
	return ""
}

// offlineBanner: with the server stopped the banner says it is offline;
// started again, the banner goes within its 5 s retry; and when the browser
// says it is offline (navigator.onLine false) it shows again, until online.
func offlineBanner(t *testing.T, ctx context.Context, site *loopbackSite, base, want string) {
	t.Helper()
	do(t, ctx, "saved home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#qhome`))
	wantBanner := `document.getElementById("offline-banner").textContent === ` + jsString(want)
	if err := waitJS(ctx, wantBanner); err != nil {
		t.Errorf("with the server stopped, the banner says %q, want %q", bannerText(t, ctx), want)
	}
	if role := eval[string](t, ctx, `document.getElementById("offline-banner").getAttribute("role")`); role != "status" {
		t.Errorf("the offline banner's role is %q", role)
	}
	if vis := eval[bool](t, ctx, `document.getElementById("offline-banner").getBoundingClientRect().height > 0`); !vis {
		t.Error("the offline banner has its text but is not shown")
	}
	site.start()
	if err := waitJS(ctx, `document.getElementById("offline-banner").textContent === ""`); err != nil {
		t.Errorf("with the server back, the banner still says %q", bannerText(t, ctx))
	}
	if vis := eval[bool](t, ctx, `document.getElementById("offline-banner").getBoundingClientRect().height > 0`); vis {
		t.Error("online, the empty banner takes space")
	}
	setOffline(t, ctx, true)
	if err := waitJS(ctx, wantBanner+` && navigator.onLine === false`); err != nil {
		t.Errorf("with navigator.onLine false, the banner says %q", bannerText(t, ctx))
	}
	setOffline(t, ctx, false)
	if err := waitJS(ctx, `document.getElementById("offline-banner").textContent === ""`); err != nil {
		t.Errorf("back online, the banner still says %q", bannerText(t, ctx))
	}
}

// setOffline has Chromium say it is offline or online (navigator.onLine
// and its events; Network.overrideNetworkState).
func setOffline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
}

func bannerText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.getElementById("offline-banner").textContent`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// manifestInstallable has Chromium parse the page's web app manifest
// (Page.getAppManifest) and say whether the site can be installed
// (Page.getInstallabilityErrors).
func manifestInstallable(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	m, err := chromedp.Call(ctx, cdppage.GetAppManifest, cdppage.GetAppManifestParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Errors {
		t.Errorf("%s:%d:%d: %s (critical %d)", m.URL, e.Line, e.Column, e.Message, e.Critical)
	}
	if m.Manifest == nil {
		t.Fatalf("no manifest parsed from %s", m.URL)
	}
	// What Chromium made of it, and the fields as written.
	p := m.Manifest
	if p.Name == "" || p.Display != "kStandalone" || p.ThemeColor != "rgba(122,31,31,1)" || p.StartURL != base+"/" || p.Scope != base+"/" {
		t.Errorf("manifest as parsed: name %q, display %q, theme colour %q, start %q, scope %q", p.Name, p.Display, p.ThemeColor, p.StartURL, p.Scope)
	}
	var raw struct {
		ShortName string `json:"short_name"`
	}
	if err := json.Unmarshal([]byte(m.Data), &raw); err != nil {
		t.Fatalf("%s: %v", m.URL, err)
	}
	if raw.ShortName == "" || len([]rune(raw.ShortName)) > 12 {
		t.Errorf("manifest short_name %q: want one of at most 12 characters (Chromium's launcher label)", raw.ShortName)
	}
	sizes := map[string]bool{}
	for _, ic := range p.Icons {
		if ic.Type == "image/png" {
			sizes[ic.Sizes] = true
		}
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("manifest icons %+v: want PNGs of 192 and 512", p.Icons)
	}
	ie, err := chromedp.Call(ctx, cdppage.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ie.InstallabilityErrors {
		t.Errorf("not installable: %s %v", e.ErrorID, e.ErrorArguments)
	}
	t.Logf("manifest %s: %q, %d icons, installable", m.URL, p.Name, len(p.Icons))
}

// awaitJS evaluates the JavaScript function expression fn, which returns a
// promise of a boolean, until it is true (asked again 100 ms after each
// false, in the page, for up to 60 s).
func awaitJS(t *testing.T, ctx context.Context, what, fn string) {
	t.Helper()
	js := `(function () {
		var until = Date.now() + 60000, f = ` + fn + `;
		function again() {
			return f().then(function (ok) {
				if (ok) return true;
				if (Date.now() > until) return false;
				return new Promise(function (r) { setTimeout(r, 100); }).then(again);
			});
		}
		return again();
	})()`
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
	if err != nil || !ok {
		t.Fatalf("%s: not within 60 s (%v)", what, err)
	}
}

// oneBridgeSite returns a store holding one place, the place, and build,
// which writes the place to the store again and builds the static site of
// the store into a folder of the test's named name.
func oneBridgeSite(t *testing.T) (*gazetteer.Store, *gazetteer.Place, func(name string) (string, *Precache)) {
	t.Helper()
	ctx := context.Background()
	tmp := t.TempDir()
	st, err := sqlite.Open(filepath.Join(tmp, "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &gazetteer.Place{ID: 990101, Name: "离线桥", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"},
		Status: gazetteer.StatusCurrent, Geometry: orb.Point{120.62, 31.31}, Coord: &gazetteer.Coord{Method: "estimated", AccuracyM: 100},
		Meaning: &gazetteer.Text{Text: "第一版含义", Source: "test"}}
	return st, p, func(name string) (string, *Precache) {
		t.Helper()
		if _, err := st.Put(ctx, p, gazetteer.Change{Actor: "test", Reason: "offline test"}); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(tmp, name)
		if _, err := Build(ctx, Config{Store: st, Logger: quietLog()}, dir, BuildOptions{}); err != nil {
			t.Fatal(err)
		}
		return dir, readPrecache(t, dir)
	}
}

// TestBrowserOfflineInstalled: opened as an installed app (its window
// answers display-mode standalone), the site saves
// itself for offline use unasked, from its ordinary home page; the same
// page in a browser tab saves only the shell until asked (TestBrowserOffline).
func TestBrowserOfflineInstalled(t *testing.T) {
	browsertest.SkipShort(t)
	st, _, build := oneBridgeSite(t)
	dir, pc := build("v1")
	s, err := New(context.Background(), Config{Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	site := serveLoopback(t, dir)
	ctx := browsertest.Start(t, 3*time.Minute, 1280, 900)
	// Headless Chromium neither runs installed apps nor emulates the
	// display-mode media feature (Emulation.setEmulatedMedia ignores it), so
	// the page is told what an installed app's window answers.
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `(function () {
		var real = window.matchMedia.bind(window);
		window.matchMedia = function (q) {
			if (/display-mode:\s*standalone/.test(q)) return { matches: true, media: q, addEventListener: function () {}, removeEventListener: function () {} };
			return real(q);
		};
	})();`}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "home, as an installed app", chromedp.Navigate(site.url()+"/"), chromedp.WaitVisible(`#qhome`))
	if !eval[bool](t, ctx, `window.matchMedia("(display-mode: standalone)").matches`) {
		t.Fatal("the browser does not report display-mode standalone")
	}
	awaitShell(t, ctx, pc)
	st2 := awaitSaved(t, ctx, pc, s.tmpl.msgs.get, langZH)
	t.Logf("as an installed app, the home page saved all %d files (%d B) unasked", st2.Files, st2.Bytes)
}

// TestBrowserOfflineUpdate: a kiosk's first page (/?offline=all) saves the
// site for offline use unasked; a second build with one place changed, served at the same origin, replaces
// the worker and its cache and, asked once, saves its whole list again
// (unchanged files copied, not fetched) — the new version's cache is the
// only one left, and with the server stopped the changed page is the new
// one.
func TestBrowserOfflineUpdate(t *testing.T) {
	browsertest.SkipShort(t)
	ctx0 := context.Background()
	st, p, build := oneBridgeSite(t)
	dir1, pc1 := build("v1")
	s, err := New(ctx0, Config{Store: st, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := s.catalog(ctx0)
	if err != nil || len(cat.Entries) != 1 {
		t.Fatalf("catalog of the test store: %v", err)
	}
	placeURL := cat.Entries[0].Path

	site := serveLoopback(t, dir1)
	base := site.url()
	ctx := browsertest.Start(t, 3*time.Minute, 1280, 900)
	// A kiosk's first page: ?offline=all saves the whole site unasked.
	do(t, ctx, "home", chromedp.Navigate(base+"/?offline=all"), chromedp.WaitVisible(`#qhome`))
	awaitShell(t, ctx, pc1)
	awaitSaved(t, ctx, pc1, s.tmpl.msgs.get, langZH)

	p.Meaning.Text = "第二版含义"
	dir2, pc2 := build("v2")
	if pc2.Version == pc1.Version {
		t.Fatalf("a build with a changed page kept the precache version %s", pc1.Version)
	}
	site.forget()
	sent := site.sent.Load()
	site.setDir(dir2)
	// Asked once: the new worker saves the new full list, copying what did
	// not change from the old cache.
	awaitJS(t, ctx, "the new worker", `function () {
		return navigator.serviceWorker.getRegistration().then(function (r) { return r.update(); }).then(function () {
			return window.wumenOfflineStatus();
		}).then(function (s) { return s.version === `+jsString(pc2.Version)+` && s.missing === 0 && s.asked; });
	}`)
	if n := site.requested("/static/search/search.wasm"); n != 0 {
		t.Errorf("the new worker fetched the unchanged search.wasm %d times instead of copying it", n)
	}
	t.Logf("the update saved build 2's %d files (%d B) with %d B from the server", len(pc2.Files), pc2.Bytes, site.sent.Load()-sent)
	awaitJS(t, ctx, "only the new cache", `function () {
		return caches.keys().then(function (ks) { return ks.length === 1 && ks[0] === `+jsString("wumen-"+pc2.Version)+`; });
	}`)

	site.stop()
	do(t, ctx, "changed page, offline", chromedp.Navigate(base+placeURL), chromedp.WaitVisible(`h1.standard-name`))
	if m := text(t, ctx, `main`); !strings.Contains(m, "第二版含义") || strings.Contains(m, "第一版含义") {
		t.Errorf("offline after the update, %s shows %q, want the second build's meaning", placeURL, m)
	}
	t.Logf("build 1 precache %s (%d files), build 2 %s: the worker moved to %s", pc1.Version, len(pc1.Files), pc2.Version, pc2.Version)
}
