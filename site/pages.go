package site

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
	"wumen/geo"
	"wumen/search"
)

// pageFunc renders one page; p arrives with its language and path set.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *page)

// page registers a page at pattern and at its English twin under /en.
func (s *Server) page(pattern string, fn pageFunc) {
	for _, lang := range []string{langZH, langEN} {
		pat := pattern
		if lang == langEN {
			pat = "/en" + pattern
		}
		s.mux.HandleFunc("GET "+pat, func(w http.ResponseWriter, r *http.Request) {
			p := &page{Lang: lang, s: s, r: r, OGType: "website", now: time.Now()}
			p.Path = r.URL.Path
			if lang == langEN {
				p.Path = strings.TrimPrefix(p.Path, "/en")
				if p.Path == "" {
					p.Path = "/"
				}
			}
			fn(w, r, p)
		})
	}
}

// notFound renders the 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title, p.NoIndex = p.T("notfound.title"), true
	s.render(w, r, http.StatusNotFound, "notfound", p)
}

func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request, p *page) { s.notFound(w, r, p) }

// pageError renders a store error as a page: 404 for a missing record, 500
// (logged) for anything else.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, p *page, err error) {
	if gazetteer.ErrorCode(err) == gazetteer.ENotFound {
		s.notFound(w, r, p)
		return
	}
	if overBudget(r) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, budgetMessage, http.StatusServiceUnavailable)
		return
	}
	s.log.Error("page", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p *page) {
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	walks, err := s.store.Walks(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	p.Title, p.Description = p.T("home.title"), p.T("home.lead")
	p.Data = map[string]any{"Walks": walks, "Catalog": cat}
	s.render(w, r, http.StatusOK, "home", p)
}

// Slug is the URL-safe, toneless form of a pinyin spelling:
// "Shāntáng Jiē" → "shantang-jie". It never affects lookup (the id does).
func Slug(pinyin string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(pinyin) {
		if base, ok := toneless[r]; ok {
			r = base
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "place"
	}
	return b.String()
}

var toneless = map[rune]rune{}

func init() {
	for base, marked := range map[rune]string{'a': "āáǎà", 'e': "ēéěè", 'i': "īíǐì", 'o': "ōóǒò", 'u': "ūúǔù", 'v': "ǖǘǚǜü"} {
		for _, r := range marked {
			toneless[r] = base
			if base == 'v' {
				toneless[r] = 'u'
			}
		}
	}
}

// placePath is the stable address of a place page.
func placePath(p *gazetteer.Place) string {
	return "/place/" + strconv.FormatInt(p.ID, 10) + "/" + Slug(p.Pinyin)
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// placeRedirect sends /place/{id} to the place's page and serves
// /place/{id}.geojson.
func (s *Server) placeRedirect(w http.ResponseWriter, r *http.Request, p *page) {
	raw := r.PathValue("id")
	if idText, ok := strings.CutSuffix(raw, ".geojson"); ok && p.Lang == langZH {
		s.placeGeoJSON(w, r, idText)
		return
	}
	id, ok := parseID(raw)
	if !ok {
		s.notFound(w, r, p)
		return
	}
	pl, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	target := p.URL(placePath(pl))
	if s.cfg.static { // a static host cannot redirect: a page that points on
		p.Title, p.NoIndex, p.Path = pl.Name, true, placePath(pl)
		p.Data = target
		s.render(w, r, http.StatusOK, "redirect", p)
		return
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

func (s *Server) placeGeoJSON(w http.ResponseWriter, r *http.Request, idText string) {
	id, ok := parseID(idText)
	if !ok {
		s.writeError(w, r, gazetteer.Errorf(gazetteer.ENotFound, "no such place"))
		return
	}
	pl, err := s.store.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.placeFeature(pl)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f.Properties["attribution"] = gazetteer.Attribution
	b, err := marshalJSON(f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="wumen-%d.geojson"`, id))
	serveBytes(w, r, "application/geo+json", "public, max-age=300", b)
}

// crumb is one step of the administrative breadcrumb.
type crumb struct {
	Code, Name string
}

// nearbyPlace is a place near another, with its distance.
type nearbyPlace struct {
	P     *gazetteer.Place
	Path  string
	DistM float64
}

// placeView is what the place page shows.
type placeView struct {
	P        *gazetteer.Place
	Names    []gazetteer.Name
	Crumbs   []crumb
	Nearby   []nearbyPlace
	Point    *orb.Point
	GCJ      orb.Point
	Accuracy string
	Walks    []gazetteer.Walk
	Cite     string
	GeoJSON  string
}

func (s *Server) placePage(w http.ResponseWriter, r *http.Request, p *page) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.notFound(w, r, p)
		return
	}
	ctx := r.Context()
	pl, err := s.store.Get(ctx, id)
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	if want := placePath(pl); p.Path != want { // an old or mistyped slug
		if s.cfg.static {
			s.notFound(w, r, p)
			return
		}
		http.Redirect(w, r, p.URL(want), http.StatusMovedPermanently)
		return
	}
	if !s.cfg.static { // a visitor's look, so officers position first what is looked for
		s.store.Viewed(pl.ID)
	}
	v := &placeView{P: pl, Names: gazetteer.AllNames(pl), Crumbs: s.crumbs(pl), GeoJSON: fmt.Sprintf("/place/%d.geojson", pl.ID)}
	if pl.Label != nil {
		pt := *pl.Label
		v.Point = &pt
		v.GCJ = geo.WGS84ToGCJ02(pt)
		if v.Nearby, err = s.nearby(ctx, pl, 8); err != nil {
			s.pageError(w, r, p, err)
			return
		}
	}
	if pl.Coord != nil && pl.Coord.AccuracyM > 0 {
		v.Accuracy = formatMetres(pl.Coord.AccuracyM)
	}
	walks, err := s.store.Walks(ctx)
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	for _, wk := range walks {
		for _, st := range wk.Stops {
			if st.Place == pl.ID {
				v.Walks = append(v.Walks, wk)
				break
			}
		}
	}
	revised := ""
	if len(pl.Updated) >= 10 {
		revised = pl.Updated[:10]
	}
	url := p.AbsURL(langPath(langZH, placePath(pl)))
	if p.EN() {
		v.Cite = fmt.Sprintf("“%s (%s)”. Wumen gazetteer of Suzhou place names, entry %d, revised %s. %s", pl.Name, pl.Pinyin, pl.ID, revised, url)
	} else {
		v.Cite = fmt.Sprintf("“%s”（%s）. 吴门地名录，条目 %d，修订于 %s. %s", pl.Name, pl.Pinyin, pl.ID, revised, url)
	}
	p.Title = pl.Name
	if pl.Pinyin != "" {
		p.Title += " " + pl.Pinyin
	}
	if en := p.EnName(pl); en != "" {
		p.Title = en + " · " + p.Title // the English name first on English pages
	}
	p.Description = describe(p, pl, v.Crumbs)
	p.OGType = "article"
	p.HasMap = v.Point != nil
	p.Data = v
	s.render(w, r, http.StatusOK, "place", p)
}

// describe is a place page's meta description: name, category, where, and
// the start of its meaning.
func describe(p *page, pl *gazetteer.Place, crumbs []crumb) string {
	parts := []string{pl.Name}
	if pl.Pinyin != "" {
		parts[0] += " (" + pl.Pinyin + ")"
	}
	if c := pl.Category.Subclass; c != "" {
		parts = append(parts, p.Class(c))
	} else if pl.Category.Class != "" {
		parts = append(parts, p.Class(pl.Category.Class))
	}
	for i := len(crumbs) - 1; i >= 0 && i >= len(crumbs)-2; i-- {
		parts = append(parts, crumbs[i].Name)
	}
	if p.EN() {
		// An English description leads with the English name, or else the
		// GB/T 30240 description, and leaves out the Chinese-only meaning.
		lead := englishName(pl)
		if lead == "" {
			lead = english.Default().Describe(pl)
		}
		if lead != "" {
			parts = append([]string{lead}, parts...)
		}
		return strings.Join(parts, " · ")
	}
	d := strings.Join(parts, " · ")
	if pl.Meaning != nil && pl.Meaning.Text != "" {
		m := []rune(pl.Meaning.Text)
		if len(m) > 80 {
			m = append(m[:80], '…')
		}
		d += "。" + string(m)
	}
	return d
}

func formatMetres(m float64) string {
	if m >= 1000 {
		return "±" + strconv.FormatFloat(m/1000, 'f', -1, 64) + " km"
	}
	return "±" + strconv.FormatFloat(math.Round(m), 'f', -1, 64) + " m"
}

// crumbs is the administrative path of a place, broadest first
// (市 › 区 › 街道/镇 › 村/社区), by the names of its parents' codes.
func (s *Server) crumbs(pl *gazetteer.Place) []crumb {
	var out []crumb
	seen := map[string]bool{}
	for _, c := range pl.Admin {
		if n, ok := s.adminNames()[c]; ok && !seen[c] && c != pl.Code {
			out = append(out, crumb{Code: c, Name: n})
			seen[c] = true
		}
	}
	return out
}

// nearby returns up to n places closest to pl within about 2 km.
func (s *Server) nearby(ctx context.Context, pl *gazetteer.Place, n int) ([]nearbyPlace, error) {
	c := *pl.Label
	b := orb.Bound{Min: orb.Point{c[0] - 0.02, c[1] - 0.02}, Max: orb.Point{c[0] + 0.02, c[1] + 0.02}}
	var out []nearbyPlace
	err := s.store.Each(ctx, gazetteer.Filter{BBox: &b}, func(q *gazetteer.Place) error {
		if q.ID == pl.ID || q.Label == nil || q.Level != "" {
			return nil
		}
		d := orbgeo.Distance(c, *q.Label)
		if d <= 2000 {
			out = append(out, nearbyPlace{P: q, Path: placePath(q), DistM: math.Round(d)})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].DistM != out[j].DistM {
			return out[i].DistM < out[j].DistM
		}
		return out[i].P.ID < out[j].P.ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, err
}

func (s *Server) mapPage(w http.ResponseWriter, r *http.Request, p *page) {
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	p.Title, p.Description, p.HasMap = p.T("map.title"), p.T("map.lead"), true
	p.Data = map[string]any{"Catalog": cat, "Palette": palette}
	s.render(w, r, http.StatusOK, "map", p)
}

func (s *Server) walksPage(w http.ResponseWriter, r *http.Request, p *page) {
	walks, err := s.store.Walks(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	p.Title, p.Description = p.T("walks.title"), p.T("walks.lead")
	p.Data = walks
	s.render(w, r, http.StatusOK, "walks", p)
}

// walkStop is a stop of a walk with its place.
type walkStop struct {
	N    int
	Stop gazetteer.Stop
	P    *gazetteer.Place
	Path string
}

func (s *Server) walkPage(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	if wid, ok := strings.CutSuffix(id, ".geojson"); ok && p.Lang == langZH {
		s.walkGeoJSON(w, r, wid)
		return
	}
	wk, err := s.store.Walk(r.Context(), id)
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	_, places, err := s.store.Route(r.Context(), wk)
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	var stops []walkStop
	for i, st := range wk.Stops {
		stops = append(stops, walkStop{N: i + 1, Stop: st, P: places[i], Path: placePath(places[i])})
	}
	p.Title, p.Description = wk.Title, wk.Summary
	if p.EN() {
		if wk.TitleEn != "" {
			p.Title = wk.TitleEn // the Chinese title stands under it on the page
		}
		if wk.SummaryEn != "" {
			p.Description = wk.SummaryEn
		}
	}
	p.OGType, p.HasMap = "article", true
	p.Data = map[string]any{"Walk": wk, "Stops": stops, "GeoJSON": "/walk/" + url.PathEscape(wk.ID) + ".geojson"}
	s.render(w, r, http.StatusOK, "walk", p)
}

// walkGeoJSON is a walk as a FeatureCollection: the route line and one point
// per stop (numbered, with the place's id and name).
func (s *Server) walkGeoJSON(w http.ResponseWriter, r *http.Request, id string) {
	wk, err := s.store.Walk(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	line, places, err := s.store.Route(r.Context(), wk)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	feats := []map[string]any{}
	if len(line) >= 2 {
		feats = append(feats, map[string]any{"type": "Feature", "properties": map[string]any{"kind": "route", "walk": wk.ID},
			"geometry": map[string]any{"type": "LineString", "coordinates": line}})
	}
	for i, pl := range places {
		if pl.Label == nil {
			continue
		}
		feats = append(feats, map[string]any{"type": "Feature", "id": pl.ID,
			"properties": map[string]any{"kind": "stop", "n": i + 1, "id": pl.ID, "name": pl.Name, "pinyin": pl.Pinyin, "path": placePath(pl)},
			"geometry":   map[string]any{"type": "Point", "coordinates": *pl.Label}})
	}
	b, err := marshalJSON(map[string]any{"type": "FeatureCollection", "features": feats, "attribution": gazetteer.Attribution})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/geo+json", "public, max-age=300", b)
}

func (s *Server) handleWalksAPI(w http.ResponseWriter, r *http.Request) {
	walks, err := s.store.Walks(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if walks == nil {
		walks = []gazetteer.Walk{}
	}
	b, err := marshalJSON(map[string]any{"walks": walks})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveBytes(w, r, "application/json; charset=utf-8", "public, max-age=300", b)
}

func (s *Server) browsePage(w http.ResponseWriter, r *http.Request, p *page) {
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	p.Title, p.Description = p.T("browse.title"), p.T("site.tagline")
	p.Data = cat
	s.render(w, r, http.StatusOK, "browse", p)
}

// listView is a browse list: a heading and its places.
type listView struct {
	Heading string
	Lang    string // of the heading, when it is not the page's: a district's name is Chinese
	Pinyin  string // beside a Chinese heading on an English page
	Kind    string
	Entries []*entry
	Catalog *catalog
}

func (s *Server) listPage(w http.ResponseWriter, r *http.Request, p *page, kind, heading string, match func(*entry) bool) {
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	var es []*entry
	for _, e := range cat.Entries {
		if match(e) {
			es = append(es, e)
		}
	}
	if len(es) == 0 {
		s.notFound(w, r, p)
		return
	}
	p.Title = heading + " · " + p.T("browse.title")
	p.Description = fmt.Sprintf("%s: %d %s", heading, len(es), p.T("browse.count"))
	v := &listView{Heading: heading, Kind: kind, Entries: es, Catalog: cat}
	if kind == "district" && p.EN() {
		v.Lang = "zh-Hans"
		for _, d := range cat.Districts {
			if d.Name == heading {
				v.Pinyin = d.Pinyin
			}
		}
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "list", p)
}

func (s *Server) categoryPage(w http.ResponseWriter, r *http.Request, p *page) {
	c := r.PathValue("class")
	s.listPage(w, r, p, "category", p.Class(c), func(e *entry) bool { return e.Class == c || e.Subclass == c })
}

func (s *Server) districtPage(w http.ResponseWriter, r *http.Request, p *page) {
	code := r.PathValue("code")
	name, ok := s.adminNames()[code]
	if !ok {
		s.notFound(w, r, p)
		return
	}
	s.listPage(w, r, p, "district", name, func(e *entry) bool {
		if e.Code == code {
			return false
		}
		for _, a := range e.Admin {
			if a == code {
				return true
			}
		}
		return false
	})
}

func (s *Server) heritagePage(w http.ResponseWriter, r *http.Request, p *page) {
	list := r.PathValue("list")
	s.listPage(w, r, p, "heritage", p.Heritage(list), func(e *entry) bool {
		for _, h := range e.Heritage {
			if h == list {
				return true
			}
		}
		return false
	})
}

func (s *Server) azPage(w http.ResponseWriter, r *http.Request, p *page) {
	l := strings.ToUpper(r.PathValue("letter"))
	if len(l) != 1 || l[0] < 'A' || l[0] > 'Z' {
		s.notFound(w, r, p)
		return
	}
	s.listPage(w, r, p, "az", l, func(e *entry) bool { return e.Letter == l })
}

func (s *Server) aboutPage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title, p.Description = p.T("about.title"), p.T("about.lead")
	p.Data = s.attribution() // the gazetteer's sources and the basemaps
	s.render(w, r, http.StatusOK, "about", p)
}

// errNoIndex is returned by searches while the index is missing.
var errNoIndex = errors.New("search index not available")

// searchHit is a search result as the search page lists it, the matched
// name split around the matched span so the template can mark it.
type searchHit struct {
	Hit                  search.Hit
	Path                 string
	Label                string
	Before, Match, After string
	MatchedIsStandard    bool
}

// searchView is the search page: the query, its filters and the results.
type searchView struct {
	Q, Category, District, Heritage string
	Searched                        bool
	Unavailable                     bool
	Error                           string
	Total                           uint64
	Hits                            []searchHit
	Catalog                         *catalog
}

// searchPage renders /search: a form that works without JavaScript (GET,
// results rendered here) and that the search script enhances as you type.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p *page) {
	cat, err := s.catalog(r.Context())
	if err != nil {
		s.pageError(w, r, p, err)
		return
	}
	v := r.URL.Query()
	sv := &searchView{Q: v.Get("q"), Category: v.Get("category"), District: v.Get("admin"), Heritage: v.Get("heritage"), Catalog: cat}
	p.Title, p.Description = p.T("search.title"), p.T("search.label")
	if sv.Q != "" || sv.Category != "" || sv.District != "" || sv.Heritage != "" {
		p.NoIndex = true
		sv.Searched = true
		q := url.Values{"text": {sv.Q}, "size": {"50"}, "lang": {p.Lang}}
		for k, val := range map[string]string{"category": sv.Category, "admin": sv.District, "heritage": sv.Heritage} {
			if val != "" {
				q.Set(k, val)
			}
		}
		res, err := s.runSearch(r.Context(), q, false)
		var se *search.Error
		switch {
		case errors.Is(err, errNoIndex):
			sv.Unavailable = true
		case errors.As(err, &se):
			sv.Error = se.Field + ": " + se.Message
		case err != nil:
			s.pageError(w, r, p, err)
			return
		default:
			sv.Total = res.Total
			for _, h := range res.Hits {
				sh := searchHit{Hit: h, Label: search.Label(h.Name, h.Admin, s.adminName)}
				if e := cat.byID[h.ID]; e != nil {
					sh.Path = e.Path
				}
				m := []rune(h.Matched.Text)
				a, b := h.Matched.Span.RuneStart, h.Matched.Span.RuneEnd
				if a >= 0 && b <= len(m) && a < b {
					sh.Before, sh.Match, sh.After = string(m[:a]), string(m[a:b]), string(m[b:])
				} else {
					sh.Before = h.Matched.Text
				}
				sh.MatchedIsStandard = h.Matched.Text == h.Name
				sv.Hits = append(sv.Hits, sh)
			}
		}
	}
	p.Data = sv
	status := http.StatusOK
	if sv.Error != "" {
		status = http.StatusBadRequest // the page explains what was wrong
	}
	s.render(w, r, status, "search", p)
}
