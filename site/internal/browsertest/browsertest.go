// Package browsertest starts the headless Chromium that Wumen's end-to-end
// tests drive with chromedp: Debian's chromium, a fresh profile, software
// WebGL (SwiftShader) so maps draw, and no traffic beyond loopback.
//
// Test binaries of different packages run at the same time; two Chromiums
// rendering WebGL on a 2-core machine starve each other until timeouts
// fire. Start takes an exclusive file lock shared by every test process, so
// browser sessions run one at a time while the rest of the suite goes on.
package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ExecPath returns the Chromium to run: $WUMEN_CHROME, else chromium on the
// PATH. A missing browser fails the test — CI installs it, so a browser test
// never silently skips.
func ExecPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("WUMEN_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk) or set WUMEN_CHROME")
	return ""
}

// Start launches a browser for t, waiting for the cross-process lock first,
// and returns a chromedp context that expires after timeout (counted from
// when the browser starts, not from when the lock was requested). Everything
// is stopped and the lock released when the test ends. Options in extra
// are added to the launch flags (e.g. chromedp.Flag("ignore-certificate-errors", true)
// for a test server on HTTPS).
func Start(t testing.TB, timeout time.Duration, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	SkipShort(t)
	chrome := ExecPath(t)
	lock(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("use-gl", "angle"),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(width, height),
	}
	opts = append(opts, extra...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// SkipShort skips t under go test -short: browser tests take seconds to
// minutes of Chromium. A test with costly setup before Start calls it
// first.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: a browser test")
	}
}

// lock takes an exclusive flock on a file in the temporary directory shared
// by all test processes of this machine, released when t ends.
func lock(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "wumen-browser-tests.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}

// Text returns the text (innerText) of the first element matching the CSS
// selector sel, once there is one (polled for up to 30 s). It is read in
// one JavaScript call: a node looked up by id first can be gone by the time
// its text is asked for when the page re-renders ("No node with given id
// found").
func Text(ctx context.Context, sel string) (string, error) {
	js := fmt.Sprintf(`(function () { var e = document.querySelector(%q); return e ? e.innerText : null; })()`, sel)
	return chromedp.Run(ctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
}

// Eval evaluates the JavaScript expression expr and decodes its JSON value
// into out, failing the test with the expression if either goes wrong.
func Eval(t testing.TB, ctx context.Context, expr string, out any) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(v, out); err != nil {
		t.Fatalf("evaluate %s: %s: %v", expr, v, err)
	}
}

//go:embed axe/axe.min.js
var axeSource string

// AxeViolation is one rule axe-core found broken, with the elements.
type AxeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target []string }
}

// Axe runs axe-core (vendored, axe/VENDORED.md) in the page on the
// elements matching sel, with the WCAG 2.1 A and AA rules, and returns what
// it found broken.
func Axe(ctx context.Context, sel string) ([]AxeViolation, error) {
	src, _ := json.Marshal(axeSource)
	load := `window.axe !== undefined || (function () { var s = document.createElement("script"); s.textContent = ` + string(src) + `; document.head.appendChild(s); return window.axe !== undefined; })()`
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](load)); err != nil || !ok {
		return nil, fmt.Errorf("loading axe-core: %v", err)
	}
	js := fmt.Sprintf(`axe.run(document.querySelector(%q), {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(function (r) {
		return r.violations.map(function (v) { return {id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.map(function (n) { return {target: n.target.map(String)}; })}; });
	})`, sel)
	return chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](js, chromedp.EvalAwaitPromise))
}
