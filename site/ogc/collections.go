package ogc

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

//go:embed collections.tsv
var collectionsTSV string

type classID struct{ id, title string }

// classIDs maps a 大类 to its collection id and English title.
var classIDs = func() map[string]classID {
	m := map[string]classID{}
	for i, line := range strings.Split(collectionsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic(fmt.Sprintf("collections.tsv:%d: want class, id, title", i+1))
		}
		m[f[0]] = classID{f[1], f[2]}
	}
	return m
}()

// Collection ids that are not a 大类.
const (
	AllPlaces = "places"
	Walks     = "walks"
)

// coll is one feature collection.
type coll struct {
	ID, Title, Description string
	Class                  string // 大类 selected; "" for all places and walks
	Count                  int
	Bound                  *orb.Bound
}

// collectionList returns "places", one collection per 大类 present (in
// census order) and "walks" when there are any.
func (s *service) collectionList(ctx context.Context) ([]coll, error) {
	extents, err := s.store.Extents(ctx)
	if err != nil {
		return nil, err
	}
	byClass := map[string]coll{}
	all := coll{ID: AllPlaces, Title: "地名 Places", Description: "Every place name of the gazetteer (standard names; historical and cancelled names included, see status)."}
	for _, e := range extents {
		c := coll{Class: e.Class, Count: e.Count, Bound: e.Bound}
		all.Count += c.Count
		if b := e.Bound; b != nil {
			if all.Bound == nil {
				all.Bound = b
			} else {
				u := all.Bound.Union(*b)
				all.Bound = &u
			}
		}
		byClass[c.Class] = c
	}
	out := []coll{all}
	add := func(class string) {
		c, ok := byClass[class]
		if !ok {
			return
		}
		delete(byClass, class)
		id, ok := classIDs[class]
		if !ok {
			id = classID{"class_" + fmt.Sprint(len(out)), class}
		}
		c.ID, c.Title = id.id, class+" "+id.title
		c.Description = "Places of the census class (大类) " + class + "."
		out = append(out, c)
	}
	for _, k := range s.store.Categories().Classes {
		add(k.Class)
	}
	for _, k := range gazetteer.CensusClasses {
		add(k)
	}
	walks, err := s.store.Walks(ctx)
	if err != nil {
		return nil, err
	}
	if len(walks) > 0 {
		w := coll{ID: Walks, Title: "路线 Walks", Description: "Walks through place names as lines joining their stops.", Count: len(walks)}
		for i := range walks {
			line, _, err := s.store.Route(ctx, &walks[i])
			if err != nil {
				return nil, err
			}
			if len(line) == 0 {
				continue
			}
			b := line.Bound()
			if w.Bound != nil {
				b = w.Bound.Union(b)
			}
			w.Bound = &b
		}
		out = append(out, w)
	}
	return out, nil
}

func (s *service) findCollection(ctx context.Context, id string) (*coll, error) {
	cs, err := s.collectionList(ctx)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].ID == id {
			return &cs[i], nil
		}
	}
	return nil, gazetteer.Errorf(gazetteer.ENotFound, "no collection %q", id)
}

// collectionJSON is a collection object (OGC 17-069r4 §7.14).
func (s *service) collectionJSON(base string, c *coll) map[string]any {
	items := base + "/ogc/collections/" + c.ID + "/items"
	m := map[string]any{
		"id": c.ID, "title": c.Title, "description": c.Description, "itemType": "feature",
		// OGC 18-058r1 §6.2: the CRSs items may be asked for, and the one
		// they are stored in (/req/crs/fc-md-crs-list, fc-md-storageCrs).
		"crs": crsURIs(), "storageCrs": CRS84,
		"links": []Link{
			{Href: base + "/ogc/collections/" + c.ID + "?f=json", Rel: "self", Type: TypeJSON, Title: "this collection"},
			{Href: base + "/ogc/collections/" + c.ID + "?f=html", Rel: "alternate", Type: "text/html", Title: "this collection as HTML"},
			{Href: items + "?f=json", Rel: "items", Type: TypeGeoJSON, Title: c.Title + " (GeoJSON)"},
			{Href: items + "?f=html", Rel: "items", Type: "text/html", Title: c.Title + " (HTML)"},
			{Href: base + "/ogc/collections/" + c.ID + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: TypeSchema, Title: "the properties a filter or sortby may name"},
			{Href: "https://opendatacommons.org/licenses/odbl/1-0/", Rel: "license", Type: "text/html", Title: "ODbL 1.0 (OpenStreetMap-derived records); CC BY 4.0 (GeoNames-derived)"},
		},
		"attribution": gazetteer.Attribution,
	}
	if c.Bound != nil {
		b := c.Bound
		m["extent"] = map[string]any{"spatial": map[string]any{"bbox": [][]float64{{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}, "crs": CRS84}}
	}
	return m
}

func (s *service) landing(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := s.base(r)
	links := append(selfLinks(base, "/ogc", r.URL.Query(), html, TypeJSON),
		Link{Href: base + "/ogc/api", Rel: "service-desc", Type: TypeOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
		Link{Href: base + "/ogc/api?f=html", Rel: "service-doc", Type: "text/html", Title: "the API documentation"},
		Link{Href: base + "/ogc/conformance", Rel: "conformance", Type: TypeJSON, Title: "conformance classes"},
		Link{Href: base + "/ogc/conformance", Rel: "http://www.opengis.net/def/rel/ogc/1.0/conformance", Type: TypeJSON, Title: "conformance classes"},
		Link{Href: base + "/ogc/collections", Rel: "data", Type: TypeJSON, Title: "the feature collections"},
		Link{Href: base + "/ogc/collections", Rel: "http://www.opengis.net/def/rel/ogc/1.0/data", Type: TypeJSON, Title: "the feature collections"},
	)
	doc := map[string]any{
		"title":       "Wumen 吴门 — Suzhou place names (OGC API – Features)",
		"description": "The Wumen gazetteer of Suzhou place names (地名) as OGC API – Features. " + gazetteer.Attribution,
		"links":       links,
	}
	s.respond(w, r, html, TypeJSON, "Wumen 吴门 OGC API – Features", doc)
}

func (s *service) conformance(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.respond(w, r, html, TypeJSON, "Conformance", map[string]any{"conformsTo": Conformance,
		"links": selfLinks(s.base(r), "/ogc/conformance", r.URL.Query(), html, TypeJSON)})
}

func (s *service) collections(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs, err := s.collectionList(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := s.base(r)
	var list []map[string]any
	for i := range cs {
		list = append(list, s.collectionJSON(base, &cs[i]))
	}
	s.respond(w, r, html, TypeJSON, "Collections", map[string]any{"collections": list,
		"links": selfLinks(base, "/ogc/collections", r.URL.Query(), html, TypeJSON)})
}

func (s *service) collection(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.findCollection(r.Context(), r.PathValue("cid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.respond(w, r, html, TypeJSON, c.Title, s.collectionJSON(s.base(r), c))
}
