package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

func init() {
	register(&command{name: "reverse", args: "LAT,LON | LAT LON",
		help: "where a point lies (admin units, and how that was decided; the lake it is in) and the named places around it", run: cmdReverse})
}

func cmdReverse(ctx context.Context, e *env, args []string) error {
	c := &command{name: "reverse"}
	fs := e.flags(c)
	radius := fs.Float64("radius", gazetteer.DefaultReverseM, "list named places within this many metres")
	size := fs.Int("size", 10, "at most this many named places")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	pt, err := parseLatLon(strings.Join(pos, ","))
	if err != nil {
		return err
	}
	if *radius <= 0 || *radius > 50000 || *size < 1 || *size > 100 {
		return usagef("--radius must be 1–50000 metres and --size 1–100")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Locator().Reverse(ctx, pt, *radius, *size)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printSurroundings(e, res)
	return nil
}

// parseLatLon reads "LAT,LON" (as the search and review commands take it).
func parseLatLon(v string) (orb.Point, error) {
	parts := strings.Split(strings.ReplaceAll(v, ",,", ","), ",")
	if len(parts) != 2 {
		return orb.Point{}, usagef("want a point as LAT,LON (e.g. 31.317,120.622)")
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	if err1 != nil || err2 != nil {
		return orb.Point{}, usagef("want a point as LAT,LON in degrees, got %q", v)
	}
	return orb.Point{lon, lat}, nil
}

func printSurroundings(e *env, res *gazetteer.Surroundings) {
	if res.Outside() {
		fmt.Fprintln(e.stdout, "outside coverage: "+res.Note)
		return
	}
	var admin []string
	for _, a := range res.Admin {
		admin = append(admin, a.Name+" "+a.Code)
	}
	fmt.Fprintf(e.stdout, "admin (%s): %s\n  %s\n", res.Method, strings.Join(admin, " › "), res.Note)
	for _, ev := range res.Evidence {
		fmt.Fprintf(e.stdout, "  evidence: %-8d %s  %.0f m  %s\n", ev.PlaceID, ev.Name, ev.DistanceM, strings.Join(ev.Admin, ","))
	}
	for _, w := range res.Water {
		fmt.Fprintf(e.stdout, "water: %d %s\n", w.ID, w.Name)
	}
	fmt.Fprintf(e.stdout, "within %.0f m: %d\n", res.RadiusM, len(res.Nearby))
	for i, n := range res.Nearby {
		fmt.Fprintf(e.stdout, "%2d. %-8d %s  %.0f m\n", i+1, n.ID, n.Name, n.DistanceM)
	}
}
