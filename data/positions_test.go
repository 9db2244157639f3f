package data

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// heldPoint is a position held by a source file, with the names it goes by.
type heldPoint struct {
	lon, lat float64
	names    []string
}

// heldOSM reads the OpenStreetMap points the dataset's osm positions and
// estimates were taken from (testdata/held, ODbL).
func heldOSM(t *testing.T) map[string]heldPoint {
	f, err := os.Open("testdata/held/osm_heritage_places.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]heldPoint{}
	for _, r := range rows[1:] { // osm_id,name,aliases,lon,lat,…
		lon, _ := strconv.ParseFloat(r[3], 64)
		lat, _ := strconv.ParseFloat(r[4], 64)
		out[r[0]] = heldPoint{lon, lat, append([]string{r[1]}, splitAliases(r[2])...)}
	}
	return out
}

func splitAliases(s string) []string {
	if s == "" {
		return nil
	}
	return regexp.MustCompile(`[|、;；]`).Split(s, -1)
}

// heldGeoNames reads the GeoNames points (testdata/held, CC BY 4.0), with
// their Chinese names.
func heldGeoNames(t *testing.T) map[int64]heldPoint {
	b, err := os.ReadFile("testdata/held/suzhou_geonames_cities500.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				ID      int64  `json:"geonameid"`
				NamesZH string `json:"names_zh"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	out := map[int64]heldPoint{}
	for _, f := range fc.Features {
		out[f.Properties.ID] = heldPoint{f.Geometry.Coordinates[0], f.Geometry.Coordinates[1], splitAliases(f.Properties.NamesZH)}
	}
	return out
}

// metres is the great-circle distance between two lon/lat points.
func metres(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371008.8 * math.Asin(math.Sqrt(a))
}

var estimatedFrom = regexp.MustCompile(`^estimated from OSM ((?:node|way|relation)/\d+) `)

// TestPositionsAgreeWithTheirSources holds every shipped point against the
// source it cites: an osm position is the point of its OSM object, a
// geonames position the GeoNames point of its id, an estimate the point of
// the OSM object its note names, and an estimate's accuracy is true where
// a source holds the place itself under its own name (the estimate must lie
// within its stated accuracy of it). Shapes (GSHHG) are checked by the
// generator's own tests.
func TestPositionsAgreeWithTheirSources(t *testing.T) {
	osm, gn := heldOSM(t), heldGeoNames(t)
	byName := map[string][]heldPoint{}
	for _, h := range osm {
		for _, n := range h.names {
			byName[n] = append(byName[n], h)
		}
	}
	counts := map[string]int{}
	for _, file := range placeFiles {
		for _, m := range lines(t, file) {
			g, _ := m["geometry"].(map[string]any)
			coord, _ := m["coord"].(map[string]any)
			if g == nil || g["type"] != "Point" || coord == nil {
				continue
			}
			c := g["coordinates"].([]any)
			lon, lat := c[0].(float64), c[1].(float64)
			name, _ := m["name"].(string)
			links, _ := m["links"].(map[string]any)
			near := func(what string, h heldPoint, ok bool, within float64) {
				t.Helper()
				if !ok {
					t.Errorf("%s (%d): %s is not among the held positions", name, id(m), what)
				} else if d := metres(lon, lat, h.lon, h.lat); d > within {
					t.Errorf("%s (%d): %.0f m from %s, want ≤ %.0f m", name, id(m), d, what, within)
				}
			}
			switch method, _ := coord["method"].(string); method {
			case "osm":
				ref, _ := links["osm"].(string)
				h, ok := osm[ref]
				near("its OSM object "+ref, h, ok, 1)
				counts["osm"]++
			case "geonames":
				gid, _ := links["geonames"].(float64)
				h, ok := gn[int64(gid)]
				near("its GeoNames point "+strconv.FormatInt(int64(gid), 10), h, ok, 1)
				counts["geonames"]++
			case "estimated":
				note, _ := coord["note"].(string)
				acc, _ := coord["accuracy_m"].(float64)
				sm := estimatedFrom.FindStringSubmatch(note)
				if sm == nil {
					t.Errorf("%s (%d): an estimate whose note does not name the OSM object it rests on: %q", name, id(m), note)
					continue
				}
				h, ok := osm[sm[1]]
				near("the OSM object its estimate rests on, "+sm[1], h, ok, 1)
				counts["estimated"]++
				for _, own := range byName[name] {
					near("the held position of "+name+" itself", own, true, acc)
					counts["estimate checked against the place itself"]++
				}
			}
		}
	}
	t.Logf("positions held against their sources: %v", counts)
	if counts["osm"] == 0 || counts["geonames"] == 0 || counts["estimated"] == 0 {
		t.Errorf("some kind of position was never checked: %v", counts)
	}
}
