package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	. "wumen/gazetteer/review"
	"wumen/gazetteer/review/reviewtest"
	"wumen/gazetteer/sqlite"
)

func testService(t *testing.T) (*Service, *time.Time) {
	t.Helper()
	s, err := Open(testStore(t))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	return s, &now
}

func attachReports(t *testing.T, s *Service, id int64) {
	t.Helper()
	for _, k := range RequiredAttachments {
		if err := s.Attach(context.Background(), id, &Attachment{Kind: k, Filename: k + ".pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 " + k)}, "editor1"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWorkflowNamingToGazetteer(t *testing.T) {
	ctx := context.Background()
	s, now := testService(t)
	p := &Proposal{Kind: Naming, Name: "桃坞巷", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Scale: "lane",
		Geometry: geojson.NewGeometry(orb.LineString{{120.600, 31.320}, {120.601, 31.3205}}), Admin: "320508022", Applicant: "姑苏区民政局", Reasons: "新建巷道"}
	if err := s.Create(ctx, p, "editor1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActApprove, Document: "x"}, "rev1"); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("approving a draft: err %v, want conflict", err)
	}
	p, err := s.Transition(ctx, p.ID, Transition{Action: ActSubmit}, "editor1")
	if err != nil || p.State != UnderReview || p.Report == nil {
		t.Fatalf("submit: %v %+v", err, p)
	}
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActApprove, Document: "苏府地名函〔2025〕12号"}, "rev1"); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Fatalf("approval without the reports: err %v, want invalid", err)
	}
	attachReports(t, s, p.ID)
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActApprove, Document: "苏府地名函〔2025〕12号", Date: "2025-03-01"}, "rev1"); err != nil {
		t.Fatal(err)
	}
	*now = now.AddDate(0, 0, 20)
	p, _ = s.Get(ctx, p.ID)
	if od := s.Overdue(p); len(od) != 2 || od[0].Step != "filing" || od[0].DaysLate != 5 {
		t.Fatalf("overdue after 20 days = %+v, want filing and announcement 5 days late", od)
	}
	for _, a := range []string{ActFile, ActAnnounce} {
		if _, err := s.Transition(ctx, p.ID, Transition{Action: a}, "rev1"); err != nil {
			t.Fatal(a, err)
		}
	}
	ns, _ := s.Notices(ctx)
	if len(ns) != 1 || !strings.Contains(ns[0].Notice, "苏府地名函〔2025〕12号") {
		t.Fatalf("notices = %+v", ns)
	}
	p, err = s.Transition(ctx, p.ID, Transition{Action: ActApply}, "rev1")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := s.Store.Get(ctx, p.PlaceID)
	if err != nil || pl.Name != "桃坞巷" || len(pl.Events) != 1 || pl.Events[0].Document != "苏府地名函〔2025〕12号" || pl.Events[0].Proposal != p.ID {
		t.Fatalf("applied place = %+v, %v", pl, err)
	}
	h, _ := s.History(ctx, p.ID)
	var acts []string
	for _, e := range h {
		acts = append(acts, e.Action)
	}
	if got := strings.Join(acts, " "); got != "create submit check attach attach attach approve file announce apply" {
		t.Errorf("history = %s", got)
	}
	if _, err := s.Store.Backend().(*sqlite.DB).SQL().Exec(`DELETE FROM proposal_history`); err == nil {
		t.Error("proposal_history must be append-only")
	}
	if _, err := s.Store.Backend().(*sqlite.DB).SQL().Exec(`UPDATE proposal_history SET actor='x'`); err == nil {
		t.Error("proposal_history must be append-only")
	}
}

