package officer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"wumen/gazetteer"
)

// toPosition returns the place the tests position again: 山塘街 of the
// test data (its position there is an estimate).
func toPosition(t *testing.T, st *gazetteer.Store) *gazetteer.Place {
	t.Helper()
	p, err := st.Get(context.Background(), 12)
	if err != nil || p.Name != "山塘街" {
		t.Fatalf("山塘街 of the test data: %+v %v", p, err)
	}
	return p
}

// TestStalePositionIsAConflict: two officers' scripts position the same
// place from the same copy; the second, naming the revision it read, gets a
// 409 that says what to do, and the first one's position stays. Naming the
// revision the first answer's ETag gave (If-Match) then succeeds.
func TestStalePositionIsAConflict(t *testing.T) {
	srv, h, st := testServer(t)
	ctx := context.Background()
	edTok, _ := h.Accounts.NewToken(ctx, "ed1", "test")
	revTok, _ := h.Accounts.NewToken(ctx, "rev1", "test")
	p := toPosition(t, st)
	path := "/officer/api/positions/" + strconv.FormatInt(p.ID, 10)
	send := func(tok, ifMatch string, body map[string]any) (*http.Response, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		hdr := []string{"Content-Type", "application/json"}
		if ifMatch != "" {
			hdr = append(hdr, "If-Match", ifMatch)
		}
		return apiDo(t, srv, tok, "POST", path, bytes.NewReader(b), hdr...)
	}
	position := func(lon float64, ifUpdated string) map[string]any {
		return map[string]any{"geometry": map[string]any{"type": "Point", "coordinates": []float64{lon, 31.31}},
			"method": "surveyed", "accuracy_m": 10, "source": "现场踏勘", "note": "村委会门口", "if_updated": ifUpdated}
	}
	first, out := send(edTok, "", position(120.61, p.Updated))
	if first.StatusCode != 200 || first.Header.Get("ETag") == "" {
		t.Fatalf("first officer: %d %v", first.StatusCode, out)
	}
	res, out := send(revTok, "", position(120.62, p.Updated))
	if res.StatusCode != http.StatusConflict || !strings.Contains(fmt.Sprint(out["error"]), "changed by someone else") {
		t.Fatalf("second officer from the same copy: %d %v", res.StatusCode, out)
	}
	if got, _ := st.Get(ctx, p.ID); got.Label == nil || got.Label.Lon() != 120.61 {
		t.Fatalf("the first officer's position was overwritten: %+v", got.Label)
	}
	res, out = send(revTok, `"2020-01-01T00:00:00.000000000Z"`, position(120.62, ""))
	if res.StatusCode != http.StatusConflict {
		t.Errorf("If-Match naming an old revision: %d %v", res.StatusCode, out)
	}
	if res, out = send(revTok, "W/\"x\", \"y\"", position(120.62, "")); res.StatusCode != 400 || !strings.Contains(fmt.Sprint(out["error"]), "If-Match") {
		t.Errorf("an If-Match of two tags: %d %v", res.StatusCode, out)
	}
	res, out = send(revTok, first.Header.Get("ETag"), position(120.62, ""))
	if res.StatusCode != 200 {
		t.Fatalf("second officer after reading again: %d %v", res.StatusCode, out)
	}
	if got, _ := st.Get(ctx, p.ID); got.Label.Lon() != 120.62 || strconv.Quote(got.Updated) != res.Header.Get("ETag") {
		t.Errorf("after the second officer: %+v, ETag %s", got.Label, res.Header.Get("ETag"))
	}
}

// TestStalePositionFormSaysSo: an officer who saves a position from a page
// opened before a colleague positioned the place gets the page again with a
// 409 and the conflict said, the colleague's position kept; saving the
// page as shown again then succeeds.
func TestStalePositionFormSaysSo(t *testing.T) {
	srv, _, st := testServer(t)
	p := toPosition(t, st)
	page := "/officer/positions/" + strconv.FormatInt(p.ID, 10)
	updatedRE := regexp.MustCompile(`name="updated" value="([^"]+)"`)
	a, b := newClient(t, srv), newClient(t, srv)
	a.login("ed1")
	b.login("rev1")
	_, pa := a.get(page)
	_, pb := b.get(page)
	save := func(c *client, pageBody string, lon string) (int, string) {
		m := updatedRE.FindStringSubmatch(pageBody)
		if m == nil {
			t.Fatal("the position page has no revision in its form")
		}
		return c.post(page, form(c.csrf, "updated", m[1], "geometry", `{"type":"Point","coordinates":[`+lon+`,31.31]}`,
			"method", "surveyed", "accuracy", "10", "source", "现场踏勘", "note", "村委会门口"))
	}
	if code, body := save(a, pa, "120.61"); code != http.StatusSeeOther {
		t.Fatalf("first officer: %d %s", code, body)
	}
	code, body := save(b, pb, "120.62")
	if code != http.StatusConflict || !strings.Contains(body, "changed by someone else") {
		t.Fatalf("second officer from the page opened before: %d", code)
	}
	if got, _ := st.Get(context.Background(), p.ID); got.Label.Lon() != 120.61 {
		t.Fatalf("the first officer's position was overwritten: %v", got.Label)
	}
	if code, _ := save(b, body, "120.62"); code != http.StatusSeeOther {
		t.Errorf("saving again from the page that said so: %d", code)
	}
}

// TestStaleProposalEditSaysSo: two officers open the edit form of one
// proposal; the second to save gets the form's conflict (409) saying what
// to do, and the first one's change stays. Saved from the form opened
// again, the edit goes through.
func TestStaleProposalEditSaysSo(t *testing.T) {
	srv, h, _ := testServer(t)
	versionRE := regexp.MustCompile(`name="version" value="([^"]+)"`)
	ed, ad := newClient(t, srv), newClient(t, srv)
	ed.login("ed1")
	ad.login("admin1")
	fields := []string{"kind", "naming", "name", "桃坞巷", "category", "街巷", "scale", "lane",
		"geometry", "31.3200,120.6000", "admin", "320508", "applicant", "姑苏区民政局", "reasons", "新建巷道"}
	if st, _ := ed.post("/officer/proposals", form(ed.csrf, fields...)); st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	edit := func(c *client, version string, kv ...string) (int, string) {
		f := form(c.csrf, fields...)
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		f.Set("version", version)
		f.Set("why", "test")
		return c.post("/officer/proposals/1/edit", f)
	}
	opened := func(c *client) string {
		_, page := c.get("/officer/proposals/1/edit")
		m := versionRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the edit form carries no version")
		}
		return m[1]
	}
	vEd, vAd := opened(ed), opened(ad)
	if st, _ := edit(ad, vAd, "reasons", "新建巷道，连接桃花坞大街"); st != http.StatusSeeOther {
		t.Fatalf("the first officer's edit: %d", st)
	}
	st, page := edit(ed, vEd, "applicant", "苏州市民政局")
	if st != http.StatusConflict || !strings.Contains(page, "changed by someone else") {
		t.Fatalf("the second officer's edit from the form opened before: %d", st)
	}
	if p, _ := h.Reviews.Get(context.Background(), 1); p.Reasons != "新建巷道，连接桃花坞大街" || p.Applicant != "姑苏区民政局" {
		t.Fatalf("after the conflict: %q %q", p.Reasons, p.Applicant)
	}
	if st, _ := edit(ed, opened(ed), "reasons", "新建巷道，连接桃花坞大街", "applicant", "苏州市民政局"); st != http.StatusSeeOther {
		t.Errorf("the edit from the form opened again: %d", st)
	}
}
