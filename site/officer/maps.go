package officer

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/review"
)

// Map defaults: the site's vendored MapLibre GL JS, its vector tiles and
// its glyph endpoint, all served beside the officer pages by cmd/wumen.
const (
	defaultMapScript = "/static/vendor/maplibre-gl.js"
	defaultMapStyle  = "/static/vendor/maplibre-gl.css"
	defaultMapTiles  = "/tiles/{z}/{x}/{y}.mvt"
	defaultMapGlyphs = "/fonts/{fontstack}/{range}.pbf"
)

// oldCity is the default view of the drawing map: Suzhou's walled old city
// (west, south, east, north in WGS84 degrees), the area inside the moat.
const oldCity = "120.598,31.287,120.642,31.331"

// maxMapPlaces bounds the conflicting places looked up for one map.
const maxMapPlaces = 60

// strictCSP is the policy of pages without a map: no script at all.
const strictCSP = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// mapCSP is the policy of pages with a map: scripts from this origin only
// (MapLibre and the officer's map script, never inline), the blob: workers
// MapLibre parses tiles in, and tiles and glyphs fetched from this origin.
const mapCSP = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src blob:; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// mapPages are the templates that carry a map and so the map's CSP.
var mapPages = map[string]bool{"form": true, "proposal": true, "report": true, "check": true, "position": true}

// mapPlace is a conflicting place of a check report as the map shows it:
// numbered with the findings it appears in.
type mapPlace struct {
	N         string  `json:"n"` // finding numbers, "1" or "1, 3"
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	HasPoint  bool    `json:"-"`
	DistanceM float64 `json:"-"`
}

// mapSettings are the data attributes every officer map reads.
func (h *Handler) mapSettings(data map[string]any) {
	data["Map"] = true
	data["MapScript"] = h.opts.MapScript
	data["MapStyle"] = h.opts.MapStyle
	data["MapTiles"] = h.opts.MapTiles
	data["MapGlyphs"] = h.opts.MapGlyphs
	data["MapBounds"] = oldCity
	layers, _ := json.Marshal(append(append([]string{}, gazetteer.CensusClasses...), "other"))
	data["MapLayers"] = string(layers)
}

// geometryJSON is the GeoJSON text of a proposal's geometry ("" without one).
func geometryJSON(g *geojson.Geometry) string {
	if g == nil {
		return ""
	}
	b, err := json.Marshal(g)
	if err != nil {
		return ""
	}
	return string(b)
}

// mapPlaces lists the conflicting places of a report in the order they are
// first named, each with the numbers of the findings (counted from 1) that
// name it and its label point when the gazetteer has one.
func (h *Handler) mapPlaces(ctx context.Context, rep *review.Report) []mapPlace {
	if rep == nil {
		return nil
	}
	var out []mapPlace
	at := map[int64]int{}
	for i, f := range rep.Findings {
		n := strconv.Itoa(i + 1)
		for _, c := range f.Places {
			if c.ID <= 0 {
				continue
			}
			if j, ok := at[c.ID]; ok {
				if !strings.HasSuffix(", "+out[j].N, ", "+n) {
					out[j].N += ", " + n
				}
				continue
			}
			if len(out) >= maxMapPlaces {
				continue
			}
			mp := mapPlace{N: n, ID: c.ID, Name: c.Name, DistanceM: c.DistanceM}
			if p, err := h.store.Get(ctx, c.ID); err == nil && p.Label != nil {
				mp.Lat, mp.Lon, mp.HasPoint = p.Label.Lat(), p.Label.Lon(), true
			}
			at[c.ID] = len(out)
			out = append(out, mp)
		}
	}
	return out
}

// mapData adds a proposal's map to a page's data: its geometry and the
// located conflicting places of its check report.
func (h *Handler) mapData(r *http.Request, d map[string]any, p *review.Proposal, rep *review.Report) {
	h.mapSettings(d)
	d["MapGeometry"] = geometryJSON(p.Geometry)
	places := h.mapPlaces(r.Context(), rep)
	d["MapList"] = places
	var located []mapPlace
	for _, mp := range places {
		if mp.HasPoint {
			located = append(located, mp)
		}
	}
	b, _ := json.Marshal(located)
	if located == nil {
		b = []byte("[]")
	}
	d["MapPlaces"] = string(b)
}
