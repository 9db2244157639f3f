package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
)

// State is where a proposal stands in the procedure (docs/domain.md §5):
// draft → submitted → under_review → approved | rejected → filed (备案) →
// announced (公告) → applied (入库).
type State string

// Proposal states.
const (
	Draft       State = "draft"
	Submitted   State = "submitted"
	UnderReview State = "under_review"
	Approved    State = "approved"
	Rejected    State = "rejected"
	Filed       State = "filed"
	Announced   State = "announced"
	Applied     State = "applied"
)

// DueDays is the statutory time for filing (备案) and for the public notice
// (公告), counted from the approval date (docs/domain.md §5: within 15 days).
const DueDays = 15

// Attachment kinds: the three reports an application needs (综合评估, 专家论证,
// 征求意见) and any other file.
const (
	AttachAssessment   = "assessment"
	AttachExpert       = "expert"
	AttachConsultation = "consultation"
	AttachOther        = "other"
)

// RequiredAttachments are the reports approval needs.
var RequiredAttachments = []string{AttachAssessment, AttachExpert, AttachConsultation}

// AttachmentTitle names an attachment kind in Chinese.
func AttachmentTitle(kind string) string {
	switch kind {
	case AttachAssessment:
		return "综合评估报告"
	case AttachExpert:
		return "专家论证报告"
	case AttachConsultation:
		return "征求意见报告"
	}
	return "其他材料"
}

// Proposal is an application to name, rename, cancel or adjust a place name.
type Proposal struct {
	ID       int64              `json:"id"`
	Kind     Action             `json:"kind"`
	State    State              `json:"state"`
	Name     string             `json:"name"`
	Category gazetteer.Category `json:"category"`
	// CategoryText is the category as written, in any form
	// gazetteer.Categories.Resolve reads; "category" given as a JSON string
	// lands here. Validation resolves it into Category.
	CategoryText string `json:"category_text,omitempty"`
	Scale        string `json:"scale,omitempty"`
	// Target is the place renamed, cancelled or adjusted.
	Target   int64             `json:"target,omitempty"`
	Geometry *geojson.Geometry `json:"geometry,omitempty"` // WGS84
	// Admin is the statistical code of the jurisdiction (所在行政区).
	Admin     string `json:"admin,omitempty"`
	Applicant string `json:"applicant"`
	Reasons   string `json:"reasons,omitempty"`
	// Protection records protection measures for a protected name
	// (地名管理条例 第二十五条).
	Protection string `json:"protection,omitempty"`
	Start      string `json:"start,omitempty"` // 起点 (adjust)
	End        string `json:"end,omitempty"`   // 止点 (adjust)

	ApprovalDoc   string `json:"approval_doc,omitempty"`  // 批准文号
	ApprovalDate  string `json:"approval_date,omitempty"` // YYYY-MM-DD
	Rejection     string `json:"rejection,omitempty"`
	FiledDate     string `json:"filed_date,omitempty"`
	AnnouncedDate string `json:"announced_date,omitempty"`
	Notice        string `json:"notice,omitempty"` // text of the public notice (公告)
	AppliedAt     string `json:"applied_at,omitempty"`
	PlaceID       int64  `json:"place_id,omitempty"` // the place written to the gazetteer

	CreatedBy string `json:"created_by,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`

	// Report is the latest check report (not part of the stored record).
	Report *Report `json:"report,omitempty"`

	// read is the stored record this copy was read as, when a change made
	// from it must find the store still holding it (Update).
	read string
}

// storedDoc is the record as the store keeps it: the proposal without its
// report.
func storedDoc(p *Proposal) string {
	q := *p
	q.Report = nil
	b, _ := json.Marshal(&q)
	return string(b)
}

// Version names the proposal's stored record as it is now: an edit form
// carries it, and saving the form after someone else changed the proposal
// is a conflict instead of undoing their change.
func (p *Proposal) Version() string {
	sum := sha256.Sum256([]byte(storedDoc(p)))
	return hex.EncodeToString(sum[:8])
}

// Subject is what the rules check for the proposal.
func (p *Proposal) Subject() Subject {
	s := Subject{Action: p.Kind, Name: p.Name, Category: p.Category, CategoryText: p.CategoryText, Scale: p.Scale, Admin: p.Admin, Target: p.Target, Protection: p.Protection}
	if p.Geometry != nil {
		s.Geometry = p.Geometry.Geometry()
	}
	return s
}

// Title is a one-line description: "命名 山塘街", "更名 #13 → 平江新路".
func (p *Proposal) Title() string {
	switch p.Kind {
	case Renaming:
		return fmt.Sprintf("更名 #%d → %s", p.Target, p.Name)
	case Cancel:
		return fmt.Sprintf("注销 #%d %s", p.Target, p.Name)
	case Adjust:
		return fmt.Sprintf("起止点调整 #%d %s", p.Target, p.Name)
	}
	return "命名 " + p.Name
}

