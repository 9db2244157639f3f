// Package officer serves naming review (地名审核) to officers and the public
// notices (公告) to everyone: server-rendered pages under /officer/ (login,
// the queue with overdue flags, the quick check of a name typed the way
// officers write it (check.go), proposals with their check reports, decision
// forms, a printable review report, users and the audit log), a JSON API for
// scripts under /officer/api/ with bearer tokens, and /notices.
//
// Security: sessions are server-side rows behind a Secure (under TLS or when
// Options.Secure is set), HttpOnly, SameSite=Strict cookie; every form carries
// a synchronizer CSRF token tied to the session (the login form a
// double-submit cookie); roles are checked on every route; every write is
// audited. Pages carry a strict Content-Security-Policy: no script at all,
// except the check page and the proposal form, page and report, which load MapLibre GL JS and
// the officer's map script from this origin (never inline) to draw and show
// a proposal's geometry. Every page works without script: the maps hide
// themselves when MapLibre is not there and the location stays a text field.
package officer

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"wumen/site/clientaddr"
	"wumen/site/jsonapi"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// Options tune the officer handler.
type Options struct {
	// Secure sets the Secure flag on cookies even when the request did not
	// arrive over TLS (behind a TLS-terminating proxy).
	Secure bool
	// TrustProxy takes the client address from X-Forwarded-For (for the login
	// rate limit and the audit log). Only set it behind a proxy that sets it.
	TrustProxy bool
	// Now is the clock (time.Now when nil); tests inject one for overdue flags.
	Now func() time.Time
	// Logger receives internal errors (slog.Default when nil).
	Logger *slog.Logger
	// MapURL is the public map link of a point, a format with latitude and
	// longitude verbs ("/map?lat=%.6f&lon=%.6f" when empty).
	MapURL string
	// PlaceURL is the format of a place's public page ("/places/%d" when empty).
	PlaceURL string
	// MapScript and MapStyle are MapLibre GL JS and its stylesheet, served
	// beside the officer pages ("/static/vendor/maplibre-gl.js" and ".css"
	// when empty); where they are missing the maps hide themselves.
	MapScript, MapStyle string
	// MapTiles is the vector tile URL template of the maps
	// ("/tiles/{z}/{x}/{y}.mvt" when empty) and MapGlyphs the glyph endpoint
	// ("/fonts/{fontstack}/{range}.pbf" when empty); both on this origin.
	MapTiles, MapGlyphs string
	// MaxUpload limits one attached file, in bytes (10 MiB when 0).
	MaxUpload int64
	// PasswordParams, when set, replaces the argon2id parameters for new
	// passwords (tests use cheap ones).
	PasswordParams *account.Params
}

// Handler is the officer site.
type Handler struct {
	opts     Options
	Reviews  *review.Service
	Accounts *account.Service
	store    *gazetteer.Store
	log      *slog.Logger
	mux      *http.ServeMux
	pages    map[string]*template.Template
}

// New returns the officer handler serving /officer/… and /notices. When the
// review or account tables cannot be prepared, it logs why and answers 503.
func New(store *gazetteer.Store, opts Options) http.Handler {
	h, err := Open(store, opts)
	if err != nil {
		log := opts.Logger
		if log == nil {
			log = slog.Default()
		}
		log.Error("officer: cannot open naming review", "err", err)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "naming review is unavailable", http.StatusServiceUnavailable)
		})
	}
	return h
}

