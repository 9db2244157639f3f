package reviewtest

import (
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
)

// ConcurrentEdits checks that officers' edits never undo each other: an edit saved from a form opened
// before a colleague's edit is a conflict that says what to do, and an
// edit whose proposal changes between its read and its save is one too;
// the colleague's change stays in both cases. An edit of the current
// version is saved.
func ConcurrentEdits(t *testing.T, s *review.Service) {
	t.Helper()
	ctx := context.Background()
	p := &review.Proposal{Kind: review.Naming, Name: "桃坞巷", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Scale: "lane",
		Geometry: geojson.NewGeometry(orb.LineString{{120.600, 31.320}, {120.601, 31.3205}}), Admin: "320508022", Applicant: "姑苏区民政局", Reasons: "新建巷道"}
	if err := s.Create(ctx, p, "editor1"); err != nil {
		t.Fatal(err)
	}
	opened, _ := s.Get(ctx, p.ID) // both officers open the edit form
	seen := opened.Version()
	if _, err := s.Update(ctx, p.ID, "editor2", "申请理由", seen, func(q *review.Proposal) error { q.Reasons = "新建巷道，连接桃花坞大街"; return nil }); err != nil {
		t.Fatal(err)
	}
	_, err := s.Update(ctx, p.ID, "editor1", "申请人", seen, func(q *review.Proposal) error { q.Applicant = "苏州市民政局"; return nil })
	if gazetteer.ErrorCode(err) != gazetteer.EConflict || !strings.Contains(gazetteer.ErrorMessage(err), "changed by someone else") {
		t.Fatalf("an edit from the form opened before: %v", err)
	}
	// A change between Update's read and its save.
	_, err = s.Update(ctx, p.ID, "editor1", "申请人", "", func(q *review.Proposal) error {
		if _, err := s.Update(ctx, p.ID, "editor2", "保护措施", "", func(r *review.Proposal) error { r.Protection = "保留原巷名石刻"; return nil }); err != nil {
			t.Fatal(err)
		}
		q.Applicant = "苏州市民政局"
		return nil
	})
	if gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("an edit whose proposal changed before it was saved: %v", err)
	}
	got, _ := s.Get(ctx, p.ID)
	if got.Reasons != "新建巷道，连接桃花坞大街" || got.Protection != "保留原巷名石刻" || got.Applicant != "姑苏区民政局" {
		t.Fatalf("after the conflicts: %+v", got)
	}
	if _, err := s.Update(ctx, p.ID, "editor1", "申请人", got.Version(), func(q *review.Proposal) error { q.Applicant = "苏州市民政局"; return nil }); err != nil {
		t.Fatalf("an edit of the current version: %v", err)
	}
}
