package officer

import (
	"fmt"
	"net/http"

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
	pl := gazetteer.Placement{ID: id, Geometry: req.Geometry.Geometry(), Where: "the request",
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
	writeJSON(w, http.StatusOK, p)
}
