package ogc

import (
	"net/http"
	"strings"

	"wumen/gazetteer/formats"
	"wumen/geo"
)

// openAPIDoc is the OpenAPI 3.0 definition of the service (OGC 17-069r4
// §7.3 and Annex B's building blocks, written out).
func openAPIDoc(base string) map[string]any {
	param := func(name, in, desc string, schema map[string]any, required bool) map[string]any {
		return map[string]any{"name": name, "in": in, "description": desc, "required": required, "schema": schema}
	}
	str := map[string]any{"type": "string"}
	f := param("f", "query", "encoding: json or html (else the Accept header decides)", map[string]any{"type": "string", "enum": []string{"json", "html"}}, false)
	cid := param("collectionId", "path", "collection id", str, true)
	fid := param("featureId", "path", "feature id (place id, or walk id in walks)", str, true)
	limit := param("limit", "query", "items per page", map[string]any{"type": "integer", "minimum": 1, "maximum": MaxLimit, "default": DefaultLimit}, false)
	limit["style"], limit["explode"] = "form", false
	offset := param("offset", "query", "items to skip", map[string]any{"type": "integer", "minimum": 0, "default": 0}, false)
	bbox := param("bbox", "query", "minLon,minLat,maxLon,maxLat (CRS84)", map[string]any{"type": "array", "minItems": 4, "maxItems": 6, "items": map[string]any{"type": "number"}}, false)
	bbox["style"], bbox["explode"] = "form", false
	crsEnum := map[string]any{"type": "string", "format": "uri", "enum": crsURIs(), "default": CRS84}
	crs := param("crs", "query", "CRS of the response's coordinates (OGC 18-058r1); EPSG:4326 and EPSG:4490 are latitude first, CRS84 and GCJ-02 ("+geo.GCJ02URI+") longitude first", crsEnum, false)
	bboxCRS := param("bbox-crs", "query", "CRS of bbox, in its axis order", crsEnum, false)
	filterCRS := param("filter-crs", "query", "CRS of the filter's POINT and BBOX literals", crsEnum, false)
	filter := param("filter", "query", "CQL2 text (OGC 21-065r2) on the collection's queryables: =, <>, <, >, <=, >=, LIKE, IN, BETWEEN, IS NULL, AND, OR, NOT, S_INTERSECTS(geometry, BBOX(…) or POINT(…)); e.g. category = '交通运输设施' AND admin = '320508'", str, false)
	filterLang := param("filter-lang", "query", "filter language", map[string]any{"type": "string", "enum": []string{FilterLang}, "default": FilterLang}, false)
	sortby := param("sortby", "query", "comma-separated queryables to sort by, - before one for descending (e.g. -rank,name)", str, false)
	dt := param("datetime", "query", "instant or interval (a/b, ../b, a/..): places with a name in use then (approximate dates and dynasties such as 明 accepted)", str, false)
	props := []any{
		param("name", "query", "a name of the place (any kind) or its pinyin", str, false),
		param("category", "query", "大类 or 子类", str, false),
		param("status", "query", "current, historical or cancelled", map[string]any{"type": "string", "enum": []string{"current", "historical", "cancelled"}}, false),
		param("admin", "query", "statistical-code prefix of an administrative parent", str, false),
	}
	ok := func(desc string, types ...string) map[string]any {
		content := map[string]any{}
		for _, t := range types {
			content[t] = map[string]any{"schema": map[string]any{"type": "object"}}
		}
		return map[string]any{"200": map[string]any{"description": desc, "content": content},
			"400": map[string]any{"description": "invalid parameter"}, "404": map[string]any{"description": "not found"}}
	}
	get := func(id, summary string, params []any, resp map[string]any) map[string]any {
		op := map[string]any{"operationId": id, "summary": summary, "responses": resp}
		if len(params) > 0 { // OpenAPI 3.0 §4.7.10: parameters is a list, never null
			op["parameters"] = params
		}
		return map[string]any{"get": op}
	}
	itemsParams := append([]any{cid, f, limit, offset, bbox, bboxCRS, dt, crs, filter, filterLang, filterCRS, sortby}, props...)
	exportParams := []any{
		param("format", "query", "export format", map[string]any{"type": "string", "enum": formats.Exports()}, true),
		param("crs", "query", "output CRS", map[string]any{"type": "string", "enum": []string{"wgs84", "cgcs2000", "gcj02", "bd09"}}, false),
		param("bom", "query", "CSV: UTF-8 byte-order mark for Excel (1)", str, false),
		param("category", "query", "大类 or 子类", str, false), param("admin", "query", "statistical-code prefix", str, false),
		param("heritage", "query", "heritage list or level, * for any", str, false), param("status", "query", "status", str, false),
		bbox, param("since", "query", "changed since (YYYY-MM-DD or RFC 3339)", str, false),
		param("ids", "query", "comma-separated place ids", str, false), param("missing_geometry", "query", "1: only places awaiting a position", str, false),
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Wumen 吴门 OGC API – Features", "version": "1.0.0",
			"description": "Suzhou place names (地名) as OGC API – Features, and bulk exports (" + strings.Join(formats.Exports(), ", ") + ").",
			"license":     map[string]any{"name": "ODbL 1.0 / CC BY 4.0 (see attribution)", "url": "https://opendatacommons.org/licenses/odbl/1-0/"}},
		"servers": []any{map[string]any{"url": base}},
		"paths": map[string]any{
			"/ogc":                                  get("getLandingPage", "landing page", []any{f}, ok("landing page", TypeJSON, "text/html")),
			"/ogc/conformance":                      get("getConformance", "conformance classes", []any{f}, ok("conformance", TypeJSON, "text/html")),
			"/ogc/api":                              get("getAPI", "this definition", nil, ok("OpenAPI 3.0", TypeOpenAPI)),
			"/ogc/collections":                      get("getCollections", "feature collections", []any{f}, ok("collections", TypeJSON, "text/html")),
			"/ogc/collections/{collectionId}":       get("describeCollection", "one collection", []any{cid, f}, ok("collection", TypeJSON, "text/html")),
			"/ogc/collections/{collectionId}/items": get("getFeatures", "features of a collection", itemsParams, ok("features", TypeGeoJSON, "text/html")),
			"/ogc/collections/{collectionId}/items/{featureId}": get("getFeature", "one feature", []any{cid, fid, f, crs}, ok("feature", TypeGeoJSON, "text/html")),
			"/ogc/collections/{collectionId}/queryables":        get("getQueryables", "the properties a filter or sortby may name (JSON Schema)", []any{cid, f}, ok("queryables", TypeSchema, "text/html")),
			"/api/v1/export": get("export", "bulk export with filters", exportParams, ok("export file", exportMediaTypes()...)),
		},
	}
}

func (s *service) openAPI(w http.ResponseWriter, r *http.Request) {
	html, err := wantHTML(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := openAPIDoc(s.base(r))
	if html {
		s.respond(w, r, true, TypeOpenAPI, "Wumen OGC API – Features: API definition", map[string]any{
			"description": "The OpenAPI 3.0 definition of this service.",
			"links":       selfLinks(s.base(r), "/ogc/api", r.URL.Query(), true, TypeOpenAPI)})
		return
	}
	writeJSON(w, http.StatusOK, TypeOpenAPI, doc)
}

// exportMediaTypes are the media types of the export formats (the format
// registry's).
func exportMediaTypes() []string {
	var out []string
	for _, name := range formats.Exports() {
		f, _ := formats.Get(name)
		mt, _, _ := strings.Cut(f.MediaType, ";")
		out = append(out, mt)
	}
	return out
}
