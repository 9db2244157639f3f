// Package reconcile serves the gazetteer as a W3C Entity Reconciliation
// service (the API version 0.2 that OpenRefine 3.x speaks) under /reconcile:
// researchers match a spreadsheet column of place names — old names from
// 地方志, traditional characters, variants — against Wumen, then pull pinyin,
// categories, admin units, coordinates and dates back into their table.
//
// The service has the parts of the specification
// (https://reconciliation-api.github.io/specs/0.2/):
//   - the manifest (GET /reconcile) with its types (the census 大类 and 子类),
//     view, preview, suggest and extend settings;
//   - reconciliation queries (queries=… by GET or POST form), batched, with
//     type, limit and properties (admin, year, point, distance_m, generic);
//   - preview (GET /reconcile/preview?id=…): an HTML card a user sees in the
//     candidate's flyout;
//   - suggest for entities, types and properties (/reconcile/suggest/…);
//   - data extension (extend=…) and the proposed properties of a type
//     (/reconcile/properties).
//
// Candidates come from the site's own search (search.Index): characters,
// traditional forms, pinyin and historical names with their dates, so a
// column reconciles exactly as the site searches. What is written here is
// the scoring and the decision to auto-match (match.go), which is deliberately
// strict: match is true only when one candidate is clearly right.
//
// The package is standalone (imports gazetteer and search, never site): the
// site mounts the handler New returns.
package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"wumen/gazetteer"
	"wumen/search"
	"wumen/site/jsonapi"
)

// Version is the Reconciliation API version the service speaks.
const Version = "0.2"

// Limits of one request.
const (
	// MaxBatch is the most queries one batch may hold (OpenRefine sends 10
	// by default).
	MaxBatch = 100
	// DefaultLimit and MaxLimit bound the candidates of one query.
	DefaultLimit = 5
	MaxLimit     = 25
	// MaxExtendIDs is the most ids one data-extension request may name.
	MaxExtendIDs = 500
)

// Store is what the service reads from the gazetteer.
type Store interface {
	Get(ctx context.Context, id int64) (*gazetteer.Place, error)
	AdminNames(ctx context.Context) (map[string]string, error)
	Categories() *gazetteer.Categories
	// LastRevision numbers the store's latest change: the admin names are
	// read again when it moves.
	LastRevision(ctx context.Context) (int64, error)
}

// Index is the search the candidates come from.
type Index interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	Autocomplete(ctx context.Context, q search.Query) (*search.Result, error)
}

// Options configure the service.
type Options struct {
	// BaseURL is the public scheme://host[/prefix] of the site, for the
	// manifest's view, preview and suggest URLs; empty derives it from each
	// request.
	BaseURL string
	// Name is the service name shown in OpenRefine (default "Wumen 吴门 —
	// Suzhou place names").
	Name string
	// Logf logs internal errors (default log.Printf).
	Logf func(format string, args ...any)
}

// Routes returns the method and path patterns the service answers, for a
// server that mounts it pattern by pattern.
func Routes() []string {
	return []string{
		"GET /reconcile", "POST /reconcile", "OPTIONS /reconcile",
		"GET /reconcile/preview",
		"GET /reconcile/suggest/entity", "GET /reconcile/suggest/type", "GET /reconcile/suggest/property",
		"GET /reconcile/properties",
		"OPTIONS /reconcile/",
	}
}

type service struct {
	store Store
	index Index
	opts  Options
	mux   *http.ServeMux

	adminMu  sync.Mutex
	admin    map[string]string // statistical code → name, as of adminRev
	adminRev int64
}

// New returns the handler serving /reconcile and its sub-paths. index may
// be nil while the search index is being built: queries then answer 503.
func New(store Store, index Index, opts Options) http.Handler {
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	if opts.Name == "" {
		opts.Name = "Wumen 吴门 — Suzhou place names"
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	s := &service{store: store, index: index, opts: opts, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /reconcile", s.root)
	s.mux.HandleFunc("POST /reconcile", s.root)
	s.mux.HandleFunc("GET /reconcile/preview", s.preview)
	s.mux.HandleFunc("GET /reconcile/suggest/entity", s.suggestEntity)
	s.mux.HandleFunc("GET /reconcile/suggest/type", s.suggestType)
	s.mux.HandleFunc("GET /reconcile/suggest/property", s.suggestProperty)
	s.mux.HandleFunc("GET /reconcile/properties", s.proposeProperties)
	return s
}

// ServeHTTP opens the service to every origin (it only reads) and answers
// CORS preflight requests.
func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Accept, Content-Type")
		h.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// root dispatches /reconcile by its parameters, as the specification
// overloads the one endpoint: queries=… is a reconciliation batch,
// extend=… a data extension, neither the manifest.
func (s *service) root(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, invalid("body", "the request body is not a form: send queries=… or extend=… as application/x-www-form-urlencoded"))
		return
	}
	switch {
	case r.Form.Get("queries") != "":
		s.queries(w, r)
	case r.Form.Get("extend") != "":
		s.extend(w, r)
	default:
		s.reply(w, r, s.manifest(r), "public, max-age=3600")
	}
}

