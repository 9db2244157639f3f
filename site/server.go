// Package site is Wumen's HTTP face, 跟着地名看苏州: the JSON API under
// /api/v1, the public pages (server-rendered html/template, Chinese first and
// every page also in English under /en/), vector tiles made from the store,
// and the static-site build that writes all of it out for any static host.
//
// The middleware (timeouts aside, which belong to the http.Server) is written
// here by hand because each piece is a few lines over net/http: gzip with
// compress/gzip, a per-IP token bucket, security headers and a
// Content-Security-Policy, request logs with slog, and metrics with the
// Prometheus client.
package site

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"wumen/site/jsonapi"

	"github.com/prometheus/client_golang/prometheus"

	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
	"wumen/search"
)

// Config wires a Server to its store and index, and carries the operator's
// settings.
type Config struct {
	Store  *gazetteer.Store
	Index  *search.Index // may be nil until the index is built: search answers 503
	Logger *slog.Logger

	// Mounts are other handlers served inside the hardened mux, by path
	// prefix (officer pages at /officer/, OGC API at /ogc …). A prefix ending
	// in "/" serves its subtree.
	Mounts map[string]http.Handler

	// BaseURL is the public address of the site (https://example.org), used
	// for canonical URLs, Open Graph tags and the sitemap. Empty: taken from
	// each request's Host.
	BaseURL string
	// APIBase is the public root of the JSON API for pages built as static
	// files (https://api.example.org); empty in a static build means no API
	// (the search page says so). The server itself always uses its own API.
	APIBase string
	// Basemap is an optional external raster basemap drawn under Wumen's own
	// vector tiles. Nothing outside is used unless an operator sets it.
	Basemap *Basemap
	// OSMBasemap is an optional street-level basemap archive built from an
	// OpenStreetMap extract (`wumen basemap build`), merged into the site's
	// tiles over the shipped basemap; its ODbL attribution joins the map's.
	OSMBasemap *tileset.Overlay

	// RateLimit is the sustained requests per second allowed per client IP
	// on /api/ (default 10), Burst the bucket size (default 40). The OGC
	// service and exports have a bucket of their own, five times the burst,
	// where each next page of an items query costs a fiftieth of a request
	// (paging.go), so a GIS client can read a whole collection.
	RateLimit float64
	Burst     int
	// TrustProxy takes the client IP from X-Forwarded-For (only behind a
	// proxy that sets it).
	TrustProxy bool
	// Registry receives the HTTP metrics; nil makes a new one. /metrics
	// serves it.
	Registry *prometheus.Registry
	// Budget is how long one request may work (default DefaultBudget;
	// bulk exports and OGC items get BulkBudget): past it the store's
	// queries and the search stop and the client gets 503 with what to do.
	Budget time.Duration

	// static renders pages for the static build (set by Build).
	static bool
}

// Basemap is an external XYZ raster tile service an operator may configure.
type Basemap struct {
	// Tiles is the URL template, e.g. https://tiles.example.org/{z}/{x}/{y}.png.
	Tiles string `json:"tiles"`
	// Attribution is shown on the map, as the service requires.
	Attribution string `json:"attribution"`
	// MaxZoom of the service (default 18).
	MaxZoom int `json:"max_zoom,omitempty"`
}

// Server serves the site and the API.
type Server struct {
	cfg        Config
	store      *gazetteer.Store
	log        *slog.Logger
	mux        *http.ServeMux
	admin      atomic.Pointer[map[string]string] // statistical code → admin unit name (adminNames)
	adminStale atomic.Bool                       // a write since admin was read
	derived    atomic.Int64                      // changes the feed brought (storeChanged); the response cache's second key

	tmpl     *templates
	catCache catalogCache
	tiles    tileCache
	metrics  *metrics
	limiter  *limiter
	bulk     *limiter // the OGC service and exports (paging.go)
	handler  http.Handler
}

// New returns a Server; call Handler to serve it.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 10
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 40
	}
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, mux: http.NewServeMux()}
	admin, err := cfg.Store.AdminNames(ctx)
	if err != nil {
		return nil, err
	}
	s.admin.Store(&admin)
	// What the site derives from the store (the browse catalog, the tiles,
	// the admin names of labels and crumbs) follows the store's change feed.
	if err := cfg.Store.Subscribe(ctx, s.storeChanged); err != nil {
		return nil, err
	}
	if s.tmpl, err = loadTemplates(); err != nil {
		return nil, err
	}
	if s.metrics, err = newMetrics(cfg.Registry); err != nil {
		return nil, err
	}
	s.limiter = newLimiter(cfg.RateLimit, cfg.Burst)
	s.bulk = newLimiter(cfg.RateLimit, cfg.Burst*bulkBurstFactor)
	s.routes()
	s.handler = s.harden(s.mux)
	return s, nil
}

