package officer

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return gazetteer.Errorf(gazetteer.EInvalid, "the JSON body cannot be read: %v", err)
	}
	return nil
}

type apiProposal struct {
	*review.Proposal
	Overdue []review.Overdue `json:"overdue,omitempty"`
}

func (h *Handler) apiList(w http.ResponseWriter, r *http.Request, u *account.User) {
	var states []review.State
	for _, s := range r.URL.Query()["state"] {
		states = append(states, review.State(s))
	}
	ps, err := h.Reviews.List(r.Context(), states...)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	out := []apiProposal{}
	for _, p := range ps {
		out = append(out, apiProposal{p, h.Reviews.Overdue(p)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"proposals": out})
}

func (h *Handler) apiGet(w http.ResponseWriter, r *http.Request, u *account.User) {
	id, err := pathID(r, "id")
	var p *review.Proposal
	if err == nil {
		p, err = h.Reviews.Get(r.Context(), id)
	}
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiProposal{p, h.Reviews.Overdue(p)})
}

// proposalFields are the fields a client may give when it creates a
// proposal: the applicant's. The workflow's own (state, approval_doc,
// place_id, created_by …) are written only by transitions, so a body that
// sets one is refused, naming it (no mass assignment: OWASP ASVS 4.0 V5.1.2).
var proposalFields = map[string]bool{"kind": true, "name": true, "category": true, "category_text": true, "scale": true,
	"target": true, "geometry": true, "admin": true, "applicant": true, "reasons": true, "protection": true, "start": true, "end": true}

// decodeProposal reads a new proposal from the body, with only the fields
// of proposalFields.
func decodeProposal(r *http.Request, p *review.Proposal) error {
	var fields map[string]json.RawMessage
	if err := decode(r, &fields); err != nil {
		return err
	}
	for k := range fields {
		if !proposalFields[k] {
			return gazetteer.Errorf(gazetteer.EInvalid, "the field %q cannot be set when a proposal is created (the workflow sets it)", k)
		}
	}
	b, _ := json.Marshal(fields)
	if err := json.Unmarshal(b, p); err != nil {
		return gazetteer.Errorf(gazetteer.EInvalid, "the JSON body cannot be read: %v", err)
	}
	return nil
}

func (h *Handler) apiCreate(w http.ResponseWriter, r *http.Request, u *account.User) {
	var p review.Proposal
	if err := decodeProposal(r, &p); err != nil {
		h.apiError(w, r, err)
		return
	}
	ctx := h.audited(r, u.Name, "proposal.create", func() (string, string) {
		return fmt.Sprintf("proposal %d", p.ID), p.Title() + "：" + p.Reasons + " (API)"
	})
	if err := h.Reviews.Create(ctx, &p, u.Name); err != nil {
		h.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/officer/api/proposals/%d", p.ID))
	writeJSON(w, http.StatusCreated, p)
}

func (h *Handler) apiTransition(w http.ResponseWriter, r *http.Request, u *account.User) {
	id, err := pathID(r, "id")
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	var t review.Transition
	if err := decode(r, &t); err != nil {
		h.apiError(w, r, err)
		return
	}
	if !account.Can(u.Role, decidePerm(t.Action)) {
		h.apiError(w, r, gazetteer.Errorf(gazetteer.EForbidden, "the role %s may not %s a proposal", u.Role, t.Action))
		return
	}
	ctx := h.audited(r, u.Name, "proposal."+t.Action, func() (string, string) {
		return fmt.Sprintf("proposal %d", id), t.Document + " " + t.Reason + " (API)"
	})
	p, err := h.Reviews.Transition(ctx, id, t, u.Name)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// apiCheck runs the rules on a subject without storing anything: the body is
// a proposal (name, category, geometry, admin, target …).
func (h *Handler) apiCheck(w http.ResponseWriter, r *http.Request, u *account.User) {
	var p review.Proposal
	if err := decode(r, &p); err != nil {
		h.apiError(w, r, err)
		return
	}
	if p.Kind == "" {
		p.Kind = review.Naming
	}
	rep, err := h.Reviews.Check(r.Context(), &p)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
