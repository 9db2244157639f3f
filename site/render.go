package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"wumen/gazetteer"
)

//go:embed templates/*.html templates/messages.json
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Languages of the site: Chinese first; English under /en/.
const (
	langZH = "zh"
	langEN = "en"
)

// messages maps a message key to its text by language (templates/messages.json).
type messages map[string]map[string]string

func (m messages) get(lang, key string) string {
	if t, ok := m[key]; ok {
		if s, ok := t[lang]; ok {
			return s
		}
		return t[langZH]
	}
	return key
}

// templates holds one template set per page, each parsed with the layout.
type templates struct {
	msgs  messages
	pages map[string]*template.Template
}

func loadTemplates() (*templates, error) {
	b, err := templateFS.ReadFile("templates/messages.json")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	if err := json.Unmarshal(b, &t.msgs); err != nil {
		return nil, fmt.Errorf("templates/messages.json: %w", err)
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" || name == "parts.html" {
			continue
		}
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(templateFS, n); err != nil {
			return nil, err
		}
		t.pages[strings.TrimSuffix(name, ".html")] = c
	}
	return t, nil
}

var funcs = template.FuncMap{
	"add":        func(a, b int) int { return a + b },
	"pathEscape": url.PathEscape,
	"coord":      func(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) },
	"palette":    func() any { return palette },
	"form": func(p *page, id, q string) any {
		return struct {
			P     *page
			ID, Q string
		}{p, id, q}
	},
	"textBlock": func(p *page, key string, t *gazetteer.Text) any {
		return struct {
			P    *page
			Key  string
			Text *gazetteer.Text
		}{p, key, t}
	},
	"entries": func(p *page, es []*entry) any {
		return struct {
			P       *page
			Entries []*entry
		}{p, es}
	},
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// page is what every template gets: the language, the page's metadata and
// its own data.
type page struct {
	Lang        string
	Path        string // language-neutral path of the page: /place/1/shantang-jie
	Title       string
	Description string
	OGType      string
	NoIndex     bool
	HasMap      bool
	Data        any

	s   *Server
	r   *http.Request
	now time.Time
}

// T returns the message for key in the page's language.
func (p *page) T(key string) string { return p.s.tmpl.msgs.get(p.Lang, key) }

// TOr returns the message for key, or fallback when there is none.
func (p *page) TOr(key, fallback string) string {
	if _, ok := p.s.tmpl.msgs[key]; ok {
		return p.T(key)
	}
	return fallback
}

// Class names a census category in the page's language.
func (p *page) Class(name string) string { return p.TOr("class."+name, name) }

// EN reports whether the page is in English.
func (p *page) EN() bool { return p.Lang == langEN }

// URL returns the address of a language-neutral path in the page's language.
func (p *page) URL(path string) string { return langPath(p.Lang, path) }

// AltURL is this page in the other language.
func (p *page) AltURL() string {
	if p.Lang == langEN {
		return langPath(langZH, p.Path)
	}
	return langPath(langEN, p.Path)
}

// AltLang is the other language's code.
func (p *page) AltLang() string {
	if p.Lang == langEN {
		return langZH
	}
	return langEN
}

// Canonical is the page's absolute URL.
func (p *page) Canonical() string { return p.s.baseURL(p.r) + p.URL(p.Path) }

// AbsURL makes a site path absolute.
func (p *page) AbsURL(path string) string { return p.s.baseURL(p.r) + path }

// ZHURL and ENURL are the page in each language (hreflang links).
func (p *page) ZHURL() string { return p.s.baseURL(p.r) + langPath(langZH, p.Path) }

// ENURL is the absolute URL of the page in English.
func (p *page) ENURL() string { return p.s.baseURL(p.r) + langPath(langEN, p.Path) }

// APIBase is the root of the JSON API the page's scripts call: the server's
// own, the configured one in a static build, or "" when there is none.
func (p *page) APIBase() string {
	if p.s.cfg.static {
		if p.s.cfg.APIBase == "" {
			return ""
		}
		return p.s.cfg.APIBase + "/api/v1"
	}
	return "/api/v1"
}

// Static reports whether the page is rendered for the static build.
func (p *page) Static() bool { return p.s.cfg.static }

// Tiles is where the map reads Wumen's vector tiles: the server's tile
// endpoint, or the PMTiles archive of a static build.
func (p *page) Tiles() string {
	if p.s.cfg.static {
		return "pmtiles:/tiles.pmtiles"
	}
	return "/tiles/{z}/{x}/{y}.mvt"
}

// Basemap is the operator's external basemap, if any.
func (p *page) Basemap() *Basemap { return p.s.cfg.Basemap }

// Asset returns the URL of a static file with a content hash for cache
// busting.
func (p *page) Asset(name string) string { return "/static/" + name + "?v=" + assetVersion(name) }

func langPath(lang, p string) string {
	if lang == langEN {
		if p == "/" {
			return "/en/"
		}
		return "/en" + p
	}
	return p
}

func (s *Server) baseURL(r *http.Request) string {
	// A static build knows no host but the configured one: without it,
	// links stay site-relative rather than point at a build-time host.
	if s.cfg.BaseURL != "" || r == nil || s.cfg.static {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// render executes the named page template and serves it with an ETag.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.log.Error("no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Language", p.Lang)
	if status != http.StatusOK {
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write(buf.Bytes())
		return
	}
	serveBytes(w, r, "text/html; charset=utf-8", "public, max-age=300", buf.Bytes())
}

var assetVersions = map[string]string{}

func init() {
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		assetVersions[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
}

func assetVersion(name string) string { return assetVersions[name] }

// staticHandler serves the embedded /static files with an ETag and a long
// cache life (pages link them with a ?v= content hash).
func staticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static/")
		v, ok := assetVersions[name]
		if !ok || strings.HasSuffix(name, ".md") {
			http.NotFound(w, r)
			return
		}
		b, _ := staticFS.ReadFile("static/" + name)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		cc := "public, max-age=86400"
		if r.URL.Query().Get("v") == v {
			cc = "public, max-age=31536000, immutable"
		}
		serveBytes(w, r, ct, cc, b)
	})
}