// Overdue is a statutory step that is late.
type Overdue struct {
	Step     string `json:"step"` // filing, announcement
	Due      string `json:"due"`  // YYYY-MM-DD
	DaysLate int    `json:"days_late"`
}

// Attachment is a file attached to a proposal.
type Attachment struct {
	ID         int64  `json:"id"`
	ProposalID int64  `json:"proposal_id"`
	Kind       string `json:"kind"`
	Filename   string `json:"filename"`
	MIME       string `json:"mime"`
	Size       int64  `json:"size"`
	UploadedBy string `json:"uploaded_by"`
	At         string `json:"at"`
	Data       []byte `json:"-"`
}

// Comment is a comment or an expert opinion (专家意见) on a proposal.
type Comment struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"` // comment, expert
	Author string `json:"author"`
	Body   string `json:"body"`
	At     string `json:"at"`
}

// HistoryEntry is one append-only record of what happened to a proposal.
type HistoryEntry struct {
	ID     int64  `json:"id"`
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	From   State  `json:"from,omitempty"`
	To     State  `json:"to,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Service keeps proposals beside the gazetteer and moves them through the
// procedure.
type Service struct {
	Store   *gazetteer.Store
	keep    Storage
	Checker *Checker
	// Now is the clock; tests inject one to see overdue steps.
	Now func() time.Time
	// MaxAttachment is the largest file accepted, in bytes.
	MaxAttachment int64
}

// DefaultMaxAttachment is the size limit of one attached file.
const DefaultMaxAttachment = 10 << 20

// Open returns the Service of naming review kept in the store.
func Open(store *gazetteer.Store) (*Service, error) {
	keep, err := storage(store)
	if err != nil {
		return nil, err
	}
	s := &Service{Store: store, keep: keep, Now: time.Now, MaxAttachment: DefaultMaxAttachment}
	s.Checker = &Checker{Store: store, Now: func() time.Time { return s.Now() }}
	return s, nil
}

func (s *Service) now() string { return s.Now().UTC().Format(time.RFC3339) }

func (s *Service) today() string { return s.Now().Format("2006-01-02") }

func invalidf(format string, args ...any) error {
	return gazetteer.Errorf(gazetteer.EInvalid, format, args...)
}

// validate checks the fields a proposal needs for its kind.
func (s *Service) validate(ctx context.Context, p *Proposal) error {
	p.Name = strings.TrimSpace(p.Name)
	p.Applicant = strings.TrimSpace(p.Applicant)
	if err := s.category(p); err != nil {
		return err
	}
	switch p.Kind {
	case Naming:
		if p.Name == "" {
			return invalidf("a naming proposal needs the name")
		}
		if p.Category.Class == "" {
			if m, _, ok := s.Store.Categories().FromName(p.Name); ok {
				p.Category = m.Category
			} else {
				return invalidf("a naming proposal needs the category (the name has no generic it could be taken from)")
			}
		}
		if p.Geometry == nil {
			return invalidf("a naming proposal needs the geometry")
		}
	case Renaming, Cancel, Adjust:
		if p.Target <= 0 {
			return invalidf("a %s proposal needs the place it changes", p.Kind)
		}
		t, err := s.Store.Get(ctx, p.Target)
		if err != nil {
			return err
		}
		if p.Kind == Renaming && p.Name == "" {
			return invalidf("a renaming proposal needs the new name")
		}
		if p.Kind != Renaming {
			p.Name = t.Name
		}
		if p.Category.Class == "" {
			p.Category = t.Category
		}
	default:
		return invalidf("unknown proposal kind %q (naming, renaming, cancel, adjust)", p.Kind)
	}
	if p.Admin != "" && !digits(p.Admin) {
		return invalidf("the jurisdiction %q is not a statistical code", p.Admin)
	}
	if p.Applicant == "" {
		return invalidf("the applicant (申报单位) is missing")
	}
	// The geometry last: the cheap fields refuse a bad proposal first.
	if p.Geometry != nil {
		g := p.Geometry.Geometry()
		if n := gazetteer.Vertices(g); n > MaxProposalVertices {
			return invalidf("the geometry has %d vertices; a proposal may have at most %d (simplify the outline)", n, MaxProposalVertices)
		}
		if err := gazetteer.ValidGeometry(g); err != nil {
			return err
		}
	}
	return nil
}

// MaxProposalVertices bounds the geometry of one proposal, and so the server
// time one request can cost (validation is O(n log n) for an outline, worse
// only for rings drawn to defeat the index, which this limit keeps to about a
// second). A street's line or a new estate's outline has a few hundred.
const MaxProposalVertices = 20_000

// category resolves a category written in any form into the table's own
// (gazetteer.Categories.Resolve), so that a stored proposal holds the census
// category.
func (s *Service) category(p *Proposal) error {
	w := strings.TrimSpace(p.CategoryText)
	if w == "" && p.Category.Class != "" && !known(s.Store.Categories(), p.Category) {
		w = p.Category.String()
	}
	if w == "" {
		return nil
	}
	m, err := s.Store.Categories().Resolve(w)
	if err != nil {
		return err
	}
	p.Category, p.CategoryText = m.Category, ""
	return nil
}

// UnmarshalJSON reads a proposal whose category is an object
// ({"class": …, "subclass": …}) or a string in any form people write it
// ("街巷", "street"). Unknown fields are refused.
func (p *Proposal) UnmarshalJSON(b []byte) error {
	type plain Proposal
	aux := struct {
		*plain
		Category json.RawMessage `json:"category"`
	}{plain: (*plain)(p)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	raw := bytes.TrimSpace(aux.Category)
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		return json.Unmarshal(raw, &p.CategoryText)
	case raw[0] == '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p.Category); err != nil {
			return fmt.Errorf("category: %w", err)
		}
	default:
		return fmt.Errorf("category: want a string such as \"街巷\" or an object {\"class\": …, \"subclass\": …}")
	}
	return nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Create stores a new draft proposal.
func (s *Service) Create(ctx context.Context, p *Proposal, actor string) error {
	p.State = Draft
	if err := s.validate(ctx, p); err != nil {
		return err
	}
	now := s.now()
	p.CreatedBy, p.CreatedAt, p.UpdatedAt = actor, now, now
	p.Report = nil
	return s.inTx(ctx, func(tx Tx) error {
		id, err := tx.InsertProposal(ctx, p)
		if err != nil {
			return err
		}
		p.ID = id
		return s.save(ctx, tx, p, nil, actor, "create", "", Draft, "")
	})
}

// save rewrites the proposal row and appends a history entry.
func (s *Service) save(ctx context.Context, tx Tx, p *Proposal, rep *Report, actor, action string, from, to State, note string) error {
	p.UpdatedAt = s.now()
	p.Report = nil
	// The row must still be in the state it was read in: two officers
	// acting at once (approve while an editor saves, two applies) get a
	// conflict instead of one silently undoing the other.
	guard := from
	if guard == "" { // a creation: the row was just inserted in state to
		guard = to
	}
	ok, err := tx.SaveProposal(ctx, p, rep, guard, p.read)
	if err != nil {
		return err
	}
	if !ok {
		return gazetteer.Errorf(gazetteer.EConflict, "proposal %d changed while you were working on it; reload and try again", p.ID)
	}
	if err := tx.AppendHistory(ctx, p, HistoryEntry{At: p.UpdatedAt, Actor: actor, Action: action, From: from, To: to, Note: note}); err != nil {
		return err
	}
	p.Report = rep
	return nil
}

// Get returns a proposal with its latest check report.
func (s *Service) Get(ctx context.Context, id int64) (*Proposal, error) {
	return s.keep.Proposal(ctx, id)
}

// List returns the proposals in the given states (all when none), newest
// first.
func (s *Service) List(ctx context.Context, states ...State) ([]*Proposal, error) {
	ids, err := s.keep.ProposalIDs(ctx, states)
	if err != nil {
		return nil, err
	}
	out := make([]*Proposal, 0, len(ids))
	for _, id := range ids {
		p, err := s.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Update changes a proposal that is a draft or under review; under review the
// checks run again on every change. seen, when given, is the Version of the
// proposal the officer saw (the edit form's): a proposal changed since is a
// conflict. The change is saved only if the store still holds the record it
// was made from, so an officer acting in between is never undone.
func (s *Service) Update(ctx context.Context, id int64, actor, note, seen string, fn func(p *Proposal) error) (*Proposal, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != Draft && p.State != UnderReview {
		return nil, gazetteer.Errorf(gazetteer.EConflict, "a proposal in state %s cannot be edited", p.State)
	}
	if seen != "" && p.Version() != seen {
		return nil, gazetteer.Errorf(gazetteer.EConflict, "proposal %d was changed by someone else (last at %s) after you opened it: open it again, check their change and make yours on it", p.ID, p.UpdatedAt)
	}
	p.read = storedDoc(p)
	keep := *p
	if err := fn(p); err != nil {
		return nil, err
	}
	p.ID, p.State, p.Kind, p.CreatedBy, p.CreatedAt = keep.ID, keep.State, keep.Kind, keep.CreatedBy, keep.CreatedAt
	if err := s.validate(ctx, p); err != nil {
		return nil, err
	}
	var rep *Report
	if p.State == UnderReview {
		if rep, err = s.Checker.Check(ctx, p.Subject()); err != nil {
			return nil, err
		}
	}
	return p, s.inTx(ctx, func(tx Tx) error { return s.save(ctx, tx, p, rep, actor, "edit", p.State, p.State, note) })
}

// inTx runs fn in a transaction of the store committed with the audit entry
// ctx carries (gazetteer.WithAudit), so a change and its audit land
// together.
func (s *Service) inTx(ctx context.Context, fn func(Tx) error) error {
	return s.Store.Update(ctx, func(tx gazetteer.Tx) error {
		t, err := reviewTx(tx)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// Check runs the rules for a proposal without storing the report.
func (s *Service) Check(ctx context.Context, p *Proposal) (*Report, error) {
	return s.Checker.Check(ctx, p.Subject())
}

// Overdue returns the statutory steps of p that are late at the service's
// clock: filing (备案) and the notice (公告), each due DueDays after approval.
func (s *Service) Overdue(p *Proposal) []Overdue {
	if p.ApprovalDate == "" {
		return nil
	}
	approved, err := time.ParseInLocation("2006-01-02", p.ApprovalDate, s.Now().Location())
	if err != nil {
		return nil
	}
	due := approved.AddDate(0, 0, DueDays)
	today, _ := time.ParseInLocation("2006-01-02", s.today(), s.Now().Location())
	late := int(today.Sub(due).Hours() / 24)
	if late <= 0 {
		return nil
	}
	var out []Overdue
	if p.State == Approved {
		out = append(out, Overdue{Step: "filing", Due: due.Format("2006-01-02"), DaysLate: late})
	}
	if p.State == Approved || p.State == Filed {
		out = append(out, Overdue{Step: "announcement", Due: due.Format("2006-01-02"), DaysLate: late})
	}
	return out
}

// Attach stores a file on a proposal that is not yet decided.
func (s *Service) Attach(ctx context.Context, id int64, a *Attachment, actor string) error {
	p, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if p.State != Draft && p.State != UnderReview {
		return gazetteer.Errorf(gazetteer.EConflict, "files can be attached only before the decision")
	}
	switch a.Kind {
	case AttachAssessment, AttachExpert, AttachConsultation, AttachOther:
	default:
		return invalidf("unknown attachment kind %q", a.Kind)
	}
	if len(a.Data) == 0 {
		return invalidf("the file %q is empty", a.Filename)
	}
	max := s.MaxAttachment
	if max <= 0 {
		max = DefaultMaxAttachment
	}
	if int64(len(a.Data)) > max {
		return invalidf("the file %q is larger than %d bytes", a.Filename, max)
	}
	if a.MIME == "" {
		a.MIME = "application/octet-stream"
	}
	a.ProposalID, a.Size, a.UploadedBy, a.At = id, int64(len(a.Data)), actor, s.now()
	return s.inTx(ctx, func(tx Tx) error {
		aid, err := tx.AddAttachment(ctx, a)
		if err != nil {
			return err
		}
		a.ID = aid
		return s.save(ctx, tx, p, nil, actor, "attach", p.State, p.State, AttachmentTitle(a.Kind)+"："+a.Filename)
	})
}

// Attachments lists a proposal's files (without their data).
func (s *Service) Attachments(ctx context.Context, id int64) ([]Attachment, error) {
	return s.keep.Attachments(ctx, id)
}

// Attachment returns one file with its data.
func (s *Service) Attachment(ctx context.Context, id, aid int64) (*Attachment, error) {
	return s.keep.Attachment(ctx, id, aid)
}

// Comment adds a comment or an expert opinion.
func (s *Service) Comment(ctx context.Context, id int64, kind, author, body string) error {
	p, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if kind != "comment" && kind != "expert" {
		return invalidf("unknown comment kind %q", kind)
	}
	if strings.TrimSpace(body) == "" {
		return invalidf("the comment is empty")
	}
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.AddComment(ctx, id, Comment{Kind: kind, Author: author, Body: body, At: s.now()}); err != nil {
			return err
		}
		return s.save(ctx, tx, p, nil, author, kind, p.State, p.State, "")
	})
}

// Comments lists a proposal's comments, oldest first.
func (s *Service) Comments(ctx context.Context, id int64) ([]Comment, error) {
	return s.keep.Comments(ctx, id)
}

// History returns the append-only history of a proposal, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]HistoryEntry, error) {
	return s.keep.History(ctx, id)
}

// Notices returns the proposals whose public notice (公告) is published,
// newest first.
func (s *Service) Notices(ctx context.Context) ([]*Proposal, error) {
	return s.List(ctx, Announced, Applied)
}
