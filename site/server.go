// Package site is Wumen's HTTP face: the JSON API under /api/v1, and (in the
// files beside this one) the public pages, tiles and the static-site build.
package site

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"wumen/gazetteer"
	"wumen/search"
)

// Config wires a Server to its store and index.
type Config struct {
	Store  *gazetteer.Store
	Index  *search.Index // may be nil until the index is built
	Logger *slog.Logger
}

// Server serves the site and the API.
type Server struct {
	cfg   Config
	store *gazetteer.Store
	log   *slog.Logger
	mux   *http.ServeMux
	admin map[string]string // statistical code → admin unit name
}

// New returns a Server; call Handler to serve it.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, mux: http.NewServeMux()}
	admin, err := cfg.Store.AdminNames(ctx)
	if err != nil {
		return nil, err
	}
	s.admin = admin
	s.routes()
	return s, nil
}

// Handler returns the root HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /api/v1/places/{id}", s.handlePlace)
	s.mux.HandleFunc("GET /api/v1/places", s.handlePlaces)
}

// httpStatus maps the domain's error codes onto HTTP statuses.
func httpStatus(code string) int {
	switch code {
	case gazetteer.EInvalid:
		return http.StatusBadRequest
	case gazetteer.ENotFound:
		return http.StatusNotFound
	case gazetteer.EConflict:
		return http.StatusConflict
	case gazetteer.EUnauthorized:
		return http.StatusUnauthorized
	case gazetteer.EForbidden:
		return http.StatusForbidden
	case gazetteer.ETooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// writeError answers {"error": {"code", "message"}}; internal errors are
// logged with their detail and shown to the user only as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := gazetteer.ErrorCode(err)
	if code == gazetteer.EInternal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, httpStatus(code), map[string]any{"error": map[string]string{"code": code, "message": gazetteer.ErrorMessage(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
