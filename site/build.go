package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/tileset"
	"wumen/geo/pmtiles"
	"wumen/search"
)

// pagePaths lists every public page in its language-neutral form (the
// English twin is the same under /en), for the sitemap and the static build.
func (s *Server) pagePaths(ctx context.Context) ([]string, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	walks, err := s.store.Walks(ctx)
	if err != nil {
		return nil, err
	}
	paths := []string{"/", "/map", "/walks", "/search", "/browse", "/about"}
	for _, w := range walks {
		paths = append(paths, "/walk/"+url.PathEscape(w.ID))
	}
	for _, c := range cat.Classes {
		paths = append(paths, "/browse/category/"+url.PathEscape(c.Key))
	}
	for _, c := range cat.Subclasses {
		paths = append(paths, "/browse/category/"+url.PathEscape(c.Key))
	}
	for _, c := range cat.Districts {
		if _, ok := s.adminNames()[c.Key]; ok {
			paths = append(paths, "/browse/district/"+c.Key)
		}
	}
	for _, c := range cat.Heritage {
		paths = append(paths, "/browse/heritage/"+url.PathEscape(c.Key))
	}
	for _, c := range cat.Letters {
		paths = append(paths, "/browse/az/"+c.Key)
	}
	for _, e := range cat.Entries {
		paths = append(paths, e.Path)
	}
	return dedupe(paths), nil
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, p := range in {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

type sitemapURL struct {
	Loc  string          `xml:"loc"`
	Alts []sitemapLinkEl `xml:"xhtml:link"`
}

type sitemapLinkEl struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

func (s *Server) sitemap(ctx context.Context, base string) ([]byte, error) {
	paths, err := s.pagePaths(ctx)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	enc := xml.NewEncoder(&b)
	for _, p := range paths {
		alts := []sitemapLinkEl{{"alternate", "zh-Hans", base + langPath(langZH, p)}, {"alternate", "en", base + langPath(langEN, p)}}
		for _, lang := range []string{langZH, langEN} {
			if err := enc.EncodeElement(sitemapURL{Loc: base + langPath(lang, p), Alts: alts}, xml.StartElement{Name: xml.Name{Local: "url"}}); err != nil {
				return nil, err
			}
		}
	}
	enc.Flush()
	b.WriteString("\n</urlset>\n")
	return b.Bytes(), nil
}

func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	b, err := s.sitemap(r.Context(), s.baseURL(r))
	if err != nil {
		s.log.Error("sitemap", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	serveBytes(w, r, "application/xml; charset=utf-8", "public, max-age=3600", b)
}

func robots(base string) []byte {
	b := "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /search?\n"
	if base != "" { // a sitemap must be named by its absolute URL
		b += "\nSitemap: " + base + "/sitemap.xml\n"
	}
	return []byte(b)
}

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	serveBytes(w, r, "text/plain; charset=utf-8", "public, max-age=86400", robots(s.baseURL(r)))
}

func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) {
	b, _ := staticFS.ReadFile("static/img/icon.svg")
	serveBytes(w, r, "image/svg+xml", "public, max-age=86400", b)
}

// BuildOptions configure a static build.
type BuildOptions struct {
	// Progress, when set, is told each file written (its site path).
	Progress func(path string)
}

// BuildStats counts what a static build wrote.
type BuildStats struct {
	Pages, GeoJSON, Tiles, Files int
	// Precached is the bytes the service worker saves at install, in
	// PrecachedFiles files (precache.json).
	Precached      int64
	PrecachedFiles int
}

// Build writes the whole public site into dir as static files: every page in
// both languages as path/index.html, a GeoJSON per place and per walk, the
// vector tiles as one PMTiles archive (tiles.pmtiles) the map reads with
// HTTP range requests, the embedded /static files, sitemap.xml, robots.txt
// and 404.html. cfg.APIBase, when set, is the API the search page calls;
// cfg.BaseURL should be the site's public address (canonical URLs).
func Build(ctx context.Context, cfg Config, dir string, opt BuildOptions) (*BuildStats, error) {
	cfg.static = true
	s, err := New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	st := &BuildStats{}
	h := s.mux // no middleware: files are written as rendered
	get := func(p string) ([]byte, error) {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, p, nil)
		if cfg.BaseURL == "" {
			req.Host = "localhost"
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("build %s: status %d", p, rec.Code)
		}
		return rec.Body.Bytes(), nil
	}
	written := map[string]precacheFile{} // for the service worker's precache list
	writeFile := func(rel string, b []byte) error {
		written[rel] = hashed(b)
		full := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if opt.Progress != nil {
			opt.Progress(rel)
		}
		st.Files++
		return os.WriteFile(full, b, 0o644)
	}
	write := func(rel string, b []byte) error {
		if err := writeFile(rel, b); err != nil {
			return err
		}
		return writePrecompressed(writeFile, rel, b)
	}
	unescape := func(p string) string {
		if u, err := url.PathUnescape(p); err == nil {
			return u
		}
		return p
	}
	paths, err := s.pagePaths(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		for _, lang := range []string{langZH, langEN} {
			lp := langPath(lang, p)
			b, err := get(lp)
			if err != nil {
				return nil, err
			}
			if err := write(path.Join(unescape(lp), "index.html"), b); err != nil {
				return nil, err
			}
			st.Pages++
		}
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range cat.Entries {
		id := strconv.FormatInt(e.ID, 10)
		for _, lang := range []string{langZH, langEN} { // /place/{id} → its page
			lp := langPath(lang, "/place/"+id)
			b, err := get(lp)
			if err != nil {
				return nil, err
			}
			if err := write(lp+"/index.html", b); err != nil {
				return nil, err
			}
		}
		b, err := get("/place/" + id + ".geojson")
		if err != nil {
			return nil, err
		}
		if err := write("/place/"+id+".geojson", b); err != nil {
			return nil, err
		}
		st.GeoJSON++
	}
	walks, err := s.store.Walks(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range walks {
		b, err := get("/walk/" + url.PathEscape(w.ID) + ".geojson")
		if err != nil {
			return nil, err
		}
		if err := write("/walk/"+w.ID+".geojson", b); err != nil {
			return nil, err
		}
		st.GeoJSON++
	}
	// 404.html: what static hosts serve for a missing path.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/404", nil))
	if err := write("/404.html", rec.Body.Bytes()); err != nil {
		return nil, err
	}
	base := cfg.BaseURL
	if base != "" { // sitemap locations must be absolute URLs
		sm, err := s.sitemap(ctx, base)
		if err != nil {
			return nil, err
		}
		if err := write("/sitemap.xml", sm); err != nil {
			return nil, err
		}
	}
	if err := write("/robots.txt", robots(base)); err != nil {
		return nil, err
	}
	icon, _ := staticFS.ReadFile("static/img/icon.svg")
	if err := write("/favicon.ico", icon); err != nil {
		return nil, err
	}
	err = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		return write("/"+p, b)
	})
	if err != nil {
		return nil, err
	}
	if err := s.writeMapFiles(ctx, dir, get, write); err != nil {
		return nil, err
	}
	n, err := s.writePMTiles(ctx, filepath.Join(dir, "tiles.pmtiles"))
	if err != nil {
		return nil, err
	}
	st.Tiles = n
	st.Files++
	if err := s.writeSearchIndex(ctx, write); err != nil {
		return nil, err
	}
	for _, p := range []string{"/offline", "/en/offline"} {
		b, err := get(p)
		if err != nil {
			return nil, err
		}
		if err := write(p+"/index.html", b); err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(walks))
	for i, w := range walks {
		ids[i] = w.ID
	}
	pc, err := writeOffline(dir, offlinePagePaths(cat, walks), ids, written, write)
	if err != nil {
		return nil, err
	}
	st.Precached, st.PrecachedFiles = pc.Bytes, len(pc.Files)
	return st, nil
}

