package reconcile

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/search"
)

// suggestLimit is how many suggestions one answer holds.
const suggestLimit = 10

// suggestEntity answers /reconcile/suggest/entity?prefix=…: places whose
// names begin with what the user typed (the site's autocomplete).
func (s *service) suggestEntity(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if s.index == nil {
		s.fail(w, r, errNoIndex)
		return
	}
	prefix := strings.TrimSpace(r.Form.Get("prefix"))
	if prefix == "" {
		s.fail(w, r, invalid("prefix", "give the beginning of a name (prefix=平江)"))
		return
	}
	cursor, err := cursorParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.index.Autocomplete(r.Context(), search.Query{Text: prefix, Size: suggestLimit, From: cursor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	admin, err := s.adminNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, h := range res.Hits {
		out = append(out, map[string]any{"id": itoa(h.ID), "name": h.Name, "description": describe(h, admin), "notable": hitTypes(h)})
	}
	s.reply(w, r, map[string]any{"result": out}, "public, max-age=60")
}

// suggestType answers /reconcile/suggest/type?prefix=…: categories whose
// class or subclass contains the text.
func (s *service) suggestType(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	prefix := strings.TrimSpace(r.Form.Get("prefix"))
	cursor, err := cursorParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var found []Type
	for _, t := range s.types() {
		if prefix == "" || strings.Contains(t.ID, prefix) || strings.Contains(t.Name, prefix) {
			found = append(found, t)
		}
	}
	s.reply(w, r, map[string]any{"result": page(found, cursor)}, "public, max-age=3600")
}

// suggestProperty answers /reconcile/suggest/property?prefix=…: the
// properties a query may use and those data extension fetches.
func (s *service) suggestProperty(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	prefix := strings.ToLower(strings.TrimSpace(r.Form.Get("prefix")))
	cursor, err := cursorParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var found []Property
	for _, p := range properties {
		if prefix == "" || strings.Contains(p.ID, prefix) || strings.Contains(strings.ToLower(p.Name), prefix) {
			found = append(found, p)
		}
	}
	s.reply(w, r, map[string]any{"result": page(found, cursor)}, "public, max-age=3600")
}

// page returns one page of suggestions from cursor on (never nil: the
// schemas want a list).
func page[T any](items []T, cursor int) []T {
	if cursor >= len(items) {
		return []T{}
	}
	items = items[cursor:]
	return items[:min(len(items), suggestLimit)]
}

func cursorParam(r *http.Request) (int, error) {
	c := r.Form.Get("cursor")
	if c == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(c)
	if err != nil || n < 0 || n > search.MaxFrom {
		return 0, invalid("cursor", "cursor must be a whole number from 0 to 1000")
	}
	return n, nil
}

// previewTmpl is the card OpenRefine shows in a candidate's flyout: the
// standard name first (条例 第十八条), pinyin, category, where, other names
// with dates, and a link to the place's page.
var previewTmpl = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{{.Name}}</title>
<style>body{font:14px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;margin:8px;color:#222}
h1{font-size:20px;margin:0}p{margin:4px 0}.py{color:#555}.k{color:#777}</style></head>
<body><h1>{{.Name}}</h1>
{{with .Pinyin}}<p class="py">{{.}}</p>{{end}}
<p>{{.Category}}{{with .Where}} · {{.}}{{end}}{{if .Status}} · {{.Status}}{{end}}</p>
{{range .Other}}<p class="k">{{.}}</p>{{end}}
{{with .Meaning}}<p>{{.}}</p>{{end}}
<p><a href="{{.URL}}" target="_blank" rel="noopener">{{.URL}}</a></p>
</body></html>`))

// preview answers /reconcile/preview?id=…. The card is shown in an iframe
// of another origin (OpenRefine), so it alone may be framed; it runs no
// script.
func (s *service) preview(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, err := strconv.ParseInt(r.Form.Get("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, invalid("id", "id must be a place id (a positive whole number)"))
		return
	}
	p, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	admin, err := s.adminNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	card := struct {
		Name, Pinyin, Category, Where, Status, Meaning, URL string
		Other                                               []string
	}{Name: p.Name, Pinyin: p.Pinyin, Category: p.Category.Class, Where: whereLabel(p.Admin, admin),
		URL: s.base(r) + "/place/" + itoa(p.ID)}
	if p.Category.Subclass != "" {
		card.Category += " / " + p.Category.Subclass
	}
	if p.Status != gazetteer.StatusCurrent {
		card.Status = string(p.Status)
	}
	if p.Meaning != nil {
		card.Meaning = p.Meaning.Text
		if !p.Meaning.Verified {
			card.Meaning += "（待核实 unverified）"
		}
	}
	if v, _ := extensionProperty("other_names"); v.value != nil {
		for _, n := range v.value(p, admin) {
			card.Other = append(card.Other, n["str"].(string))
		}
	}
	var b bytes.Buffer
	if err := previewTmpl.Execute(&b, card); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Del("X-Frame-Options")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; form-action 'none'")
	w.Write(b.Bytes())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
