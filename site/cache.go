package site

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
)

// The response cache keeps what the place pages and /api/v1/places/{id}
// answered, as sent (compressed or not), until the store's Version moves:
// rendering a place page takes a handful of queries (the place, its admin
// crumbs, nearby places, walks) and a template, while answering from the
// cache is a map lookup and one write — the page path then runs at the speed
// of net/http's file server (BENCHMARKS.md, "Serving"). Every write through
// the store changes its Version, so no answer outlives the data it shows;
// and the views an answer is made from (the admin names of its crumbs)
// follow the change feed a moment later, so the cache also starts again
// each time the feed brings a change (Server.derived).

// cacheLimit bounds the bytes the cache holds; when a new answer would pass
// it the cache starts again empty (the answers are cheap to make again, and
// a bound that never grows is what matters).
const cacheLimit = 256 << 20

// cachedHeaders are the headers of an answer the cache keeps; the others
// (security headers, CORS) are set on every response by the middleware
// around it.
var cachedHeaders = []string{"Content-Type", "Content-Encoding", "Content-Language", "ETag", "Cache-Control", "Vary", "Link", "Last-Modified"}

type cachedAnswer struct {
	header http.Header
	body   []byte
}

// cacheVersion is what an answer was made at: the store's Version and the
// number of changes the feed had brought to the server's derived views.
type cacheVersion struct{ store, derived int64 }

// respCache is the cache; version is what its answers were made at.
type respCache struct {
	mu      sync.RWMutex
	version cacheVersion
	size    int
	answers map[string]*cachedAnswer
}

// cacheable reports whether a request's answer may be kept: GET or HEAD of
// a place page (either language) or of one place in the API, without a
// query string or a Range.
func cacheable(r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL.RawQuery != "" || r.Header.Get("Range") != "" {
		return false
	}
	p := strings.TrimPrefix(r.URL.Path, "/en")
	return strings.HasPrefix(p, "/place/") || strings.HasPrefix(r.URL.Path, "/api/v1/places/")
}

// cache answers cacheable requests from the cache when the store has not
// changed since the answer was made, and keeps the 200 answers it makes.
// It sits outside gzip, so a compressed answer is compressed once.
func (s *Server) cache(h http.Handler) http.Handler {
	c := &respCache{answers: map[string]*cachedAnswer{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			h.ServeHTTP(w, r)
			return
		}
		ver := cacheVersion{s.store.Version(), s.derived.Load()}
		key := r.Host + " " + r.URL.Path
		if acceptsGzip(r) && r.Method == http.MethodGet {
			key += " gzip"
		}
		c.mu.RLock()
		a := c.answers[key]
		fresh := c.version == ver
		c.mu.RUnlock()
		if a != nil && fresh {
			a.serve(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if rec.status != http.StatusOK || r.Method != http.MethodGet || rec.header == nil {
			return
		}
		c.put(key, ver, &cachedAnswer{header: rec.header, body: rec.body.Bytes()})
	})
}

func (c *respCache) put(key string, ver cacheVersion, a *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != ver || c.size+len(a.body) > cacheLimit {
		c.answers, c.size, c.version = map[string]*cachedAnswer{}, 0, ver
	}
	if old := c.answers[key]; old != nil {
		c.size -= len(old.body)
	}
	c.answers[key] = a
	c.size += len(a.body)
}

// serve writes a kept answer, or 304 when the client holds its ETag.
func (a *cachedAnswer) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, a.header.Get("ETag")) {
		h.Del("Content-Type")
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Write(a.body)
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison, RFC 9110 §13.1.2).
func etagMatch(inm, etag string) bool {
	if etag == "" {
		return false
	}
	etag = strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// recorder passes an answer on and keeps a copy of its kept headers and
// body.
type recorder struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
	wrote  bool
}

func (w *recorder) WriteHeader(code int) {
	if !w.wrote {
		w.wrote, w.status = true, code
		if code == http.StatusOK && w.Header().Get("Set-Cookie") == "" && !strings.Contains(w.Header().Get("Cache-Control"), "no-store") {
			w.header = http.Header{}
			for _, k := range cachedHeaders {
				if v := w.Header().Values(k); len(v) > 0 {
					w.header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
				}
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.header != nil {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