// searchIndexPath is where a static build writes the compact search index
// the browser's search (search/wasm) opens.
const searchIndexPath = "/search/index.json"

// writeSearchIndex writes the compact search index (search.WriteCompact)
// of the configured index, or of one built from the store for the purpose.
func (s *Server) writeSearchIndex(ctx context.Context, write func(string, []byte) error) error {
	ix := s.cfg.Index
	if ix == nil {
		tmp, err := os.MkdirTemp("", "wumen-build-search-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if ix, err = search.Build(filepath.Join(tmp, "index"), func(fn func(*gazetteer.Place) error) error {
			return s.store.Each(ctx, gazetteer.Filter{}, fn)
		}); err != nil {
			return fmt.Errorf("building the search index for the static site: %w", err)
		}
		defer ix.Close()
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	paths := make(map[int64]string, len(cat.Entries))
	for _, e := range cat.Entries {
		paths[e.ID] = e.Path
	}
	var b bytes.Buffer
	if err := ix.WriteCompact(&b, paths); err != nil {
		return err
	}
	return write(searchIndexPath, b.Bytes())
}

// writeMapFiles writes the map's style documents (/styles/*.json) and a
// TileJSON (/tiles.json) whose tiles template reads the PMTiles archive
// through the pmtiles:// protocol (pmtiles://…/tiles.pmtiles/{z}/{x}/{y}),
// the form MapLibre with the PMTiles plugin, as the map uses it, reads.
func (s *Server) writeMapFiles(ctx context.Context, dir string, get func(string) ([]byte, error), write func(string, []byte) error) error {
	for _, name := range mapStyleNames {
		b, err := get("/styles/" + name + ".json")
		if err != nil {
			return err
		}
		if err := write("/styles/"+name+".json", b); err != nil {
			return err
		}
	}
	ti, err := s.tileIndex(ctx)
	if err != nil {
		return err
	}
	tj := tileset.Schema().TileJSON([]string{"pmtiles://" + s.cfg.BaseURL + "/tiles.pmtiles/{z}/{x}/{y}"}, ti.set.Bounds, ti.set.Center(), 11)
	tj.Name, tj.Description, tj.Attribution, tj.Version = "Wumen 吴门", "Suzhou place names (地名) over a basemap of land and water", s.attribution(), "2.0.0"
	b, err := json.Marshal(tj)
	if err != nil {
		return err
	}
	return write("/tiles.json", b)
}

// writePMTiles writes every non-empty tile into one PMTiles archive.
func (s *Server) writePMTiles(ctx context.Context, file string) (int, error) {
	ti, err := s.tileIndex(ctx)
	if err != nil {
		return 0, err
	}
	f, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	n, err := ti.set.WritePMTiles(f, tileset.MinZoom, tileset.MaxZoom, pmtiles.Metadata{
		Name: "wumen", Description: "Suzhou place names (吴门地名录) over a basemap of land and water", Type: "baselayer", Version: "2"})
	if err != nil {
		f.Close()
		return 0, err
	}
	return n, f.Close()
}
