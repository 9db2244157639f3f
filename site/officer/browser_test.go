package officer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"wumen/site/internal/browsertest"

	"github.com/chromedp/chromedp"

	"wumen/gazetteer/review"
)

// TestBrowserProposalToPublication drives Debian's chromium through the
// officer pages: log in, create a proposal, submit it, attach the three
// reports, approve it with a document number, file, announce, read the
// notice on /notices, apply it, and find the naming event on the new place.
// Only the officer handler is mounted, so the maps are hidden and the
// location is typed. It fails (never skips) when chromium is missing.
func TestBrowserProposalToPublication(t *testing.T) {
	browsertest.SkipShort(t)
	srv, h, st := testServer(t)
	dir := t.TempDir()
	var files []string
	for _, k := range review.RequiredAttachments {
		f := filepath.Join(dir, k+".txt")
		os.WriteFile(f, []byte("report "+k), 0o644)
		files = append(files, f)
	}
	ctx := browsertest.Start(t, 90*time.Second, 1200, 900)
	// A click that submits a form is followed by a new page: RunResponse
	// waits for it, so the next step never acts on the old page's nodes.
	clickNav := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatal(sel, err)
		}
	}

	u := srv.URL
	var state, notices, approval, applied string
	step := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := browsertest.Text(ctx, sel)
		if err != nil {
			t.Fatal(sel, err)
		}
		return s
	}
	step(chromedp.Navigate(u+"/officer/login"),
		chromedp.SendKeys(chromedp.CSS("#name"), "rev1"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-of-rev1"))
	clickNav("#login")
	step(chromedp.WaitVisible(chromedp.CSS(`a[href="/officer/proposals/new"]`)),
		chromedp.Navigate(u+"/officer/proposals/new"),
		chromedp.WaitVisible(chromedp.CSS("#geometry")))
	// Only the officer handler is mounted here: no MapLibre, so the drawing
	// map stays hidden and the location is typed.
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("draw-wrap").hidden && !window.wumenOfficerMap`)); err != nil || !hidden {
		t.Errorf("without MapLibre the drawing map must stay hidden (%v)", err)
	}
	step(chromedp.SendKeys(chromedp.CSS("#name"), "桃坞巷"),
		chromedp.SendKeys(chromedp.CSS("#category"), "街巷"),
		chromedp.SendKeys(chromedp.CSS("#geometry"), "LINESTRING (120.6000 31.3200, 120.6010 31.3205)"),
		chromedp.SendKeys(chromedp.CSS("#admin"), "320508022"),
		chromedp.SendKeys(chromedp.CSS("#applicant"), "姑苏区民政局"),
		chromedp.SendKeys(chromedp.CSS("#reasons"), "新建巷道，取桃花坞之意"))
	clickNav("#save")
	clickNav("#submit")
	step(chromedp.WaitVisible(chromedp.CSS("#upload")),
		chromedp.SetUploadFiles(chromedp.CSS("#assessment"), files[:1]),
		chromedp.SetUploadFiles(chromedp.CSS("#expert"), files[1:2]),
		chromedp.SetUploadFiles(chromedp.CSS("#consultation"), files[2:3]))
	clickNav("#upload")
	step(chromedp.WaitVisible(chromedp.CSS("#document")),
		chromedp.SendKeys(chromedp.CSS("#document"), "苏府地名函〔2025〕21号"))
	clickNav("#approve")
	step(chromedp.WaitVisible(chromedp.CSS("#file")))
	approval = text("#approval")
	clickNav("#file")
	clickNav("#announce")
	step(chromedp.WaitVisible(chromedp.CSS("#apply")),
		chromedp.Navigate(u+"/notices"))
	notices = text("#notices")
	step(chromedp.Navigate(u + "/officer/proposals/1"))
	clickNav("#apply")
	step(chromedp.WaitVisible(chromedp.CSS("#applied-place")))
	state = text("#state")
	applied = text("#applied-place")
	if !strings.Contains(approval, "苏府地名函〔2025〕21号") {
		t.Errorf("approval shown as %q", approval)
	}
	if !strings.Contains(notices, "桃坞巷") || !strings.Contains(notices, "苏府地名函〔2025〕21号") {
		t.Errorf("/notices = %q", notices)
	}
	if !strings.Contains(state, "applied") {
		t.Errorf("state = %q", state)
	}
	p, err := h.Reviews.Get(context.Background(), 1)
	if err != nil || p.PlaceID == 0 {
		t.Fatalf("proposal: %v %+v", err, p)
	}
	pl, err := st.Get(context.Background(), p.PlaceID)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Category.String() != "交通运输设施/道路街巷" {
		t.Errorf("the category typed 街巷 is applied as %q, want 交通运输设施/道路街巷", pl.Category)
	}
	if pl.Name != "桃坞巷" || len(pl.Events) != 1 || pl.Events[0].Type != "naming" || pl.Events[0].Document != "苏府地名函〔2025〕21号" || pl.Events[0].Proposal != 1 {
		t.Errorf("place %s events %+v", pl.Name, pl.Events)
	}
	if !strings.Contains(applied, "#") {
		t.Errorf("applied link %q", applied)
	}
}
