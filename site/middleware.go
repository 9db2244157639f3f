package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"wumen/site/clientaddr"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxBody bounds every request body; the public site reads none, mounted
// forms (naming review) stay far below it.
const maxBody = 1 << 20

// harden wraps h in the middleware every response passes through, outermost
// first: recovery, logging and metrics, security headers, body limit, rate
// limit on /api/, the response cache of place answers (cache.go), gzip.
func (s *Server) harden(h http.Handler) http.Handler {
	h = gzipHandler(h)
	h = s.cache(h)
	h = s.rateLimit(h)
	h = openReads(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				if !rec.wrote {
					rec.Header().Set("Content-Type", "application/json; charset=utf-8")
					rec.WriteHeader(http.StatusInternalServerError)
					io.WriteString(rec, `{"error":{"code":"internal","message":"internal error"}}`)
				}
			}
			d := time.Since(start)
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			s.metrics.observe(route, r.Method, rec.status, d)
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"bytes", rec.bytes, "dur_ms", float64(d.Microseconds())/1000, "ip", s.clientIP(r))
		}()
		securityHeaders(rec.Header(), s.cfg.Basemap)
		ctx, cancel := context.WithTimeout(r.Context(), s.budget(r.URL.Path))
		defer cancel()
		r = r.WithContext(ctx)
		// The officer pages take report uploads and cap their own bodies
		// (site/officer's MaxUpload); everything else gets maxBody.
		if r.Body != nil && !strings.HasPrefix(r.URL.Path, "/officer/") {
			r.Body = http.MaxBytesReader(rec, r.Body, maxBody)
		}
		h.ServeHTTP(rec, r)
	})
}

// DefaultBudget is how long one request may work; BulkBudget that of a
// bulk export or an OGC items page (as long as the server's write timeout).
// A page, a search or a reverse lookup takes milliseconds; a request that
// needs more is a query too wide for one answer, and stopping it keeps the
// server answering everyone else (OWASP ASVS 11.1.4, resource limits).
const (
	DefaultBudget = 10 * time.Second
	BulkBudget    = 60 * time.Second
)

// budgetMessage is what a client over its budget is told.
const budgetMessage = "the request needed more time than one request may take; narrow it (a smaller bbox, fewer ids, a page of results) and try again"

// budget is how long a request to path may work.
func (s *Server) budget(path string) time.Duration {
	if path == "/api/v1/export" || strings.HasPrefix(path, "/ogc/") || strings.HasPrefix(path, "/officer/") {
		return max(s.cfg.Budget, BulkBudget)
	}
	return s.cfg.Budget
}

// overBudget reports whether the request's time budget ran out.
func overBudget(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.DeadlineExceeded)
}

