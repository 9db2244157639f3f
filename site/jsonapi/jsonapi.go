// Package jsonapi is the JSON side of Wumen's HTTP interfaces, shared by the
// public API (site), the OGC service (site/ogc) and the officers' API
// (site/officer): how a domain error becomes an HTTP status and the body
// {"error": {"code": …, "message": …}} (docs/api.md).
package jsonapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"wumen/gazetteer"
)

// ContentType is the media type of JSON answers.
const ContentType = "application/json; charset=utf-8"

// Status maps a domain error code (gazetteer.EInvalid …) onto its HTTP status.
func Status(code string) int {
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
	case gazetteer.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Write answers status with v encoded as JSON (HTML characters unescaped, so
// names read as written) under the given content type (ContentType if empty).
func Write(w http.ResponseWriter, status int, contentType string, v any) {
	if contentType == "" {
		contentType = ContentType
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// BaseURL is the absolute scheme://host[/prefix] that links in an answer
// start with: the configured one when the operator set it, else derived
// from the request (TLS, or X-Forwarded-Proto from a proxy, and Host).
func BaseURL(r *http.Request, configured string) string {
	if configured != "" {
		return configured
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// Body is the error body of every JSON interface.
func Body(code, message string) map[string]any {
	return map[string]any{"error": map[string]string{"code": code, "message": message}}
}

// Error answers err with its status and body; the body names the field of
// bad input when the error does ("field": "bbox"). It reports whether err
// was internal: the caller logs the detail, which the user never sees.
func Error(w http.ResponseWriter, err error) (internal bool) {
	code := gazetteer.ErrorCode(err)
	w.Header().Set("Cache-Control", "no-store")
	body := Body(code, gazetteer.ErrorMessage(err))
	var e *gazetteer.Error
	if errors.As(err, &e) && e.Where != "" && code == gazetteer.EInvalid {
		body["error"].(map[string]string)["field"] = e.Where
	}
	Write(w, Status(code), ContentType, body)
	return code == gazetteer.EInternal
}
