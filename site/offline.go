package site

//go:generate go run ./internal/genicons static/img

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"wumen/gazetteer"
)

// swSource is the service worker of the static build; Build writes it to
// /sw.js (the root, so its scope is the whole site) after a first line
// naming the precache version.
//
//go:embed sw.js
var swSource string

func init() {
	// The W3C Web App Manifest's media type (W3C Web Application Manifest §1.1).
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
}

// offlinePage is what the service worker shows for a page that is neither
// on the network nor saved.
func (s *Server) offlinePage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title, p.Description, p.NoIndex = p.T("offline.title"), p.T("offline.text"), true
	s.render(w, r, http.StatusOK, "offline", p)
}

// adminClasses are the categories of administrative units (districts,
// towns, village committees): 2,372 of the shipped 2,626 places, whose pages
// are not saved for offline use unless a walk stops there (they stay on the
// network, and in the cache once visited).
var adminClasses = map[string]bool{"行政区域": true, "非行政区域": true, "群众自治组织": true}

// offlinePagePaths are the pages, in their language-neutral form and URL
// escaped, the service worker saves at install: the entry pages, the
// heritage lists, every walk, and the page of every place that is not an
// administrative unit or is a stop of a walk.
func offlinePagePaths(cat *catalog, walks []gazetteer.Walk) []string {
	ps := []string{"/", "/walks", "/browse", "/search", "/map", "/about", "/offline"}
	for _, c := range cat.Heritage {
		ps = append(ps, "/browse/heritage/"+url.PathEscape(c.Key))
	}
	stops := map[int64]bool{}
	for _, w := range walks {
		ps = append(ps, "/walk/"+url.PathEscape(w.ID))
		for _, st := range w.Stops {
			stops[st.Place] = true
		}
	}
	for _, e := range cat.Entries {
		if !adminClasses[e.Class] || stops[e.ID] {
			ps = append(ps, e.Path)
		}
	}
	return dedupe(ps)
}

// precacheFile is one entry of /precache.json.
type precacheFile struct {
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	// Shell marks what the worker saves at install (shellFile); the rest
	// only when the visitor asks to save the site for offline use.
	Shell bool `json:"shell,omitempty"`
}

// Precache is /precache.json: what the service worker saves for offline
// use — the shell (Shell files, ShellBytes) at install, all Files (Bytes)
// when the visitor asks. Version is a hash of every entry's URL and content
// hash, so a build that changes any of them makes a new worker with a new
// cache.
type Precache struct {
	Version    string         `json:"version"`
	Bytes      int64          `json:"bytes"`
	ShellBytes int64          `json:"shell_bytes"`
	Files      []precacheFile `json:"files"`
}

// shellFile reports whether the service worker saves the file at site URL u
// at install: the offline pages, the site's styles and public scripts, the
// manifest and the icons — what the offline page needs, a few tens of KB.
func shellFile(u string) bool {
	switch {
	case u == "/offline/" || u == "/en/offline/":
		return true
	case !strings.HasPrefix(u, "/static/"):
		return false
	}
	name := strings.TrimPrefix(u, "/static/")
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	return strings.HasPrefix(name, "css/") || strings.HasPrefix(name, "js/") || strings.HasPrefix(name, "img/") || name == "manifest.webmanifest"
}

// writeOffline writes /precache.json and /sw.js of a static build into
// dir: pages (offlinePagePaths) in both languages, the walks' GeoJSON, the
// map styles and tiles, the search index and the static files pages use.
// written maps each file already written (site path, unescaped) to its
// SHA-256 and size.
func writeOffline(dir string, pages, walkIDs []string, written map[string]precacheFile, write func(string, []byte) error) (*Precache, error) {
	pc := &Precache{}
	add := func(u, file string) error {
		f, ok := written[file]
		if !ok {
			return fmt.Errorf("precache: %s was not written by the build", file)
		}
		f.URL = u
		pc.Files = append(pc.Files, f)
		return nil
	}
	for _, p := range pages {
		for _, lang := range []string{langZH, langEN} {
			lp := langPath(lang, p)
			u := strings.TrimSuffix(lp, "/") + "/"
			file, _ := url.PathUnescape(lp)
			if err := add(u, path.Join(file, "index.html")); err != nil {
				return nil, err
			}
		}
	}
	for _, id := range walkIDs {
		if err := add("/walk/"+url.PathEscape(id)+".geojson", "/walk/"+id+".geojson"); err != nil {
			return nil, err
		}
	}
	for _, name := range mapStyleNames {
		if err := add("/styles/"+name+".json", "/styles/"+name+".json"); err != nil {
			return nil, err
		}
	}
	for _, f := range []string{"/tiles.json", searchIndexPath} {
		if err := add(f, f); err != nil {
			return nil, err
		}
	}
	// The archive is written straight to disk, not through write.
	tiles, err := os.ReadFile(filepath.Join(dir, "tiles.pmtiles"))
	if err != nil {
		return nil, err
	}
	written["/tiles.pmtiles"] = hashed(tiles)
	if err := add("/tiles.pmtiles", "/tiles.pmtiles"); err != nil {
		return nil, err
	}
	var assets []string
	for name := range assetVersions {
		if shellAsset(name) {
			assets = append(assets, name)
		}
	}
	sort.Strings(assets)
	for _, name := range assets {
		if err := add("/static/"+name+"?v="+assetVersion(name), "/static/"+name); err != nil {
			return nil, err
		}
	}
	sum := sha256.New()
	for i, f := range pc.Files {
		pc.Bytes += f.Bytes
		if shellFile(f.URL) {
			pc.Files[i].Shell = true
			pc.ShellBytes += f.Bytes
		}
		fmt.Fprintf(sum, "%s %s\n", f.URL, f.SHA256)
	}
	pc.Version = hex.EncodeToString(sum.Sum(nil))[:16]
	b, err := json.Marshal(pc)
	if err != nil {
		return nil, err
	}
	if err := write("/precache.json", b); err != nil {
		return nil, err
	}
	sw := fmt.Sprintf("var PRECACHE_VERSION = %q;\n%s", pc.Version, swSource)
	return pc, write("/sw.js", []byte(sw))
}

// shellAsset reports whether the embedded static file name is one public
// pages use: not a licence, a note about the vendored code, or the drawing
// library of the officers' position editor.
func shellAsset(name string) bool {
	base := path.Base(name)
	return !strings.HasSuffix(base, ".md") && !strings.HasPrefix(base, "LICENSE") && !strings.HasPrefix(base, "terra-draw")
}

func hashed(b []byte) precacheFile {
	sum := sha256.Sum256(b)
	return precacheFile{SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(b))}
}
