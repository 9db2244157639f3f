package officer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/site/jsonapi"
)

// Officers put places on the map: the places awaiting a position, the most
// looked-at first; a map to place a point or draw a line or polygon
// (terra-draw, vendored in site/static/vendor); a table upload of many
// positions at once. Every position is a revision by the officer, with its
// method, accuracy, source and note (gazetteer.SetPlacements).

// Drawing library files, served beside MapLibre.
const (
	drawScript   = "/static/vendor/terra-draw.umd.js"
	drawAdapter  = "/static/vendor/terra-draw-maplibre-gl-adapter.umd.js"
	positionsURL = "/officer/positions"
)

func (h *Handler) positionRoutes() {
	m := h.mux
	m.HandleFunc("GET /officer/positions", h.page(account.PermPropose, h.positions))
	m.HandleFunc("POST /officer/positions/upload", h.page(account.PermPropose, h.uploadPositions))
	m.HandleFunc("GET /officer/positions/{id}", h.page(account.PermPropose, h.positionPage))
	m.HandleFunc("POST /officer/positions/{id}", h.page(account.PermPropose, h.savePosition))
	m.HandleFunc("POST /officer/api/positions/{id}", h.api(account.PermPropose, h.apiPosition))
}

// positions lists the places awaiting a position, filtered by county,
// township and category.
func (h *Handler) positions(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	h.renderPositions(w, r, sess, nil)
}

func (h *Handler) renderPositions(w http.ResponseWriter, r *http.Request, sess *account.Session, extra map[string]any) {
	q := r.URL.Query()
	f := gazetteer.AwaitingFilter{Category: strings.TrimSpace(q.Get("category")), Limit: 200}
	county, township := strings.TrimSpace(q.Get("county")), strings.TrimSpace(q.Get("township"))
	f.Admin = county
	if township != "" {
		f.Admin = township
	}
	list, total, err := h.store.AwaitingPosition(r.Context(), f)
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	names, err := h.store.AdminNames(r.Context())
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	type row struct {
		gazetteer.Awaiting
		Where string
	}
	var rows []row
	for _, a := range list {
		var parts []string
		for _, c := range a.Admin {
			if len(c) > 4 {
				parts = append(parts, names[c])
			}
		}
		rows = append(rows, row{a, strings.Join(parts, " ")})
	}
	var counties, townships [][2]string
	for c, n := range names {
		switch {
		case len(c) == 6:
			counties = append(counties, [2]string{c, n})
		case len(c) == 9 && county != "" && strings.HasPrefix(c, county):
			townships = append(townships, [2]string{c, n})
		}
	}
	sortPairs(counties)
	sortPairs(townships)
	d := map[string]any{"Title": "待定位地名 Places awaiting a position", "Rows": rows, "Total": total,
		"County": county, "Township": township, "Category": f.Category, "Counties": counties, "Townships": townships}
	for k, v := range extra {
		d[k] = v
	}
	h.render(w, "positions", sess, d)
}

func sortPairs(ps [][2]string) {
	sort.Slice(ps, func(i, j int) bool { return ps[i][0] < ps[j][0] })
}

// positionPage shows the drawing map and the form for one place.
func (h *Handler) positionPage(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	h.renderPosition(w, r, sess, http.StatusOK, nil)
}

func (h *Handler) renderPosition(w http.ResponseWriter, r *http.Request, sess *account.Session, status int, extra map[string]any) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	p, err := h.store.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	d := map[string]any{"Title": "定位 Position: " + p.Name, "P": p, "Accuracy": "", "Method": "digitized",
		"Saved": r.URL.Query().Get("saved") == "1" && status == http.StatusOK}
	if p.Geometry != nil {
		b, _ := json.Marshal(geojson.NewGeometry(p.Geometry))
		d["Geometry"] = string(b)
	}
	h.mapSettings(d)
	if p.Label != nil {
		d["MapBounds"] = fmt.Sprintf("%f,%f,%f,%f", p.Label.Lon()-0.01, p.Label.Lat()-0.01, p.Label.Lon()+0.01, p.Label.Lat()+0.01)
	}
	d["DrawScript"], d["DrawAdapter"] = drawScript, drawAdapter
	for k, v := range extra {
		d[k] = v
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	h.render(w, "position", sess, d)
}

// savePosition writes the drawn position as a revision by the officer.
func (h *Handler) savePosition(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	pl := gazetteer.Placement{ID: id, Coord: gazetteer.Coord{Method: f("method"), Source: f("source"), Note: f("note")}, Where: "the form", IfUpdated: f("updated")}
	if s := f("accuracy"); s != "" {
		if pl.Coord.AccuracyM, err = strconv.ParseFloat(s, 64); err != nil {
			err = gazetteer.Errorf(gazetteer.EInvalid, "accuracy: %q is not a number of metres", s)
		}
	}
	if err == nil && f("geometry") != "" {
		var g geojson.Geometry
		if jerr := json.Unmarshal([]byte(f("geometry")), &g); jerr != nil {
			err = gazetteer.Errorf(gazetteer.EInvalid, "geometry: not a GeoJSON geometry")
		} else {
			pl.Geometry = g.Geometry()
		}
	}
	if err == nil {
		ctx := h.audited(r, sess.User.Name, "place.position", func() (string, string) {
			return fmt.Sprintf("place %d", id), pl.Coord.Method + " " + pl.Coord.Source
		})
		_, err = h.store.SetPlacements(ctx, []gazetteer.Placement{pl}, gazetteer.Change{Actor: sess.User.Name, Reason: "positioned by an officer: " + pl.Coord.Source}, true)
	}
	if err != nil {
		h.renderPosition(w, r, sess, jsonapi.Status(gazetteer.ErrorCode(err)), map[string]any{"Error": gazetteer.ErrorMessage(err), "Accuracy": f("accuracy"),
			"Method": f("method"), "Source": f("source"), "Note": f("note"), "Geometry": f("geometry")})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s/%d?saved=1", positionsURL, id), http.StatusSeeOther)
}

// uploadPositions reads a table of positions (id or code, lon, lat,
// accuracy, source[, method, note]) and writes all of them or none.
func (h *Handler) uploadPositions(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderPositions(w, r, sess, map[string]any{"UploadError": "choose a CSV file of positions to upload"})
		return
	}
	defer file.Close()
	ps, err := gazetteer.ReadPlacementsCSV(file, hdr.Filename)
	if err == nil {
		ctx := h.audited(r, sess.User.Name, "place.position.upload", func() (string, string) {
			return hdr.Filename, fmt.Sprintf("%d positions", len(ps))
		})
		_, err = h.store.SetPlacements(ctx, ps, gazetteer.Change{Actor: sess.User.Name, Reason: "positions uploaded: " + hdr.Filename}, false)
	}
	if err != nil {
		w.WriteHeader(jsonapi.Status(gazetteer.ErrorCode(err)))
		h.renderPositions(w, r, sess, map[string]any{"UploadError": gazetteer.ErrorMessage(err)})
		return
	}
	h.renderPositions(w, r, sess, map[string]any{"Uploaded": len(ps)})
}
