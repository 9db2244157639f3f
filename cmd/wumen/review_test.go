package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
	"wumen/gazetteer/sqlite"
	"wumen/site/officer"
)

// checkJSON runs `wumen review check … --json` and decodes the report.
func checkJSON(t *testing.T, db string, args ...string) (int, *review.Report, string) {
	t.Helper()
	code, out, stderr := wumen(t, append([]string{"review", "check", "--db", db, "--json"}, args...)...)
	if out == "" {
		return code, nil, stderr
	}
	rep := new(review.Report)
	if err := json.Unmarshal([]byte(out), rep); err != nil {
		t.Fatalf("review check %v: %v\n%s", args, err, out)
	}
	return code, rep, stderr
}

// TestReviewCategoryAsOfficersWrite: on the shipped gazetteer, the short
// category, the 通名, English and no category find the duplicate the full
// path finds; an ambiguous or unknown category is invalid input (exit 3)
// with the readings or the nearest categories named.
func TestReviewCategoryAsOfficersWrite(t *testing.T) {
	db := seeded(t)
	for _, cat := range []string{"交通运输设施/道路街巷", "道路街巷", "街巷", "街", "street", ""} {
		args := []string{"山塘街", "--admin", "320508"}
		if cat != "" {
			args = append(args, "--category", cat)
		}
		code, rep, stderr := checkJSON(t, db, args...)
		if code != 3 || rep == nil || !rep.Has(review.RuleDuplicate) {
			t.Errorf("--category %q: exit %d, %+v %s", cat, code, rep, stderr)
			continue
		}
		if rep.Category.Category.String() != "交通运输设施/道路街巷" {
			t.Errorf("--category %q: category %+v", cat, rep.Category)
		}
	}
	code, out, _ := wumen(t, "review", "check", "--db", db, "山塘街", "--admin", "320508")
	if code != 3 || !strings.Contains(out, "category: 未给出类别，按通名“街”推定为 交通运输设施/道路街巷") {
		t.Errorf("the inferred category must be said: exit %d\n%s", code, out)
	}
	code, _, stderr := wumen(t, "review", "check", "--db", db, "新湖村", "--category", "村")
	if code != 3 || !strings.Contains(stderr, "群众自治组织/村民委员会") || !strings.Contains(stderr, "居民点/农村居民点") {
		t.Errorf("an ambiguous category: exit %d %s", code, stderr)
	}
	code, _, stderr = wumen(t, "review", "check", "--db", db, "山塘街", "--category", "brigde")
	if code != 3 || !strings.Contains(stderr, "unknown category") || !strings.Contains(stderr, "交通运输设施/桥梁") {
		t.Errorf("an unknown category: exit %d %s", code, stderr)
	}
}

// TestReviewNearSetsTheCounty: `--near` alone places the name in its county
// on the shipped gazetteer, and the report says how.
func TestReviewNearSetsTheCounty(t *testing.T) {
	db := seeded(t)
	code, rep, stderr := checkJSON(t, db, "山塘街", "--category", "街巷", "--near", "31.3205,120.5990")
	if code != 3 || rep == nil || !rep.Has(review.RuleDuplicate) {
		t.Fatalf("exit %d %s %+v", code, stderr, rep)
	}
	if c := rep.Location.County(); c == nil || c.Code != "320508" || rep.Location.By != review.AdminLocated {
		t.Errorf("location %+v", rep.Location)
	}
	if !strings.Contains(rep.Scope, "姑苏区 320508") {
		t.Errorf("scope %q", rep.Scope)
	}
	_, out, _ := wumen(t, "review", "check", "--db", db, "山塘街", "--near", "31.3205,120.5990")
	if !strings.Contains(out, "jurisdiction: 所在行政区：姑苏区 320508（按位置推定") || !strings.Contains(out, "→ #51 山塘街 姑苏区 320508") {
		t.Errorf("the text report must say where and how:\n%s", out)
	}
}

// TestReviewGeometryOption: a line given as WKT, or a polygon as a GeoJSON
// file, is located like a point; bad geometry is invalid input.
func TestReviewGeometryOption(t *testing.T) {
	db := seeded(t)
	file := filepath.Join(t.TempDir(), "area.geojson")
	poly := `{"type":"Polygon","coordinates":[[[120.5985,31.3200],[120.5995,31.3200],[120.5995,31.3210],[120.5985,31.3210],[120.5985,31.3200]]]}`
	if err := os.WriteFile(file, []byte(poly), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"LINESTRING (120.5985 31.3203, 120.5995 31.3207)", file} {
		code, rep, stderr := checkJSON(t, db, "山塘街", "--category", "street", "--geometry", g)
		if code != 3 || rep == nil || !rep.Has(review.RuleDuplicate) || rep.Location.County() == nil || rep.Location.County().Code != "320508" {
			t.Errorf("--geometry %s: exit %d %s %+v", g, code, stderr, rep)
		}
	}
	code, _, stderr := wumen(t, "review", "check", "--db", db, "山塘街", "--geometry", "LINESTRING (120.5 31.3")
	if code != 3 || !strings.Contains(stderr, "--geometry") || !strings.Contains(stderr, "WKT") {
		t.Errorf("bad WKT: exit %d %s", code, stderr)
	}
}

// TestReviewHeldCases runs the held set through the command line, typed as
// an officer would — --category as written, --near LAT,LON, --geometry WKT —
// and through POST /officer/api/check of the server `wumen serve` mounts,
// over the same store: each report must meet the case's expectations, the
// exit code must follow the verdict, and the API must give the same report
// as the command line (verdict, category and county used and how, scope,
// every finding with its article, messages and places).
func TestReviewHeldCases(t *testing.T) {
	db := seeded(t)
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv, tok := officerAPI(t, s)
	cases, err := reviewtest.Cases()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, hc := range cases {
		args := []string{hc.Name}
		ll, err := hc.LatLon(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, kv := range [][2]string{{"--category", hc.Category}, {"--admin", hc.Admin}, {"--near", ll}, {"--geometry", hc.Geometry}} {
			if kv[1] != "" {
				args = append(args, kv[0], kv[1])
			}
		}
		code, rep, stderr := checkJSON(t, db, args...)
		var cliErr error
		if rep == nil {
			cliErr = errors.New(stderr)
		}
		for _, msg := range hc.Verify(rep, cliErr) {
			t.Errorf("%s: wumen review check %s: %s", hc, strings.Join(args, " "), msg)
		}
		want := 0
		if cliErr != nil || rep.Blocked() {
			want = 3
		}
		if code != want {
			t.Errorf("%s: exit %d, want %d", hc, code, want)
		}
		pos, err := hc.Position(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		apiRep, refused, sent, err := hc.CheckOverHTTP(srv.URL, tok, pos)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range reviewtest.ViewOf(rep, cliErr).Diff(reviewtest.ViewOf(apiRep, refused)) {
			t.Errorf("%s: POST /officer/api/check %s differs from wumen review check %s: %s", hc, sent, strings.Join(args, " "), msg)
		}
	}
}

// officerAPI serves the officer handler over s as `wumen serve` mounts it,
// with a reviewer's API token.
func officerAPI(t *testing.T, s *gazetteer.Store) (*httptest.Server, string) {
	t.Helper()
	off, err := officer.Open(s, officer.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		PasswordParams: &account.Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := off.Accounts.AddUser(ctx, "rev1", account.RoleReviewer, "password-of-rev1"); err != nil {
		t.Fatal(err)
	}
	tok, err := off.Accounts.NewToken(ctx, "rev1", "held cases")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(off)
	t.Cleanup(srv.Close)
	return srv, tok
}
