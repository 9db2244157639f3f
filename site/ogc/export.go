package ogc

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/geo"
)

// parseExportFilter reads the export filters: category, admin, heritage,
// status, bbox, since, ids, missing_geometry (no paging: an export is
// whole).
func parseExportFilter(r *http.Request) (gazetteer.Filter, error) {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := gazetteer.Filter{Class: get("category"), Admin: get("admin"), Heritage: get("heritage"), Status: gazetteer.Status(get("status"))}
	for _, c := range f.Admin {
		if c < '0' || c > '9' {
			return f, invalid("admin", "admin must be a statistical code prefix (digits)")
		}
	}
	switch f.Status {
	case "", gazetteer.StatusCurrent, gazetteer.StatusHistorical, gazetteer.StatusCancelled:
	default:
		return f, invalid("status", "status must be current, historical or cancelled")
	}
	if v := get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return f, err
		}
		f.BBox = &b
	}
	if v := firstNonEmpty(get("since"), get("changed_since")); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.Parse("2006-01-02", v)
		}
		if err != nil {
			return f, invalid("since", "since must be YYYY-MM-DD or RFC 3339")
		}
		f.ChangedSince = t
	}
	for _, s := range strings.Split(get("ids"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, invalid("ids", "ids must be comma-separated positive integers")
		}
		f.IDs = append(f.IDs, id)
	}
	f.MissingGeometry = get("missing_geometry") == "1" || get("missing_geometry") == "true"
	return f, nil
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// export serves /api/v1/export?format=…: every export format with the
// shared filters, streamed (GeoPackage is built in a temporary file first,
// being a database).
func (s *service) export(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "geojson"
	}
	info, ok := export.FormatInfos[format]
	if !ok {
		s.writeError(w, r, invalid("format", "format must be one of geojson, geojsonl, csv, jsonl, gpkg, kml, lpf, lptsv, pmtiles"))
		return
	}
	f, err := parseExportFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	crs := geo.WGS84
	if v := r.URL.Query().Get("crs"); v != "" {
		if crs, err = geo.ParseCRS(v); err != nil {
			s.writeError(w, r, invalid("crs", "crs must be wgs84, cgcs2000, gcj02 or bd09"))
			return
		}
	}
	bom := r.URL.Query().Get("bom") == "1" || r.URL.Query().Get("bom") == "true"
	o := export.Options{Export: gazetteer.ExportOptions{Filter: f, CRS: crs, BOM: bom}, BaseURI: s.base(r) + "/api/v1/places/"}
	name := "wumen-places" + info.Ext
	h := w.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if info.File {
		dir, err := os.MkdirTemp("", "wumen-export-")
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, name)
		if _, err := export.WriteFile(r.Context(), s.store, format, path, o); err != nil {
			s.writeError(w, r, err)
			return
		}
		fh, err := os.Open(path)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		defer fh.Close()
		h.Set("Content-Type", info.ContentType)
		st, _ := fh.Stat()
		http.ServeContent(w, r, name, st.ModTime(), fh)
		return
	}
	h.Set("Content-Type", info.ContentType)
	cw := &countingWriter{w: w}
	if _, err := export.Write(r.Context(), s.store, format, cw, o); err != nil {
		if cw.n == 0 {
			h.Del("Content-Disposition")
			s.writeError(w, r, err)
			return
		}
		// Headers are gone once the stream started; the truncated body and
		// the log are all that is left to say.
		s.opts.Logf("ogc: export %s: %v", format, err)
	}
}

// countingWriter tells whether a response body has begun.
type countingWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
