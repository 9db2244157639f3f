package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/stores"
	"wumen/gazetteer/tileset"
	"wumen/search"
	"wumen/site"
	"wumen/site/jsonapi"
	"wumen/site/officer"
	"wumen/site/ogc"
	"wumen/site/reconcile"
)

func init() {
	register(&command{name: "serve", help: "serve the site and the JSON API (default 127.0.0.1:8080, or $WUMEN_ADDR)", run: cmdServe})
	register(&command{name: "build-site", args: "DIR", help: "write the public site as static files (pages, GeoJSON, a PMTiles archive) into DIR", run: cmdBuildSite})
}

// serveConfig is the optional JSON file given with --config.
type serveConfig struct {
	// BaseURL is the public address of the site (canonical URLs, sitemap).
	BaseURL string `json:"base_url"`
	// APIBase is the public root of the API that static pages call.
	APIBase string `json:"api_base"`
	// Basemap is an external raster basemap; none by default.
	Basemap *site.Basemap `json:"basemap"`
	// OSMBasemap is a street basemap archive (`wumen basemap build`).
	OSMBasemap string `json:"osm_basemap"`
	// RateLimit and Burst bound /api/ requests per client IP.
	RateLimit float64 `json:"rate_limit"`
	Burst     int     `json:"burst"`
	// TrustProxy takes client IPs from X-Forwarded-For.
	TrustProxy bool `json:"trust_proxy"`
	// SecureCookies marks officer session cookies Secure even on plain HTTP
	// (behind a TLS-terminating proxy); requests over TLS always are.
	SecureCookies bool `json:"secure_cookies"`
}

func readServeConfig(file string) (*serveConfig, error) {
	c := &serveConfig{}
	if file == "" {
		return c, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, gazetteer.Errorf(gazetteer.EInvalid, "%s: %v", file, err)
	}
	return c, nil
}

// openOSMBasemap opens the street basemap archive of --osm-basemap (or the
// config's osm_basemap); nil when neither names one.
func openOSMBasemap(flagValue string, cfg *serveConfig) (*tileset.Overlay, error) {
	name := flagValue
	if name == "" {
		name = cfg.OSMBasemap
	}
	if name == "" {
		return nil, nil
	}
	ov, err := tileset.OpenOverlay(name)
	if err != nil && gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		return nil, gazetteer.Errorf(gazetteer.ENotFound, "--osm-basemap: %v", err)
	}
	return ov, err
}