func TestWorkflowHeritageLockAndRenaming(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	p := &Proposal{Kind: Renaming, Target: 13, Name: "平江新路", Applicant: "姑苏区民政局"}
	if err := s.Create(ctx, p, "editor1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActSubmit}, "editor1"); err != nil {
		t.Fatal(err)
	}
	attachReports(t, s, p.ID)
	_, err := s.Transition(ctx, p.ID, Transition{Action: ActApprove, Document: "苏府地名函〔2025〕13号"}, "rev1")
	if gazetteer.ErrorCode(err) != gazetteer.EConflict || !strings.Contains(err.Error(), "block") {
		t.Fatalf("renaming 平江路 without protection measures: err %v, want a block", err)
	}
	p, err = s.Update(ctx, p.ID, "editor1", "保护措施", "", func(p *Proposal) error {
		p.Protection = "设立标志；原名作为历史地名保留"
		return nil
	})
	if err != nil || p.Report == nil || p.Report.Has(RuleHeritageLock) || !p.Report.Has(RuleHeritageMeasures) {
		t.Fatalf("after recording measures the check must rerun without the lock: %v %+v", err, p.Report)
	}
	for _, tr := range []Transition{{Action: ActApprove, Document: "苏府地名函〔2025〕13号"}, {Action: ActFile}, {Action: ActAnnounce}, {Action: ActApply}} {
		if _, err := s.Transition(ctx, p.ID, tr, "rev1"); err != nil {
			t.Fatal(tr.Action, err)
		}
	}
	pl, _ := s.Store.Get(ctx, 13)
	if pl.Name != "平江新路" || pl.Events[len(pl.Events)-1].Type != gazetteer.EventRenaming {
		t.Fatalf("renamed place = %+v", pl)
	}
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActApply}, "rev1"); gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Errorf("applying twice: err %v, want conflict", err)
	}
}

func TestAttachmentLimitsAndReject(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	s.MaxAttachment = 10
	p := &Proposal{Kind: Cancel, Target: 16, Applicant: "姑苏区民政局"}
	if err := s.Create(ctx, p, "editor1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Attach(ctx, p.ID, &Attachment{Kind: AttachExpert, Filename: "big.pdf", Data: make([]byte, 11)}, "editor1"); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("oversized file: err %v", err)
	}
	s.Transition(ctx, p.ID, Transition{Action: ActSubmit}, "editor1")
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActReject}, "rev1"); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("reject without reason: %v", err)
	}
	p, err := s.Transition(ctx, p.ID, Transition{Action: ActReject, Reason: "观前街仍在使用"}, "rev1")
	if err != nil || p.State != Rejected || p.Rejection != "观前街仍在使用" {
		t.Fatalf("reject: %v %+v", err, p)
	}
}

// TestApplyRaceCreatesOnePlace: two officers read the same announced proposal
// and both apply it. The second apply's state guard fails inside the
// transaction that would write the place, so no second place appears.
func TestApplyRaceCreatesOnePlace(t *testing.T) {
	ctx := context.Background()
	s, _ := testService(t)
	p := &Proposal{Kind: Naming, Name: "桃坞巷", Category: gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}, Scale: "lane",
		Geometry: geojson.NewGeometry(orb.LineString{{120.600, 31.320}, {120.601, 31.3205}}), Admin: "320508022", Applicant: "姑苏区民政局", Reasons: "新建巷道"}
	if err := s.Create(ctx, p, "editor1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActSubmit}, "editor1"); err != nil {
		t.Fatal(err)
	}
	attachReports(t, s, p.ID)
	for _, a := range []string{ActApprove, ActFile, ActAnnounce} {
		if _, err := s.Transition(ctx, p.ID, Transition{Action: a, Document: "苏府地名函〔2025〕12号", Date: "2025-03-01"}, "rev1"); err != nil {
			t.Fatal(a, err)
		}
	}
	stale, _ := s.Get(ctx, p.ID) // the second officer's copy, read before the first applies
	if _, err := s.Transition(ctx, p.ID, Transition{Action: ActApply}, "rev1"); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Store.Count(ctx, gazetteer.Filter{})
	_, err := s.ApplyAs(ctx, stale, "rev2", Announced)
	if gazetteer.ErrorCode(err) != gazetteer.EConflict {
		t.Fatalf("second apply: %v, want conflict", err)
	}
	if after, _ := s.Store.Count(ctx, gazetteer.Filter{}); after != before {
		t.Errorf("the second apply wrote a place (%d → %d)", before, after)
	}
}

// TestConcurrentEditsNeverUndoEachOther: reviewtest.ConcurrentEdits on
// SQLite (gazetteer/postgres runs it on PostgreSQL).
func TestConcurrentEditsNeverUndoEachOther(t *testing.T) {
	s, _ := testService(t)
	reviewtest.ConcurrentEdits(t, s)
}
