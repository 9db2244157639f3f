// Package ogc serves the gazetteer as OGC API – Features (OGC 17-069r4,
// Part 1: Core) under /ogc — landing page, conformance, an OpenAPI 3.0
// definition, collections (all places, one per census 大类 present, and the
// walks as lines), paged items with bbox, datetime and property filters,
// single features, in GeoJSON and HTML; Part 2 (OGC 18-058r1, crs.go:
// CRS84, EPSG:4326, EPSG:4490 and GCJ-02 by Wumen's URN) and Part 3
// (OGC 19-079r2, queryables.go and the cql2 subpackage: queryables, CQL2
// text filters, sortby) — and the bulk export endpoint
// /api/v1/export, so GDAL's OAPIF driver, QGIS and plain HTTP clients can use
// the data without an intermediary.
//
// It is standalone (imports gazetteer, never site): the site mounts the
// handler New returns.
package ogc

import (
	_ "embed"
	"errors"
	"log"
	"net/http"
	"net/url"
	"strings"
	"wumen/site/jsonapi"

	"wumen/gazetteer"
)

// Content types (OGC 17-069r4 §7.8 and the OpenAPI 3.0 requirement class).
const (
	TypeGeoJSON = "application/geo+json"
	TypeJSON    = "application/json"
	TypeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	TypeHTML    = "text/html; charset=utf-8"
	// TypeSchema is the type of the queryables (OGC 19-079r2 §6.2).
	TypeSchema = "application/schema+json"
)

// Conformance lists the conformance classes of OGC 17-069r4 this service
// implements.
var Conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	// Part 2: Coordinate Reference Systems by Reference (OGC 18-058r1).
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
	// Part 3: Filtering (OGC 19-079r2) with CQL2 text (OGC 21-065r2).
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
	"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
	"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
	"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
}

// CRS84 is the default CRS of Part 1 (§7.14.3), WGS84 lon/lat, and the
// storage CRS.
const CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// Item limits (default and maximum of the limit parameter).
const (
	DefaultLimit = 10
	MaxLimit     = 1000
)

// Options configure the service.
type Options struct {
	// BaseURL is the public scheme://host[/prefix] links start with; empty
	// derives it from each request (Host, TLS, X-Forwarded-Proto).
	BaseURL string
	// Logf logs internal errors (default log.Printf); users see only a
	// plain message.
	Logf func(format string, args ...any)
}

type service struct {
	store *gazetteer.Store
	opts  Options
	mux   *http.ServeMux
}

// New returns the handler serving /ogc/… and /api/v1/export from store.
func New(store *gazetteer.Store, opts Options) http.Handler {
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	s := &service{store: store, opts: opts, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /ogc", s.landing)
	s.mux.HandleFunc("GET /ogc/{$}", s.landing)
	s.mux.HandleFunc("GET /ogc/conformance", s.conformance)
	s.mux.HandleFunc("GET /ogc/api", s.openAPI)
	s.mux.HandleFunc("GET /ogc/style.css", s.style)
	s.mux.HandleFunc("GET /ogc/collections", s.collections)
	s.mux.HandleFunc("GET /ogc/collections/{cid}", s.collection)
	s.mux.HandleFunc("GET /ogc/collections/{cid}/queryables", s.queryables)
	s.mux.HandleFunc("GET /ogc/collections/{cid}/items", s.items)
	s.mux.HandleFunc("GET /ogc/collections/{cid}/items/{fid}", s.item)
	s.mux.HandleFunc("GET /api/v1/export", s.export)
	return s
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	s.mux.ServeHTTP(w, r)
}

// base returns the absolute URL prefix of links.
func (s *service) base(r *http.Request) string { return jsonapi.BaseURL(r, s.opts.BaseURL) }

// Link is a link object (OGC 17-069r4 §7.6, RFC 8288).
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// wantHTML decides the encoding: f=html|json wins, else the Accept header
// (a browser's text/html beats */*), else JSON.
func wantHTML(r *http.Request) (bool, error) {
	switch f := r.URL.Query().Get("f"); f {
	case "html":
		return true, nil
	case "json", "geojson":
		return false, nil
	case "":
	default:
		return false, invalid("f", "f must be json or html")
	}
	acc := r.Header.Get("Accept")
	for _, part := range strings.Split(acc, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "text/html":
			return true, nil
		case TypeJSON, TypeGeoJSON, "application/*":
			return false, nil
		}
	}
	return false, nil
}

// selfLinks returns self and alternate links for the two encodings of the
// page at path (query q kept, f replaced).
func selfLinks(base, path string, q url.Values, html bool, jsonType string) []Link {
	mk := func(f string) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "f" {
				v[k] = vs
			}
		}
		v.Set("f", f)
		return base + path + "?" + v.Encode()
	}
	j := Link{Href: mk("json"), Type: jsonType, Title: "this document as JSON"}
	h := Link{Href: mk("html"), Type: "text/html", Title: "this document as HTML"}
	if html {
		h.Rel, j.Rel = "self", "alternate"
		return []Link{h, j}
	}
	j.Rel, h.Rel = "self", "alternate"
	return []Link{j, h}
}

func invalid(field, msg string) error {
	return &gazetteer.Error{Code: gazetteer.EInvalid, Where: field, Message: msg}
}

// writeError writes {"error":{"code","message","field"}} with the status
// of the error's code, field naming the parameter of a bad request (OGC
// 17-069r4 §7.5.1: 400 for an invalid parameter); internal details go to
// the log only.
func (s *service) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if gazetteer.ErrorCode(err) == gazetteer.EInternal && errors.Is(r.Context().Err(), err) {
		return
	}
	if jsonapi.Error(w, err) {
		s.opts.Logf("ogc: %s %s: %v", r.Method, r.URL.Path, err)
	}
}

func writeJSON(w http.ResponseWriter, status int, ctype string, v any) {
	jsonapi.Write(w, status, ctype, v)
}
