package ogc

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"sort"
)

// page is what the HTML template shows of a JSON document.
type page struct {
	Title       string
	Description string
	Links       []Link
	Collections []Link     // collection title → its items
	Conforms    []string   // conformance classes
	Columns     []string   // feature table columns
	Rows        [][]string // feature table rows, first cell the feature link
	RowLinks    []string
	Props       [][2]string // one feature's properties
	Matched     string
	Attribution string
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/ogc/style.css">
</head><body>
<h1>{{.Title}}</h1>
{{with .Description}}<p>{{.}}</p>{{end}}
{{with .Collections}}<h2>Collections</h2><ul>{{range .}}<li><a href="{{.Href}}">{{.Title}}</a></li>{{end}}</ul>{{end}}
{{with .Conforms}}<h2>Conforms to</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Matched}}<p>{{.}}</p>{{end}}
{{if .Columns}}<table><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range $i, $r := .Rows}}<tr>{{range $j, $c := $r}}<td>{{if eq $j 0}}<a href="{{index $.RowLinks $i}}">{{$c}}</a>{{else}}{{$c}}{{end}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{with .Props}}<table>{{range .}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>{{end}}
<h2>Links</h2><ul>{{range .Links}}<li><a href="{{.Href}}" rel="{{.Rel}}">{{.Rel}}</a>{{with .Title}} — {{.}}{{end}}{{with .Type}} ({{.}}){{end}}</li>{{end}}</ul>
{{with .Attribution}}<footer><small>{{.}}</small></footer>{{end}}
</body></html>
`))

// renderHTML renders a JSON document of this service (landing page,
// conformance, collections, items, a feature) as a plain HTML page.
func renderHTML(w io.Writer, title string, doc []byte) error {
	var d struct {
		Description string            `json:"description"`
		Attribution string            `json:"attribution"`
		Links       []Link            `json:"links"`
		ConformsTo  []string          `json:"conformsTo"`
		Collections []json.RawMessage `json:"collections"`
		Features    []struct {
			ID         any            `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
		Type           string         `json:"type"`
		ID             any            `json:"id"`
		Properties     map[string]any `json:"properties"`
		NumberMatched  *int           `json:"numberMatched"`
		NumberReturned int            `json:"numberReturned"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return err
	}
	p := page{Title: title, Description: d.Description, Links: d.Links, Conforms: d.ConformsTo, Attribution: d.Attribution}
	for _, raw := range d.Collections {
		var c struct {
			Title string `json:"title"`
			Links []Link `json:"links"`
		}
		json.Unmarshal(raw, &c)
		for _, l := range c.Links {
			if l.Rel == "items" && l.Type == "text/html" {
				p.Collections = append(p.Collections, Link{Href: l.Href, Title: c.Title})
			}
		}
	}
	if d.Type == "FeatureCollection" {
		p.Columns = []string{"id", "name", "pinyin", "category", "status"}
		if d.NumberMatched != nil {
			p.Matched = fmt.Sprintf("%d of %d features", d.NumberReturned, *d.NumberMatched)
		}
		for _, f := range d.Features {
			name := f.Properties["name"]
			if name == nil {
				name = f.Properties["title"]
			}
			p.Rows = append(p.Rows, []string{fmt.Sprint(f.ID), str(name), str(f.Properties["pinyin"]), str(f.Properties["category"]), str(f.Properties["status"])})
			p.RowLinks = append(p.RowLinks, fmt.Sprintf("items/%v?f=html", f.ID))
		}
	}
	if d.Type == "Feature" {
		keys := make([]string, 0, len(d.Properties))
		for k := range d.Properties {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		p.Props = append(p.Props, [2]string{"id", fmt.Sprint(d.ID)})
		for _, k := range keys {
			p.Props = append(p.Props, [2]string{k, str(d.Properties[k])})
		}
	}
	return pageTmpl.Execute(w, p)
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// styleCSS is the HTML encoding's stylesheet, served as a file: the site's
// Content-Security-Policy allows no inline style.
const styleCSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}`

func (s *service) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	io.WriteString(w, styleCSS)
}