// adminNames maps statistical codes to admin unit names. Reading them scans
// the store, so they are kept until the store's revision moves.
func (s *service) adminNames(ctx context.Context) (map[string]string, error) {
	rev, err := s.store.LastRevision(ctx)
	if err != nil {
		return nil, err
	}
	s.adminMu.Lock()
	defer s.adminMu.Unlock()
	if s.admin != nil && rev == s.adminRev {
		return s.admin, nil
	}
	admin, err := s.store.AdminNames(ctx)
	if err != nil {
		return nil, err
	}
	s.admin, s.adminRev = admin, rev
	return admin, nil
}

// base returns the absolute URL prefix of links.
func (s *service) base(r *http.Request) string { return jsonapi.BaseURL(r, s.opts.BaseURL) }

// Type is a reconciliation type: a census 大类 (id = the class) or one of its
// 子类 (id = "class/subclass").
type Type struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Broader     []Type `json:"broader,omitempty"`
}

// types lists every class and subclass of the store's category table.
func (s *service) types() []Type {
	var out []Type
	cats := s.store.Categories()
	if cats == nil {
		return nil
	}
	for _, c := range cats.Classes {
		class := Type{ID: c.Class, Name: c.Class, Description: "地名普查大类 census class"}
		out = append(out, class)
		for _, sub := range c.Subclasses {
			out = append(out, Type{ID: c.Class + "/" + sub, Name: sub, Description: "子类 of " + c.Class,
				Broader: []Type{{ID: c.Class, Name: c.Class}}})
		}
	}
	return out
}

func (s *service) manifest(r *http.Request) map[string]any {
	b := s.base(r)
	var defaults []Type
	for _, t := range s.types() {
		if !strings.Contains(t.ID, "/") {
			defaults = append(defaults, Type{ID: t.ID, Name: t.Name})
		}
	}
	return map[string]any{
		"versions":        []string{Version},
		"name":            s.opts.Name,
		"identifierSpace": b + "/place/",
		"schemaSpace":     b + "/browse/category/",
		"documentation":   b + "/about",
		"defaultTypes":    defaults,
		"view":            map[string]string{"url": b + "/place/{{id}}"},
		"preview":         map[string]any{"url": b + "/reconcile/preview?id={{id}}", "width": 400, "height": 200},
		"suggest": map[string]any{
			"entity":   map[string]string{"service_url": b, "service_path": "/reconcile/suggest/entity"},
			"type":     map[string]string{"service_url": b, "service_path": "/reconcile/suggest/type"},
			"property": map[string]string{"service_url": b, "service_path": "/reconcile/suggest/property"},
		},
		"extend": map[string]any{
			"propose_properties": map[string]string{"service_url": b, "service_path": "/reconcile/properties"},
			"property_settings":  []any{},
		},
	}
}

// callbackName is what a JSONP callback may be called (OpenRefine asks for
// the manifest with callback=jsonp…).
var callbackName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$`)

// reply writes v as JSON, or as JSONP when a valid callback is asked for.
func (s *service) reply(w http.ResponseWriter, r *http.Request, v any, cache string) {
	b, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", cache)
	if cb := r.Form.Get("callback"); cb != "" {
		if !callbackName.MatchString(cb) {
			s.fail(w, r, invalid("callback", "callback must be a JavaScript identifier"))
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write([]byte("/**/" + cb + "("))
		w.Write(b)
		w.Write([]byte(");"))
		return
	}
	w.Header().Set("Content-Type", jsonapi.ContentType)
	w.Write(b)
}

// errNoIndex is answered with 503 while the search index is being built.
var errNoIndex = errors.New("the search index is being built")

// fail answers an error as {"error": {"code", "message"}}: a bad request
// with 400 naming the parameter, a missing index with 503, others through
// jsonapi (internal ones logged, never shown).
func (s *service) fail(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Cache-Control", "no-store")
	var se *search.Error
	switch {
	case errors.Is(err, errNoIndex):
		w.Header().Set("Retry-After", "30")
		jsonapi.Write(w, http.StatusServiceUnavailable, jsonapi.ContentType, map[string]any{"error": map[string]string{
			"code": "unavailable", "message": "the search index is being built: retry shortly"}})
	case errors.As(err, &se):
		jsonapi.Write(w, http.StatusBadRequest, jsonapi.ContentType, map[string]any{"error": map[string]string{
			"code": gazetteer.EInvalid, "message": se.Field + ": " + se.Message, "field": se.Field}})
	default:
		if jsonapi.Error(w, err) {
			s.opts.Logf("reconcile %s %s: %v", r.Method, r.URL.Path, err)
		}
	}
}

// invalid is a bad request naming the parameter or field to correct.
func invalid(field, msg string) error {
	return &gazetteer.Error{Code: gazetteer.EInvalid, Message: msg, Where: field}
}
