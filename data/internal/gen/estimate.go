package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"wumen/gazetteer"
)

// An estimate is the point of a nearby OSM object (the anchor) standing for
// a place no source positions. Its accuracy is computed, never typed
// (data/README.md, "Coordinates"): the radius around the point that holds
//
//   - the anchor's own error plus the reach — how far the place can lie
//     from the anchor by what the estimate says of them ("a lane off 平江路",
//     "beside the bridge"), the metres after the colon of the estimate
//     column, for the part of the place no held position shows; and
//   - every held position known to lie in or on the place (src/evidence.tsv:
//     the city gates of the walled city, the museum on the lane), each with
//     its own error,
//
// rounded up to 100 m, and never under minEstimateM.

// minEstimateM is the floor of an estimate's accuracy: a point taken from
// another object is never claimed closer than this.
const minEstimateM = 300

// Positional error of held points (the README's rules): an OSM node, the
// representative point of an OSM way or relation, a GeoNames point.
const (
	osmNodeM  = 30
	osmWayM   = 100
	geonamesM = 1000
)

// heldPoint is a position from a held source, with its error.
type heldPoint struct {
	ref, name string
	pt        orb.Point
	errM      float64
}

func (g *generator) held(ref string) (heldPoint, error) {
	if id, ok := strings.CutPrefix(ref, "geonames:"); ok {
		n, err := strconv.ParseInt(id, 10, 64)
		gf, found := g.geo[n]
		if err != nil || !found {
			return heldPoint{}, fmt.Errorf("GeoNames id %s not in the file", id)
		}
		return heldPoint{ref, gf.Name, orb.Point{gf.Lon, gf.Lat}, geonamesM}, nil
	}
	o, ok := g.osm[ref]
	if !ok {
		return heldPoint{}, fmt.Errorf("OSM id %s not in osm_heritage_places.csv", ref)
	}
	e := float64(osmWayM)
	if strings.HasPrefix(ref, "node/") {
		e = osmNodeM
	}
	return heldPoint{ref, o.Name, orb.Point{o.Lon, o.Lat}, e}, nil
}

// estimate positions p from the estimate column ("way/123:500": the anchor
// and the reach in metres) and the place's evidence.
func (g *generator) estimate(p *gazetteer.Place, col, coordNote string) error {
	ref, reachS, _ := strings.Cut(col, ":")
	anchor, err := g.held(ref)
	if err != nil {
		return fmt.Errorf("%s: estimate: %v", p.Name, err)
	}
	reach, err := strconv.ParseFloat(reachS, 64)
	if err != nil || reach < 0 {
		return fmt.Errorf("%s: estimate reach %q must be metres (0 or more)", p.Name, reachS)
	}
	need := anchor.errM + reach
	why := fmt.Sprintf("the anchor's own %.0f m and a reach of %.0f m", anchor.errM, reach)
	ev := g.evidence[p.ID]
	if ev.name != "" && ev.name != p.Name {
		return fmt.Errorf("evidence.tsv: id %d is %s, not %s", p.ID, p.Name, ev.name)
	}
	for _, r := range ev.refs {
		h, err := g.held(r)
		if err != nil {
			return fmt.Errorf("%s: evidence: %v", p.Name, err)
		}
		if d := geo.DistanceHaversine(anchor.pt, h.pt) + h.errM; d > need {
			need, why = d, fmt.Sprintf("%s (%s), %.0f m away, and its own %.0f m", h.name, h.ref, d-h.errM, h.errM)
		}
	}
	acc := math.Max(minEstimateM, math.Ceil(need/100)*100)
	p.Geometry = anchor.pt
	note := fmt.Sprintf("estimated from OSM %s (%s)", anchor.ref, anchor.name)
	if coordNote != "" {
		note += "; " + coordNote
	}
	note += fmt.Sprintf("; accuracy from the evidence: %s", why)
	p.Coord = &gazetteer.Coord{Method: "estimated", AccuracyM: acc, Source: "osm", Note: note}
	p.License = "ODbL-1.0"
	addSource(p, "osm")
	delete(g.evidence, p.ID)
	return nil
}

// evidenceRow is a row of src/evidence.tsv.
type evidenceRow struct {
	name string
	refs []string
}

// loadEvidence reads src/evidence.tsv: id, name, evidence (held OSM ids or
// geonames:ID, | separated), note.
func loadEvidence(path string) (map[int64]evidenceRow, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	out := map[int64]evidenceRow{}
	for _, r := range rows {
		id, err := strconv.ParseInt(r["id"], 10, 64)
		if err != nil || r["evidence"] == "" || r["note"] == "" {
			return nil, fmt.Errorf("%s: row %q wants an id, evidence and a note", path, r["id"])
		}
		out[id] = evidenceRow{r["name"], strings.Split(r["evidence"], "|")}
	}
	return out, nil
}
