package officer

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
)

// positionRequest is the body of POST /officer/api/positions/{id}: the
// position as the officer page saves it.
type positionRequest struct {
	Geometry  *geojson.Geometry `json:"geometry"`
	Method    string            `json:"method"`
	AccuracyM float64           `json:"accuracy_m"`
	Source    string            `json:"source"`
	Note      string            `json:"note"`
	// IfUpdated is the place's "updated" as the script read it (or give
	// it as If-Match: "<updated>"): a place changed since is a 409.
	IfUpdated string `json:"if_updated"`
}

// apiPosition positions a place for a script (an officer's API token): the
// same rules, revision and audit entry as the officer page.
func (h *Handler) apiPosition(w http.ResponseWriter, r *http.Request, u *account.User) {
	id, err := pathID(r, "id")
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	var req positionRequest
	if err := decode(r, &req); err != nil {
		h.apiError(w, r, err)
		return
	}
	if req.Geometry == nil {
		h.apiError(w, r, gazetteer.Errorf(gazetteer.EInvalid, "geometry: a GeoJSON geometry is needed"))
		return
	}
	ifUpdated, err := readIfMatch(r, req.IfUpdated)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	pl := gazetteer.Placement{ID: id, Geometry: req.Geometry.Geometry(), Where: "the request", IfUpdated: ifUpdated,
		Coord: gazetteer.Coord{Method: req.Method, AccuracyM: req.AccuracyM, Source: req.Source, Note: req.Note}}
	ctx := h.audited(r, u.Name, "place.position", func() (string, string) {
		return fmt.Sprintf("place %d", id), pl.Coord.Method + " " + pl.Coord.Source + " (API)"
	})
	if _, err := h.store.SetPlacements(ctx, []gazetteer.Placement{pl}, gazetteer.Change{Actor: u.Name, Reason: "positioned by an officer: " + pl.Coord.Source}, true); err != nil {
		h.apiError(w, r, err)
		return
	}
	p, err := h.store.Get(r.Context(), id)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	w.Header().Set("ETag", placeETag(p))
	writeJSON(w, http.StatusOK, p)
}

// placeETag is the entity tag of a place record as the officer API answers
// it: its "updated" time, which every revision changes.
func placeETag(p *gazetteer.Place) string { return strconv.Quote(p.Updated) }

// readIfMatch returns the revision a write names: the If-Match header (one
// entity tag, as placeETag makes it) or the body's if_updated; both given
// must agree. None given is "" (the write is checked against the copy the
// server reads, not against the client's).
func readIfMatch(r *http.Request, body string) (string, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return body, nil
	}
	tag, err := strconv.Unquote(h)
	if err != nil || strings.Contains(h, ",") {
		return "", gazetteer.Errorf(gazetteer.EInvalid, "If-Match: give one entity tag, the place's \"updated\" in double quotes, as the answer's ETag header has it")
	}
	if body != "" && body != tag {
		return "", gazetteer.Errorf(gazetteer.EInvalid, "if_updated and If-Match name different revisions (%s and %s)", body, tag)
	}
	return tag, nil
}