// mounts are the handlers other packages add to the server: the officers'
// naming review (/officer/, with the public notices at /notices), the OGC
// API – Features with the export endpoint, and the reconciliation service.
func mounts(ctx context.Context, s *gazetteer.Store, idx *search.Index, cfg *serveConfig, log *slog.Logger) (map[string]http.Handler, error) {
	var off http.Handler = readOnlyNode{}
	if !s.ReadOnly() {
		h, err := officer.Open(s, officer.Options{Secure: cfg.SecureCookies, TrustProxy: cfg.TrustProxy, Logger: log,
			MapURL: "/map?lat=%.6f&lon=%.6f", PlaceURL: "/place/%d"})
		if err != nil {
			return nil, err
		}
		off = h
	}
	o := ogc.New(s, ogc.Options{BaseURL: cfg.BaseURL, Logf: func(format string, args ...any) {
		log.Error(fmt.Sprintf(format, args...))
	}})
	m := map[string]http.Handler{
		"/officer/": off, "/notices": off, "/notices/": off,
		"/ogc": o, "/ogc/": o, "GET /api/v1/export": o,
	}
	rc := reconcile.New(s, idx, reconcile.Options{BaseURL: cfg.BaseURL, Logf: func(format string, args ...any) {
		log.Error(fmt.Sprintf(format, args...))
	}})
	for _, p := range reconcile.Routes() {
		m[p] = rc
	}
	return m, nil
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	c := &command{name: "serve", help: "serve the site and the JSON API"}
	fs := e.flags(c)
	def := os.Getenv("WUMEN_ADDR")
	if def == "" {
		def = "127.0.0.1:8080"
	}
	addr := fs.String("addr", def, "listen address (env WUMEN_ADDR)")
	idxDir := fs.String("index", "", "search index folder (default: the store's path + .index; built when missing)")
	cfgFile := fs.String("config", "", "optional JSON settings: base_url, basemap {tiles, attribution}, osm_basemap, rate_limit, burst, trust_proxy")
	osmBasemap := fs.String("osm-basemap", "", "a street basemap archive built by `wumen basemap build`, drawn over the shipped basemap")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("serve takes no arguments")
	}
	cfg, err := readServeConfig(*cfgFile)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	overlay, err := openOSMBasemap(*osmBasemap, cfg)
	if err != nil {
		return err
	}
	if overlay != nil {
		defer overlay.Close()
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	idx, err := e.openIndex(ctx, store, indexDir(e.db, *idxDir))
	if err != nil {
		return err
	}
	defer idx.Close()
	// One change feed: the index, and the site's browse lists, tiles and
	// admin names, follow every write, this process's at once and other
	// processes' (a command-line import while the server runs) within the
	// poll.
	if err := idx.Follow(ctx, store, func(err error) { log.Error("index update", "err", err) }); err != nil {
		return err
	}
	go store.Follow(ctx, followEvery, func(err error) {
		if gazetteer.ErrorCode(err) == gazetteer.EConflict {
			log.Error("the store was replaced under the running server (restore only while it is stopped); restart it to rebuild the search index", "err", err)
			return
		}
		log.Error("follow the store", "err", err)
	})
	// The first facet count after an open makes the facet codes and
	// bleve's segment tables (about 0.9 s at a million places): make them
	// now, not while the first visitor waits.
	go func() {
		if err := idx.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Error("warm the search index", "err", err)
		}
	}()
	// Reverse lookup answers from the locator's in-memory snapshot: load it
	// now, not on the first request.
	go func() {
		if err := store.Locator().Load(ctx); err != nil && ctx.Err() == nil {
			log.Error("load the reverse-lookup snapshot", "err", err)
		}
	}()
	m, err := mounts(ctx, store, idx, cfg, log)
	if err != nil {
		return err
	}
	srv, err := site.New(ctx, site.Config{Store: store, Index: idx, Logger: log, Mounts: m, BaseURL: cfg.BaseURL,
		Basemap: cfg.Basemap, OSMBasemap: overlay, RateLimit: cfg.RateLimit, Burst: cfg.Burst, TrustProxy: cfg.TrustProxy})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "db", stores.Name(e.db))
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done(): // SIGINT or SIGTERM: finish what is in flight, then stop
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// followEvery is how often a server looks at the store's version for
// writes by other processes or nodes (SQLite's data_version, PostgreSQL's
// notices); it reads the revisions only when the version has changed.
const followEvery = 100 * time.Millisecond

func cmdBuildSite(ctx context.Context, e *env, args []string) error {
	c := &command{name: "build-site", args: "DIR", help: "write the public site as static files"}
	fs := e.flags(c)
	apiBase := fs.String("api-base", "", "public root of a running Wumen API the static search page may call (none by default)")
	baseURL := fs.String("base-url", "", "public address of the static site, for canonical URLs and the sitemap")
	cfgFile := fs.String("config", "", "optional JSON settings (base_url, api_base, basemap, osm_basemap)")
	osmBasemap := fs.String("osm-basemap", "", "a street basemap archive built by `wumen basemap build`, merged into tiles.pmtiles")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("build-site needs one DIR")
	}
	cfg, err := readServeConfig(*cfgFile)
	if err != nil {
		return err
	}
	if *apiBase != "" {
		cfg.APIBase = *apiBase
	}
	if *baseURL != "" {
		cfg.BaseURL = *baseURL
	}
	overlay, err := openOSMBasemap(*osmBasemap, cfg)
	if err != nil {
		return err
	}
	if overlay != nil {
		defer overlay.Close()
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := site.Build(ctx, site.Config{Store: store, Logger: slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		BaseURL: cfg.BaseURL, APIBase: cfg.APIBase, Basemap: cfg.Basemap, OSMBasemap: overlay}, pos[0], site.BuildOptions{})
	if err != nil {
		return err
	}
	if !e.quiet && cfg.BaseURL == "" {
		fmt.Fprintln(e.stderr, "no --base-url: links are site-relative and no sitemap.xml is written (search engines need one)")
	}
	if !e.quiet {
		fmt.Fprintf(e.stderr, "wrote %s: %d pages, %d GeoJSON files, %d tiles in tiles.pmtiles, %d files; %d files, %d bytes saved by the service worker for offline use\n", pos[0], st.Pages, st.GeoJSON, st.Tiles, st.Files, st.PrecachedFiles, st.Precached)
	}
	return nil
}

// readOnlyNode answers the officers' pages and API on a node that reads a
// replica: 503, saying where officers work.
type readOnlyNode struct{}

func (readOnlyNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "3600")
	jsonapi.Write(w, http.StatusServiceUnavailable, "", map[string]any{"error": map[string]string{"code": gazetteer.EUnavailable,
		"message": "this node serves the public site from a read-only replica of the database: officers' pages and notices are on the nodes connected to the primary"}})
}