// openReads makes the public read interfaces (/api/, /ogc, /tiles/) open to
// every origin (docs/api.md: CORS open for reads) and answers their
// preflight requests. Officer pages and their API are not opened.
func openReads(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || p == "/ogc" || strings.HasPrefix(p, "/ogc/") || strings.HasPrefix(p, "/tiles/") {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
				w.Header().Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match, Content-Type")
				w.Header().Set("Access-Control-Max-Age", "86400")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// statusWriter records the status and size of a response for logs and
// metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// securityHeaders sets the headers every response carries. The CSP allows
// no inline script (the site's JavaScript is in /static) and blob: workers,
// which MapLibre GL JS creates for tile parsing.
func securityHeaders(h http.Header, bm *Basemap) {
	img, connect := "'self' data: blob:", "'self'"
	if bm != nil && bm.Tiles != "" {
		if o := origin(bm.Tiles); o != "" {
			img += " " + o
			connect += " " + o
		}
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src "+img+
		"; connect-src "+connect+"; worker-src 'self' blob:; child-src blob:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// origin returns scheme://host of a URL template, or "" when it has none.
func origin(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	rest := u[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if rest == "" || strings.ContainsAny(rest, " ;'\"") {
		return ""
	}
	return u[:i+3] + rest
}

// gzipHandler compresses responses for clients that accept gzip, except
// those already compressed or served in ranges (PMTiles archives are read
// with Range requests). A compressed variant gets its own ETag ("…-gzip").
func gzipHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r) || r.Header.Get("Range") != "" || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			r.Header.Set("If-None-Match", strings.ReplaceAll(inm, `-gzip"`, `"`))
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

var gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

type gzipWriter struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.decided = true
	h := w.Header()
	if etag := h.Get("ETag"); etag != "" && strings.HasSuffix(etag, `"`) {
		h.Set("ETag", strings.TrimSuffix(etag, `"`)+`-gzip"`)
	}
	ct := h.Get("Content-Type")
	if code == http.StatusOK && h.Get("Content-Encoding") == "" && h.Get("Content-Range") == "" && compressible(ct) {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		h.Del("Accept-Ranges")
		w.gz = gzipPool.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	} else if etag := h.Get("ETag"); code != http.StatusNotModified && strings.HasSuffix(etag, `-gzip"`) {
		h.Set("ETag", strings.TrimSuffix(etag, `-gzip"`)+`"`)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) close() {
	if w.gz != nil {
		w.gz.Close()
		gzipPool.Put(w.gz)
		w.gz = nil
	}
}

func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	switch {
	case strings.HasPrefix(ct, "text/"), strings.HasSuffix(ct, "json"), strings.HasSuffix(ct, "xml"),
		ct == "application/javascript", ct == "image/svg+xml", ct == "application/vnd.mapbox-vector-tile":
		return true
	}
	return false
}

// serveBytes answers with body under a strong ETag (its SHA-256) and the
// given Cache-Control, honouring If-None-Match (304) and HEAD.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType, cacheControl string, body []byte) {
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Type", contentType)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// limiter is a per-client token bucket: rate tokens a second, burst at most.
type limiter struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	seen  map[string]*bucket
	calls int
}

type bucket struct {
	tokens float64
	last   time.Time
	// next is the page a paging client would ask for next (see paging.go).
	next string
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), seen: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	return l.take(key, nil, now)
}

// take charges key for one request: a whole token, or pageCost when page
// says the request continues the client's previous page (paging.go). It
// says how long to wait when the bucket is short.
func (l *limiter) take(key string, page *pageKey, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%1024 == 0 {
		for k, b := range l.seen { // forget clients idle long enough to have a full bucket
			if now.Sub(b.last).Seconds()*l.rate > l.burst {
				delete(l.seen, k)
			}
		}
	}
	b, ok := l.seen[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.seen[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	cost := 1.0
	if page != nil && page.this == b.next {
		cost = pageCost
	}
	if b.tokens >= cost {
		b.tokens -= cost
		if page != nil {
			b.next = page.next
		}
		return true, 0
	}
	return false, time.Duration((cost - b.tokens) / l.rate * float64(time.Second))
}

// rateLimit answers 429 JSON to a client over its budget on /api/.
func (s *Server) rateLimit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lim := s.limiterFor(r.URL.Path); lim != nil {
			if ok, wait := lim.take(s.clientIP(r), itemsPage(r), time.Now()); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				w.Header().Set("Cache-Control", "no-store")
				writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]string{
					"code": "too_many", "message": "too many requests: slow down and retry later"}})
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// limited reports whether a path does query work worth a per-client limit:
// the API, the search pages (each a full index search), the OGC service
// (filters may scan the table) and the reconciliation service (a request is
// a batch of searches). Pages and tiles are cached and cheap.
func limited(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/search" || path == "/en/search" ||
		path == "/ogc" || strings.HasPrefix(path, "/ogc/") ||
		path == "/reconcile" || strings.HasPrefix(path, "/reconcile/")
}

// clientIP is the client address for rate limits and logs.
func (s *Server) clientIP(r *http.Request) string {
	return clientaddr.Of(r, s.cfg.TrustProxy)
}

// metrics are the Prometheus series of the HTTP server.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wumen_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wumen_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				switch c.(type) {
				case *prometheus.CounterVec:
					m.requests = are.ExistingCollector.(*prometheus.CounterVec)
				case *prometheus.HistogramVec:
					m.duration = are.ExistingCollector.(*prometheus.HistogramVec)
				}
				continue
			}
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
