package site

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"wumen/gazetteer"
	"wumen/search"
)

func (s *Server) searchRoutes() {
	s.mux.HandleFunc("GET /api/v1/search", s.handleSearch)
	s.mux.HandleFunc("GET /api/v1/autocomplete", s.handleAutocomplete)
	s.mux.HandleFunc("GET /api/v1/reverse", s.handleReverse)
	s.mux.HandleFunc("GET /api/v1/places/{id}/nearby", s.handleNearby)
}

// searchError answers a bad query (search.Error) with 400 naming the
// parameter, a missing index with 503, anything else through writeError.
func (s *Server) searchError(w http.ResponseWriter, r *http.Request, err error) {
	var se *search.Error
	switch {
	case errors.As(err, &se):
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{
			"code": gazetteer.EInvalid, "message": se.Field + ": " + se.Message, "field": se.Field}})
	case errors.Is(err, errNoIndex):
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]string{
			"code": "unavailable", "message": "the search index is being built: retry shortly"}})
	default:
		s.writeError(w, r, err)
	}
}

// runSearch parses URL parameters and runs a search or an autocomplete.
func (s *Server) runSearch(ctx context.Context, v url.Values, auto bool) (*search.Result, error) {
	if s.cfg.Index == nil {
		return nil, errNoIndex
	}
	q, err := search.ParseQuery(v)
	if err != nil {
		return nil, err
	}
	if auto {
		return s.cfg.Index.Autocomplete(ctx, q)
	}
	return s.cfg.Index.Search(ctx, q)
}

// serveHits writes hits as a GeoJSON FeatureCollection with the total and,
// when asked, the facets as foreign members.
func (s *Server) serveHits(w http.ResponseWriter, r *http.Request, res *search.Result) {
	fc := s.cfg.Index.FeatureCollection(res.Hits, s.adminName)
	for _, f := range fc.Features {
		if id, ok := f.ID.(int64); ok {
			if e := s.entryByID(r.Context(), id); e != nil {
				f.Properties["path"] = e.Path
			}
		}
	}
	fc.ExtraMembers = map[string]any{"total": res.Total, "attribution": gazetteer.Attribution}
	if res.Facets != nil {
		fc.ExtraMembers["facets"] = res.Facets
	}
	b, err := marshalJSON(fc)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/geo+json", "public, max-age=60", b)
}

func (s *Server) adminName(code string) string { return s.adminNames()[code] }

// entryByID finds a place's catalog entry (for its page path).
func (s *Server) entryByID(ctx context.Context, id int64) *entry {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil
	}
	return cat.byID[id]
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	res, err := s.runSearch(r.Context(), r.URL.Query(), false)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	s.serveHits(w, r, res)
}

func (s *Server) handleAutocomplete(w http.ResponseWriter, r *http.Request) {
	res, err := s.runSearch(r.Context(), r.URL.Query(), true)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	s.serveHits(w, r, res)
}

func sizeParam(v url.Values) (int, error) {
	t := v.Get("size")
	if t == "" {
		t = v.Get("limit")
	}
	if t == "" {
		return search.DefaultSize, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > search.MaxSize {
		return 0, &search.Error{Field: "size", Message: "must be between 1 and 100"}
	}
	return n, nil
}

// handleNearby answers /api/v1/places/{id}/nearby?size=.
func (s *Server) handleNearby(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Index == nil {
		s.searchError(w, r, errNoIndex)
		return
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.EInvalid, "place id must be a positive integer"))
		return
	}
	if _, err := s.store.Get(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	size, err := sizeParam(r.URL.Query())
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	s.serveHits(w, r, &search.Result{Hits: s.cfg.Index.Nearby(id, size)})
}
