package review

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wumen/gazetteer"
)

// Transition actions.
const (
	ActSubmit   = "submit"   // draft → submitted → under_review (checks run)
	ActApprove  = "approve"  // under_review → approved (document number and date)
	ActReject   = "reject"   // under_review → rejected (reason)
	ActFile     = "file"     // approved → filed (备案)
	ActAnnounce = "announce" // filed → announced (公告, published at /notices)
	ActApply    = "apply"    // announced → applied (written to the gazetteer)
)

// Transition is a request to move a proposal on.
type Transition struct {
	Action string `json:"action"`
	// Document is the approval document number (批准文号), for approve.
	Document string `json:"document,omitempty"`
	// Date is the date of the step, YYYY-MM-DD (today when empty).
	Date string `json:"date,omitempty"`
	// Reason is why: required to reject, recorded for every step.
	Reason string `json:"reason,omitempty"`
	// Notice overrides the generated text of the public notice (announce).
	Notice string `json:"notice,omitempty"`
}

// Transition moves a proposal one step on, recording who did it and why.
// Approval refuses a proposal with a block finding (a fresh check runs first)
// or without the three reports; apply writes the change to the gazetteer as
// an event carrying the approval number.
func (s *Service) Transition(ctx context.Context, id int64, t Transition, actor string) (*Proposal, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	date := strings.TrimSpace(t.Date)
	if date == "" {
		date = s.today()
	} else if _, err := time.Parse("2006-01-02", date); err != nil {
		return nil, invalidf("the date %q is not YYYY-MM-DD", date)
	}
	need := func(st State) error {
		if p.State != st {
			return gazetteer.Errorf(gazetteer.EConflict, "cannot %s a proposal in state %s (needs %s)", t.Action, p.State, st)
		}
		return nil
	}
	from := p.State
	switch t.Action {
	case ActSubmit:
		if err := need(Draft); err != nil {
			return nil, err
		}
		rep, err := s.Checker.Check(ctx, p.Subject())
		if err != nil {
			return nil, err
		}
		err = s.inTx(ctx, func(tx Tx) error {
			p.State = Submitted
			if err := s.save(ctx, tx, p, nil, actor, ActSubmit, Draft, Submitted, t.Reason); err != nil {
				return err
			}
			p.State = UnderReview
			note := fmt.Sprintf("自动审核：%d 项否决，%d 项警示，%d 项提示", rep.Blocks, rep.Warnings, rep.Notes)
			return s.save(ctx, tx, p, rep, "wumen-review", "check", Submitted, UnderReview, note)
		})
		return p, err
	case ActApprove:
		if err := need(UnderReview); err != nil {
			return nil, err
		}
		if strings.TrimSpace(t.Document) == "" {
			return nil, invalidf("approval needs the approval document number (批准文号)")
		}
		rep, err := s.Checker.Check(ctx, p.Subject())
		if err != nil {
			return nil, err
		}
		if rep.Blocked() {
			// The refused approval is not audited as one; the check is kept.
			_ = s.inTx(gazetteer.WithoutAudit(ctx), func(tx Tx) error {
				return s.save(ctx, tx, p, rep, "wumen-review", "check", p.State, p.State, "批准前复核：存在否决项")
			})
			return nil, gazetteer.Errorf(gazetteer.EConflict, "the check has %d block finding(s): resolve them before approval", rep.Blocks)
		}
		atts, err := s.Attachments(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, k := range RequiredAttachments {
			found := false
			for _, a := range atts {
				found = found || a.Kind == k
			}
			if !found {
				return nil, invalidf("approval needs the %s (%s) attached", AttachmentTitle(k), k)
			}
		}
		p.State, p.ApprovalDoc, p.ApprovalDate = Approved, strings.TrimSpace(t.Document), date
		return p, s.inTx(ctx, func(tx Tx) error {
			return s.save(ctx, tx, p, rep, actor, ActApprove, from, Approved, t.Document+" "+t.Reason)
		})
	case ActReject:
		if err := need(UnderReview); err != nil {
			return nil, err
		}
		if strings.TrimSpace(t.Reason) == "" {
			return nil, invalidf("a rejection needs its reason")
		}
		p.State, p.Rejection = Rejected, strings.TrimSpace(t.Reason)
		return p, s.inTx(ctx, func(tx Tx) error { return s.save(ctx, tx, p, nil, actor, ActReject, from, Rejected, t.Reason) })
	case ActFile:
		if err := need(Approved); err != nil {
			return nil, err
		}
		p.State, p.FiledDate = Filed, date
		return p, s.inTx(ctx, func(tx Tx) error { return s.save(ctx, tx, p, nil, actor, ActFile, from, Filed, t.Reason) })
	case ActAnnounce:
		if err := need(Filed); err != nil {
			return nil, err
		}
		p.State, p.AnnouncedDate = Announced, date
		p.Notice = strings.TrimSpace(t.Notice)
		if p.Notice == "" {
			p.Notice = s.noticeText(ctx, p)
		}
		return p, s.inTx(ctx, func(tx Tx) error { return s.save(ctx, tx, p, nil, actor, ActAnnounce, from, Announced, t.Reason) })
	case ActApply:
		if err := need(Announced); err != nil {
			return nil, err
		}
		// The gazetteer event and the proposal's new state are one
		// transaction: a crash between them cannot apply a name twice.
		q := *p
		mark := func(ctx context.Context, tx Tx, placeID int64) error {
			q.State, q.PlaceID, q.AppliedAt = Applied, placeID, s.now()
			return s.save(ctx, tx, &q, nil, actor, ActApply, from, Applied, fmt.Sprintf("place %d", placeID))
		}
		if _, err := s.apply(ctx, p, actor, mark); err != nil {
			return nil, err
		}
		return &q, nil
	}
	return nil, invalidf("unknown action %q", t.Action)
}

// noticeText writes the public notice (公告) of an approved change.
func (s *Service) noticeText(ctx context.Context, p *Proposal) string {
	var what string
	switch p.Kind {
	case Renaming:
		old := fmt.Sprintf("#%d", p.Target)
		if t, err := s.Store.Get(ctx, p.Target); err == nil {
			old = t.Name
		}
		what = fmt.Sprintf("将“%s”更名为“%s”", old, p.Name)
	case Cancel:
		what = fmt.Sprintf("注销地名“%s”", p.Name)
	case Adjust:
		what = fmt.Sprintf("调整“%s”的起止点（起点：%s；止点：%s）", p.Name, p.Start, p.End)
	default:
		what = fmt.Sprintf("命名“%s”（%s）", p.Name, strings.Trim(p.Category.Class+"/"+p.Category.Subclass, "/"))
	}
	return fmt.Sprintf("经批准（%s，%s），%s。特此公告。", p.ApprovalDoc, p.ApprovalDate, what)
}

// apply writes the approved change to the gazetteer: a new place with a naming
// event, or an event on the target. It returns the place's id. Applying twice
// is harmless: an event already carrying this proposal is not added again.
func (s *Service) apply(ctx context.Context, p *Proposal, actor string, mark func(context.Context, Tx, int64) error) (int64, error) {
	c := gazetteer.Change{Actor: actor, Reason: fmt.Sprintf("地名审核 #%d：%s（%s）", p.ID, p.Title(), p.ApprovalDoc)}
	ev := gazetteer.Event{Date: p.ApprovalDate, Document: p.ApprovalDoc, Proposal: p.ID}
	if p.Kind == Naming {
		if p.Geometry == nil {
			return 0, invalidf("a naming proposal needs the geometry")
		}
		ev.Type = gazetteer.EventNaming
		pl := &gazetteer.Place{Name: p.Name, Category: p.Category, Status: gazetteer.StatusCurrent,
			Geometry: p.Geometry.Geometry(), Admin: adminChain(p.Admin),
			Coord:  &gazetteer.Coord{Method: "digitized", Source: fmt.Sprintf("proposal %d", p.ID), Note: "drawn or entered by the applicant; check against the survey"},
			Events: []gazetteer.Event{ev}}
		opt := gazetteer.PutOptions{Also: func(ctx context.Context, tx gazetteer.Tx, rep *gazetteer.Report) error {
			t, err := reviewTx(tx)
			if err != nil {
				return err
			}
			return mark(ctx, t, rep.Outcomes[0].ID)
		}}
		if _, err := s.Store.PutAll(ctx, []gazetteer.Input{{Place: pl}}, c, opt); err != nil {
			return 0, err
		}
		return pl.ID, nil
	}
	t, err := s.Store.Get(ctx, p.Target)
	if err != nil {
		return 0, err
	}
	for _, e := range t.Events {
		if e.Proposal == p.ID { // applied before: only the proposal's state is missing
			return t.ID, s.inTx(ctx, func(tx Tx) error { return mark(ctx, tx, t.ID) })
		}
	}
	switch p.Kind {
	case Renaming:
		ev.Type, ev.To = gazetteer.EventRenaming, p.Name
	case Cancel:
		ev.Type = gazetteer.EventCancel
	case Adjust:
		ev.Type, ev.Start, ev.End = gazetteer.EventAdjustEnds, p.Start, p.End
	}
	opt := gazetteer.PutOptions{Also: func(ctx context.Context, tx gazetteer.Tx, _ *gazetteer.Report) error {
		rt, err := reviewTx(tx)
		if err != nil {
			return err
		}
		return mark(ctx, rt, t.ID)
	}}
	if _, err := s.Store.ApplyEventWith(ctx, t.ID, ev, c, opt); err != nil {
		return 0, err
	}
	return t.ID, nil
}

// adminChain expands a statistical code to its parents, broadest first:
// 320508018 → 3205, 320508, 320508018.
func adminChain(code string) []string {
	if len(code) < 4 {
		return nil
	}
	// The city is "3205", as the NBS prefecture code is written in the data.
	out := []string{code[:4]}
	if len(code) >= 6 && code[:6] != out[0] {
		out = append(out, code[:6])
	}
	if len(code) >= 9 {
		out = append(out, code[:9])
	}
	if len(code) >= 12 {
		out = append(out, code[:12])
	}
	return out
}