// Handler returns the root HTTP handler: the routes behind the middleware
// (recovery, logs, metrics, security headers, body limit, rate limit, gzip).
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /api/v1/places/{id}", s.handlePlace)
	s.mux.HandleFunc("GET /api/v1/places", s.handlePlaces)
	s.mux.HandleFunc("GET /api/v1/walks", s.handleWalksAPI)
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.searchRoutes()

	s.mux.HandleFunc("GET /tiles/{z}/{x}/{y}", s.handleTile)
	s.mux.HandleFunc("GET /tiles.json", s.handleTileJSON)
	s.mux.HandleFunc("GET /styles/{name}", s.handleStyle)
	s.mux.HandleFunc("GET /fonts/{stack}/{range}", s.handleGlyphs)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.Handle("GET /metrics", s.metrics.handler(s.cfg.Registry))
	s.mux.HandleFunc("GET /sitemap.xml", s.handleSitemap)
	s.mux.HandleFunc("GET /robots.txt", s.handleRobots)
	s.mux.Handle("GET /static/", staticHandler())
	s.mux.HandleFunc("GET /favicon.ico", s.handleFavicon)

	s.page("/{$}", s.homePage)
	s.mux.HandleFunc("GET /en", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/en/", http.StatusMovedPermanently)
	})
	s.page("/place/{id}", s.placeRedirect)
	s.page("/place/{id}/{slug}", s.placePage)
	s.page("/map", s.mapPage)
	s.page("/walks", s.walksPage)
	s.page("/walk/{id}", s.walkPage)
	s.page("/search", s.searchPage)
	s.page("/browse", s.browsePage)
	s.page("/browse/category/{class}", s.categoryPage)
	s.page("/browse/district/{code}", s.districtPage)
	s.page("/browse/heritage/{list}", s.heritagePage)
	s.page("/browse/az/{letter}", s.azPage)
	s.page("/about", s.aboutPage)
	s.page("/offline", s.offlinePage)
	s.page("/", s.notFoundPage)

	for prefix, h := range s.cfg.Mounts {
		if strings.Contains(prefix, " ") {
			s.mux.Handle(prefix, h)
			continue
		}
		// A pattern without a method would conflict with "GET /": give the
		// mount the methods it serves (GET covers HEAD).
		for _, m := range []string{"GET ", "POST "} {
			s.mux.Handle(m+prefix, h)
		}
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	n, err := s.store.Count(r.Context(), gazetteer.Filter{})
	if err != nil {
		s.log.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h := map[string]any{"status": "ok", "places": n, "search": s.cfg.Index != nil}
	if s.cfg.Index != nil {
		// Places in the search index: equal to places once it has caught up.
		h["indexed"] = s.cfg.Index.Len()
	}
	writeJSON(w, http.StatusOK, h)
}

// writeError answers {"error": {"code", "message"}}; internal errors are
// logged with their detail and shown to the user only as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if overBudget(r) {
		w.Header().Set("Retry-After", "5")
		jsonapi.Write(w, http.StatusServiceUnavailable, "", jsonapi.Body("timeout", budgetMessage))
		return
	}
	if jsonapi.Error(w, err) {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	jsonapi.Write(w, status, jsonapi.ContentType, v)
}

// marshalJSON encodes v as writeJSON does, for responses served with an ETag.
func marshalJSON(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// storeChanged brings what the site derived from the store up to date: the
// catalog takes the changed places and is summarised again on its next use,
// the tiles are made again, the admin names read again.
func (s *Server) storeChanged(_ context.Context, c gazetteer.Changes) {
	s.catCache.changed(c.Places)
	s.tiles.changed(c.Places)
	s.adminStale.Store(true)
	s.derived.Add(1) // last: an answer begun after this reads the new views
}

// adminNames maps statistical codes to the names of administrative units,
// read again after a write.
func (s *Server) adminNames() map[string]string {
	if s.adminStale.Swap(false) {
		admin, err := s.store.AdminNames(context.Background())
		if err != nil {
			s.adminStale.Store(true)
			s.log.Error("admin names", "err", err)
		} else {
			s.admin.Store(&admin)
		}
	}
	return *s.admin.Load()
}
