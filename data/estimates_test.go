package data

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// tsvRows reads a table of src/ (header row, # comments) as maps.
func tsvRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var head []string
	var out []map[string]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if head == nil {
			head = cells
			continue
		}
		m := map[string]string{}
		for i, c := range cells {
			if i < len(head) {
				m[head[i]] = c
			}
		}
		out = append(out, m)
	}
	return out
}

// heldError is the positional error of a held point: an OSM node 30 m, an
// OSM way's representative point 100 m, a GeoNames point 1,000 m
// (README.md, Coordinates).
func heldError(ref string) float64 {
	switch {
	case strings.HasPrefix(ref, "node/"):
		return 30
	case strings.HasPrefix(ref, "geonames:"):
		return 1000
	}
	return 100
}

// TestEstimateAccuracyIsTrue recomputes every estimate's accuracy from its
// evidence and holds it against the held positions (testdata/held: OSM
// heritage points, ODbL; GeoNames, CC BY 4.0). It covers the true error —
// every held position that lies in or on the place (src/evidence.tsv), the
// place under its own name in OSM, and for a settlement its GeoNames point
// by Chinese name (unless another place is positioned by that point), each
// with its own error, lies within the stated
// accuracy — and it is no looser than needed: one 100 m step above the
// larger of that and the anchor's error plus the reach the estimate column
// states (the 300 m floor aside).
func TestEstimateAccuracyIsTrue(t *testing.T) {
	osm, gn := heldOSM(t), heldGeoNames(t)
	gnZH := map[string][]string{} // Chinese name → geonames:ID
	for gid, h := range gn {
		for _, n := range h.names {
			gnZH[n] = append(gnZH[n], "geonames:"+strconv.FormatInt(gid, 10))
		}
	}
	held := func(ref string) (heldPoint, bool) {
		if id, ok := strings.CutPrefix(ref, "geonames:"); ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			h, ok := gn[n]
			return h, ok
		}
		h, ok := osm[ref]
		return h, ok
	}
	reach := map[int64]float64{}
	for _, file := range []string{"src/heritage.tsv", "src/culture.tsv"} {
		for _, r := range tsvRows(t, file) {
			if r["estimate"] == "" {
				continue
			}
			_, m, _ := strings.Cut(r["estimate"], ":")
			id, _ := strconv.ParseInt(r["id"], 10, 64)
			reach[id], _ = strconv.ParseFloat(m, 64)
		}
	}
	evidence := map[int64][]string{}
	for _, r := range tsvRows(t, "src/evidence.tsv") {
		id, _ := strconv.ParseInt(r["id"], 10, 64)
		evidence[id] = strings.Split(r["evidence"], "|")
	}
	// A GeoNames point another shipped place is positioned by is that
	// place's (苏州市's Suzhou), not a settlement of the same name's.
	owned := map[string]bool{}
	for _, file := range placeFiles {
		for _, m := range lines(t, file) {
			if l, _ := m["links"].(map[string]any); l["geonames"] != nil {
				owned["geonames:"+strconv.FormatFloat(l["geonames"].(float64), 'f', 0, 64)] = true
			}
		}
	}
	byName := map[string][]string{}
	for ref, h := range osm {
		byName[h.names[0]] = append(byName[h.names[0]], ref)
	}
	var accs, ratios []string
	checked := 0
	for _, file := range placeFiles {
		for _, m := range lines(t, file) {
			coord, _ := m["coord"].(map[string]any)
			if coord == nil || coord["method"] != "estimated" {
				continue
			}
			name, _ := m["name"].(string)
			acc, _ := coord["accuracy_m"].(float64)
			c := m["geometry"].(map[string]any)["coordinates"].([]any)
			lon, lat := c[0].(float64), c[1].(float64)
			anchor := estimatedFrom.FindStringSubmatch(coord["note"].(string))[1]
			r, ok := reach[id(m)]
			if !ok {
				t.Errorf("%s (%d): no estimate row in src/", name, id(m))
				continue
			}
			need := heldError(anchor) + r
			// The held positions of the place: its evidence, its own name
			// in OSM, a settlement's GeoNames point.
			refs := append([]string{}, evidence[id(m)]...)
			refs = append(refs, byName[name]...)
			if cat, _ := m["category"].(map[string]any); cat["class"] == "居民点" {
				for _, ref := range gnZH[name] {
					if !owned[ref] {
						refs = append(refs, ref)
					}
				}
			}
			worst := 0.0
			for _, ref := range refs {
				h, ok := held(ref)
				if !ok {
					t.Errorf("%s (%d): evidence %s is not a held position", name, id(m), ref)
					continue
				}
				d := metres(lon, lat, h.lon, h.lat)
				checked++
				if d+heldError(ref) > acc {
					t.Errorf("%s (%d): the held position %s is %.0f m away (±%.0f m), beyond the stated %.0f m", name, id(m), ref, d, heldError(ref), acc)
				}
				need = math.Max(need, d+heldError(ref))
				worst = math.Max(worst, d)
			}
			// Distances differ by the Earth radius used (0.1 %): allow it.
			if limit := math.Max(300, math.Ceil(need*1.002/100)*100); acc > limit {
				t.Errorf("%s (%d): stated %.0f m, looser than the %.0f m its evidence needs", name, id(m), acc, need)
			}
			accs = append(accs, fmt.Sprintf("%05.0f", acc))
			if len(refs) > 0 {
				ratios = append(ratios, fmt.Sprintf("%s %.0f/%.0f m", name, worst, acc))
			}
		}
	}
	sort.Strings(accs)
	hist := map[string]int{}
	for _, a := range accs {
		hist[strings.TrimLeft(a, "0")]++
	}
	t.Logf("%d estimates; accuracy (m) → count: %v; %d held positions checked; farthest held position / stated accuracy: %s",
		len(accs), hist, checked, strings.Join(ratios, ", "))
	if len(accs) == 0 || checked == 0 {
		t.Error("no estimate was checked")
	}
}
