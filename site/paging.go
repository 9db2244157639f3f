package site

import (
	"net/http"
	"strconv"
	"strings"

	"wumen/site/ogc"
)

// pageCost is what a request that continues a client's previous page of
// OGC items costs, in tokens. A standard client (GDAL's OAPIF driver asks
// for 10 items a page and follows the next link) reads a whole collection
// as one request plus a few tokens, while a flood of fresh queries still
// pays a whole token each: the budget counts work, not pages.
const pageCost = 0.02

// bulkBurstFactor multiplies Config.Burst for the bulk paths (the OGC
// service and /api/v1/export): a GIS client opening the service asks for
// the collections and the first page of each before it reads any of them.
const bulkBurstFactor = 5

// pageKey names one page of an items query (this) and the page after it
// (next), as the limiter compares them.
type pageKey struct{ this, next string }

// limiterFor returns the bucket a path is charged to: the bulk one for the
// OGC service and exports, the general one for the API and search pages,
// none for pages and tiles (cached and cheap).
func (s *Server) limiterFor(path string) *limiter {
	switch {
	case path == "/ogc" || strings.HasPrefix(path, "/ogc/") || path == "/api/v1/export":
		return s.bulk
	case limited(path):
		return s.limiter
	}
	return nil
}

// itemsPage returns the page key of an OGC items request
// (/ogc/collections/{id}/items, OGC 17-069r4 §7.15), nil for any other
// request. The query is normalised as the service's next links write it:
// limit clamped to the maximum, f=json implied.
func itemsPage(r *http.Request) *pageKey {
	rest, ok := strings.CutPrefix(r.URL.Path, "/ogc/collections/")
	if !ok || !strings.HasSuffix(rest, "/items") || strings.Count(rest, "/") != 1 {
		return nil
	}
	q := r.URL.Query()
	limit, offset := ogc.DefaultLimit, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil
		}
		limit = min(n, ogc.MaxLimit)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil
		}
		offset = n
	}
	if f := q.Get("f"); f == "json" || f == "geojson" {
		q.Del("f")
	}
	q.Del("offset")
	q.Set("limit", strconv.Itoa(limit))
	base := r.URL.Path + "?" + q.Encode() + "#"
	return &pageKey{this: base + strconv.Itoa(offset), next: base + strconv.Itoa(offset+limit)}
}