// Open prepares the review and account tables and returns the handler.
func Open(store *gazetteer.Store, opts Options) (*Handler, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MapURL == "" {
		opts.MapURL = "/map?lat=%.6f&lon=%.6f"
	}
	if opts.PlaceURL == "" {
		opts.PlaceURL = "/places/%d"
	}
	for _, d := range []struct {
		v   *string
		def string
	}{{&opts.MapScript, defaultMapScript}, {&opts.MapStyle, defaultMapStyle},
		{&opts.MapTiles, defaultMapTiles}, {&opts.MapGlyphs, defaultMapGlyphs}} {
		if *d.v == "" {
			*d.v = d.def
		}
	}
	rs, err := review.Open(store)
	if err != nil {
		return nil, err
	}
	as, err := account.Open(store)
	if err != nil {
		return nil, err
	}
	rs.Now, as.Now = opts.Now, opts.Now
	rs.Checker.PlaceURL = func(id int64) string { return fmt.Sprintf(opts.PlaceURL, id) }
	if opts.MaxUpload > 0 {
		rs.MaxAttachment = opts.MaxUpload
	}
	if opts.PasswordParams != nil {
		as.Params = *opts.PasswordParams
	}
	h := &Handler{opts: opts, Reviews: rs, Accounts: as, store: store, log: opts.Logger, mux: http.NewServeMux()}
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// Store returns the gazetteer store the handler serves.
func (h *Handler) Store() *gazetteer.Store { return h.store }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", strictCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(r.URL.Path, "/officer/") {
		// Officer pages are private: no copy in any cache, and none shown
		// again by the back button after logout. (/notices is public.)
		hd.Set("Cache-Control", "no-store")
	}
	if r.Body != nil {
		// Three reports and the form fields at most (MaxUpload each).
		r.Body = http.MaxBytesReader(w, r.Body, h.maxBody())
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) routes() {
	m := h.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /officer/static/", http.StripPrefix("/officer/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /officer/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/officer/queue", http.StatusSeeOther)
	})
	m.HandleFunc("GET /officer/login", h.loginPage)
	m.HandleFunc("POST /officer/login", h.login)
	m.HandleFunc("POST /officer/logout", h.page("", h.logout))
	m.HandleFunc("GET /officer/queue", h.page("", h.queue))
	m.HandleFunc("GET /officer/check", h.page("", h.checkPage))
	m.HandleFunc("GET /officer/proposals/new", h.page(account.PermPropose, h.newProposal))
	m.HandleFunc("POST /officer/proposals", h.page(account.PermPropose, h.createProposal))
	m.HandleFunc("GET /officer/proposals/{id}", h.page("", h.proposal))
	m.HandleFunc("GET /officer/proposals/{id}/edit", h.page(account.PermPropose, h.editPage))
	m.HandleFunc("POST /officer/proposals/{id}/edit", h.page(account.PermPropose, h.edit))
	m.HandleFunc("GET /officer/proposals/{id}/report", h.page("", h.printReport))
	m.HandleFunc("POST /officer/proposals/{id}/attachments", h.page(account.PermPropose, h.attach))
	m.HandleFunc("GET /officer/proposals/{id}/attachments/{aid}", h.page("", h.download))
	m.HandleFunc("POST /officer/proposals/{id}/comments", h.page(account.PermPropose, h.comment))
	m.HandleFunc("POST /officer/proposals/{id}/transition", h.page(account.PermPropose, h.transition))
	m.HandleFunc("GET /officer/users", h.page(account.PermUsers, h.users))
	m.HandleFunc("POST /officer/users", h.page(account.PermUsers, h.addUser))
	m.HandleFunc("POST /officer/users/{name}/disable", h.page(account.PermUsers, h.disableUser))
	m.HandleFunc("POST /officer/users/{name}/token", h.page(account.PermUsers, h.newToken))
	m.HandleFunc("POST /officer/users/{name}/tokens/{id}/revoke", h.page(account.PermUsers, h.revokeToken))
	m.HandleFunc("GET /officer/audit", h.page(account.PermUsers, h.audit))
	h.positionRoutes()
	m.HandleFunc("GET /notices", h.notices)
	m.HandleFunc("GET /notices/{id}", h.notice)

	m.HandleFunc("GET /officer/api/proposals", h.api("", h.apiList))
	m.HandleFunc("POST /officer/api/proposals", h.api(account.PermPropose, h.apiCreate))
	m.HandleFunc("GET /officer/api/proposals/{id}", h.api("", h.apiGet))
	m.HandleFunc("POST /officer/api/proposals/{id}/transition", h.api(account.PermPropose, h.apiTransition))
	m.HandleFunc("POST /officer/api/check", h.api("", h.apiCheck))
	m.HandleFunc("/officer/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errBody(gazetteer.ENotFound, "no such API route"))
	})
}

const (
	sessionCookie = "wumen_officer"
	loginCookie   = "wumen_login_csrf"
)

type ctxKey struct{}

