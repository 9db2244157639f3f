package officer

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

// checkPage is the quick check (名称检查): a name typed the way officers write
// it — the category in any form or none, a position typed or drawn, a
// jurisdiction or none — checked against every rule without storing
// anything. The report says which category and county it used and how, with
// links that re-run the check with either corrected.
func (h *Handler) checkPage(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	form := map[string]string{"name": get("name"), "category": get("category"), "geometry": get("geometry"), "admin": get("admin")}
	d := map[string]any{"Title": "名称检查 Check a name", "F": form, "CheckPage": true}
	h.mapSettings(d)
	if form["name"] == "" {
		h.render(w, "check", sess, d)
		return
	}
	p := &review.Proposal{Kind: review.Naming, Name: form["name"], CategoryText: form["category"], Admin: form["admin"]}
	g, err := review.ParseGeometry(form["geometry"])
	if err == nil && g != nil {
		p.Geometry = geojson.NewGeometry(g)
		d["Point"] = gazetteer.LabelPoint(g)
	}
	var rep *review.Report
	if err == nil {
		rep, err = h.Reviews.Check(r.Context(), p)
	}
	if err != nil {
		if gazetteer.ErrorCode(err) == gazetteer.EInternal {
			h.fail(w, r, sess, err)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		d["Error"] = gazetteer.ErrorMessage(err)
		d["Candidates"] = h.categoryLinks(q, form["category"])
		h.render(w, "check", sess, d)
		return
	}
	d["Report"] = rep
	h.mapData(r, d, p, rep)
	d["Alternatives"] = alternativeLinks(q, rep.Category)
	d["Forms"] = h.categoryForms(rep.Category)
	if rep.Location != nil && rep.Location.By == review.AdminLocated && len(rep.Location.Admin) > 0 {
		d["AdminFix"] = rep.Subject.Admin
	}
	h.render(w, "check", sess, d)
}

// link is a re-run of the check with one field changed.
type link struct{ Text, URL string }

func rerun(q url.Values, key, value string) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set(key, value)
	return "/officer/check?" + v.Encode()
}

// categoryLinks offers the readings of an ambiguous category, or the nearest
// categories of an unknown one, as checks to re-run.
func (h *Handler) categoryLinks(q url.Values, written string) []link {
	if written == "" {
		return nil
	}
	ms, _ := h.store.Categories().Lookup(written)
	var out []link
	for _, m := range ms {
		s := m.Category.String()
		out = append(out, link{Text: s, URL: rerun(q, "category", s)})
	}
	return out
}

// alternativeLinks offers the other categories an inferred 通名 may mean.
func alternativeLinks(q url.Values, n *review.CategoryNote) []link {
	if n == nil {
		return nil
	}
	var out []link
	for _, a := range n.Alternatives {
		out = append(out, link{Text: a.String(), URL: rerun(q, "category", a.String())})
	}
	return out
}

// maxForms is how many other written forms of the category the check page
// shows.
const maxForms = 8

// categoryForms lists ways of writing the category the check used, one of
// each kind first (道路街巷, 街巷, 街, street …), so an officer learns what
// the check page accepts.
func (h *Handler) categoryForms(n *review.CategoryNote) []string {
	if n == nil || n.Category.Class == "" {
		return nil
	}
	ms := h.store.Categories().Forms(n.Category)
	var out []string
	taken := make([]bool, len(ms))
	kinds := map[string]bool{}
	for _, firstOfKind := range []bool{true, false} {
		for i, m := range ms {
			if len(out) == maxForms {
				return out
			}
			if !taken[i] && (!firstOfKind || !kinds[m.By]) {
				taken[i], kinds[m.By] = true, true
				out = append(out, m.Form)
			}
		}
	}
	return out
}

// formCategory reads the category of the proposal form: one field written in
// any form (街巷, 街, street, the path …), resolved when the proposal is
// stored; a client posting the older class and subclass fields instead is
// read as before.
func formCategory(r *http.Request) (gazetteer.Category, string) {
	if _, ok := r.PostForm["category"]; ok || r.PostFormValue("class") == "" && r.PostFormValue("subclass") == "" {
		return gazetteer.Category{}, strings.TrimSpace(r.PostFormValue("category"))
	}
	return gazetteer.Category{Class: strings.TrimSpace(r.PostFormValue("class")), Subclass: strings.TrimSpace(r.PostFormValue("subclass"))}, ""
}
