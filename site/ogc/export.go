package ogc

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/export"
	"wumen/gazetteer/formats"
	"wumen/geo"
)

// parseExportFilter reads the export filters (gazetteer.ParseFilter:
// category, admin, heritage, status, bbox, since, ids, missing_geometry); no
// paging: an export is whole.
func parseExportFilter(r *http.Request) (gazetteer.Filter, error) {
	q := r.URL.Query()
	return gazetteer.ParseFilter(q.Get)
}

// LostHeader is the response header of an export in a format that cannot
// hold the whole record (LP-TSV): the fields it lost, in words, as the
// metadata file beside a file export names them.
const LostHeader = "Wumen-Lost"

// export serves /api/v1/export?format=…: every export format with the
// shared filters, streamed (GeoPackage is built in a temporary file first,
// being a database).
func (s *service) export(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "geojson"
	}
	info, err := formats.ForWrite(format)
	if err != nil {
		s.writeError(w, r, invalid("format", "format must be one of "+strings.Join(formats.Exports(), ", ")))
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
	name := "wumen-places" + info.Ext()
	h := w.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if note := info.LostNote(); note != "" {
		// What a file export writes beside the file (a Sidecar), a
		// download says in a header: what the format could not hold.
		h.Set(LostHeader, note)
		h.Add("Access-Control-Expose-Headers", LostHeader)
	}
	if info.File {
		dir, err := os.MkdirTemp("", "wumen-export-")
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, name)
		if _, err := info.WriteFile(r.Context(), s.store, path, o); err != nil {
			s.writeError(w, r, err)
			return
		}
		fh, err := os.Open(path)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		defer fh.Close()
		h.Set("Content-Type", info.MediaType)
		st, _ := fh.Stat()
		http.ServeContent(w, r, name, st.ModTime(), fh)
		return
	}
	h.Set("Content-Type", info.MediaType)
	cw := &countingWriter{w: w}
	if _, err := info.Write(r.Context(), s.store, cw, o); err != nil {
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