// clientIP is the address used for rate limits and the audit log.
func (h *Handler) clientIP(r *http.Request) string {
	return clientaddr.Of(r, h.opts.TrustProxy)
}

func (h *Handler) secure(r *http.Request) bool { return h.opts.Secure || r.TLS != nil }

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: h.secure(r), SameSite: http.SameSiteStrictMode})
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// page wraps an officer page: a session is needed (GET without one goes to
// the login page), a POST must carry the session's CSRF token, and perm (when
// not empty) must be granted to the user's role. Failures are 403.
func (h *Handler) page(perm string, fn func(http.ResponseWriter, *http.Request, *account.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var tok string
		if c, err := r.Cookie(sessionCookie); err == nil {
			tok = c.Value
		}
		sess, err := h.Accounts.Session(r.Context(), tok)
		if err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/officer/login", http.StatusSeeOther)
				return
			}
			h.fail(w, r, nil, gazetteer.Errorf(gazetteer.EForbidden, "please log in"))
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(h.maxBody()); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EInvalid, "the form is too large or malformed"))
				return
			}
			if !sameToken(r.PostFormValue("csrf"), sess.CSRF) {
				h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EForbidden, "the form's security token is missing or wrong; reload the page"))
				return
			}
		}
		if perm != "" && !account.Can(sess.User.Role, perm) {
			h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EForbidden, "your role (%s) may not do this", sess.User.Role))
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess)), sess)
	}
}

func (h *Handler) maxBody() int64 {
	return h.Reviews.MaxAttachment*3 + 1<<20
}

// audited returns the request's context carrying the audit entry of the
// write it is given to: who, what, which object, why (what is called at
// commit time, when the write has its ids). The entry is written inside the
// write's transaction, so a crash cannot leave a write without its entry.
func (h *Handler) audited(r *http.Request, actor, action string, what func() (object, why string)) context.Context {
	ip := h.clientIP(r)
	return gazetteer.WithAudit(r.Context(), func() gazetteer.AuditEntry {
		o, w := what()
		return gazetteer.AuditEntry{Actor: actor, Action: action, Object: o, Why: w, IP: ip}
	})
}

// fail shows an error page; internal details go to the log only.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, sess *account.Session, err error) {
	code := gazetteer.ErrorCode(err)
	if code == gazetteer.EInternal {
		h.log.Error("officer", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	w.WriteHeader(jsonapi.Status(code))
	h.render(w, "error", sess, map[string]any{"Code": code, "Message": gazetteer.ErrorMessage(err), "Title": "错误 Error"})
}

func errBody(code, msg string) map[string]any { return jsonapi.Body(code, msg) }

func writeJSON(w http.ResponseWriter, st int, v any) { jsonapi.Write(w, st, jsonapi.ContentType, v) }

func (h *Handler) apiError(w http.ResponseWriter, r *http.Request, err error) {
	code := gazetteer.ErrorCode(err)
	if code == gazetteer.EInternal {
		h.log.Error("officer api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, jsonapi.Status(code), errBody(code, gazetteer.ErrorMessage(err)))
}

// api wraps a JSON API route: a bearer token is needed (401 without a valid
// one) and perm must be granted (403).
func (h *Handler) api(perm string, fn func(http.ResponseWriter, *http.Request, *account.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wumen"`)
			h.apiError(w, r, gazetteer.Errorf(gazetteer.EUnauthorized, "an API token is needed (Authorization: Bearer …)"))
			return
		}
		u, err := h.Accounts.TokenUser(r.Context(), strings.TrimSpace(tok))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="wumen", error="invalid_token"`)
			h.apiError(w, r, err)
			return
		}
		if perm != "" && !account.Can(u.Role, perm) {
			h.apiError(w, r, gazetteer.Errorf(gazetteer.EForbidden, "the role %s may not do this", u.Role))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		fn(w, r, u)
	}
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, gazetteer.Errorf(gazetteer.ENotFound, "not found")
	}
	return id, nil
}

// decidePerm is the permission a transition needs: submitting is the
// editor's, every decision after it the reviewer's.
func decidePerm(action string) string {
	if action == review.ActSubmit {
		return account.PermPropose
	}
	return account.PermDecide
}
