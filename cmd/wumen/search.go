package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"wumen/gazetteer"
	"wumen/gazetteer/stores"
	"wumen/search"
)

func init() {
	register(&command{name: "index", help: "rebuild the search index from the store (built aside, then swapped in)", run: cmdIndex})
	register(&command{name: "search", args: "TEXT", help: "search place names by characters, pinyin, initials or traditional characters", run: cmdSearch})
}

// indexDir is where the search index of a store lives unless --index says.
func indexDir(db, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return stores.IndexDir(db)
}

// openIndex opens the search index of s at dir and brings it up to date
// (search.Options.OpenStore: catch up, or rebuild; an index a running
// server holds is opened read-only and left to it).
func (e *env) openIndex(ctx context.Context, s *gazetteer.Store, dir string) (*search.Index, error) {
	return search.Options{}.OpenStore(ctx, s, dir, e.building(dir))
}

// buildIndex builds the search index of s in dir (search.Options.BuildStore).
func (e *env) buildIndex(ctx context.Context, s *gazetteer.Store, dir string) (*search.Index, error) {
	return search.Options{}.BuildStore(ctx, s, dir, "", e.building(dir))
}

// building says on stderr that the index in dir is being built, and why,
// with a progress bar on a terminal.
func (e *env) building(dir string) search.Building {
	return func(why string, total int) (func(int), func()) {
		if !e.quiet {
			if why != "" {
				fmt.Fprintf(e.stderr, "rebuilding the search index in %s: %s\n", dir, why)
			} else {
				fmt.Fprintf(e.stderr, "building the search index in %s\n", dir)
			}
		}
		return e.progress(total, "indexing")
	}
}

func cmdIndex(ctx context.Context, e *env, args []string) error {
	c := &command{name: "index", help: "rebuild the search index"}
	fs := e.flags(c)
	dir := fs.String("index", "", "index folder (default: the store's path + .index)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ix, err := e.buildIndex(ctx, s, indexDir(e.db, *dir))
	if err != nil {
		return err
	}
	defer ix.Close()
	fmt.Fprintf(e.stdout, "indexed %d places\n", ix.Len())
	return nil
}

func cmdSearch(ctx context.Context, e *env, args []string) error {
	c := &command{name: "search", args: "TEXT", help: "search place names"}
	fs := e.flags(c)
	dir := fs.String("index", "", "index folder (default: the store's path + .index)")
	auto := fs.Bool("autocomplete", false, "prefix-oriented autocomplete instead of full search")
	asJSON := fs.Bool("json", false, "print the GeoJSON FeatureCollection the API returns")
	q := url.Values{}
	for _, k := range []struct{ name, help string }{
		{"category", "大类 or 子类"}, {"admin", "administrative code (any level)"}, {"heritage", "heritage list, level, or any"},
		{"status", "current, historical or cancelled"}, {"year", "names in use in this year (e.g. 1911)"},
		{"bbox", "minLon,minLat,maxLon,maxLat"}, {"near", "LAT,LON: only places within --radius km, with distances"},
		{"radius", "radius in km for --near"}, {"focus", "LAT,LON: boost places near here"}, {"size", "how many results"},
	} {
		k := k
		fs.Func(k.name, k.help, func(v string) error { q.Set(k.name, v); return nil })
	}
	facets := fs.Bool("facets", false, "print facet counts")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	q.Set("text", strings.Join(pos, " "))
	for flagName, pair := range map[string][2]string{"near": {"point.lat", "point.lon"}, "focus": {"focus.point.lat", "focus.point.lon"}} {
		if v := q.Get(flagName); v != "" {
			parts := strings.Split(v, ",")
			if len(parts) != 2 {
				return usagef("--%s wants LAT,LON", flagName)
			}
			q.Set(pair[0], strings.TrimSpace(parts[0]))
			q.Set(pair[1], strings.TrimSpace(parts[1]))
			q.Del(flagName)
		}
	}
	if v := q.Get("radius"); v != "" {
		q.Set("boundary.circle.radius", v)
		q.Del("radius")
	}
	if *facets {
		q.Set("facets", "true")
	}
	query, err := search.ParseQuery(q)
	if err != nil {
		return gazetteer.Errorf(gazetteer.EInvalid, "%v", err)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ix, err := e.openIndex(ctx, s, indexDir(e.db, *dir))
	if err != nil {
		return err
	}
	defer ix.Close()
	var res *search.Result
	if *auto {
		res, err = ix.Autocomplete(ctx, query)
	} else {
		res, err = ix.Search(ctx, query)
	}
	if err != nil {
		return gazetteer.Errorf(gazetteer.EInvalid, "%v", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(ix.FeatureCollection(res.Hits, ix.AdminName))
	}
	for i, h := range res.Hits {
		line := fmt.Sprintf("%2d. %-8d %s  %s", i+1, h.ID, h.Name, h.Pinyin)
		if lbl := search.Label(h.Name, h.Admin, ix.AdminName); lbl != h.Name {
			line += "  (" + lbl + ")"
		}
		if h.Matched.Kind != "" && h.Matched.Kind != gazetteer.KindStandard {
			line += fmt.Sprintf("  matched %s, %s", h.Matched.Text, h.Matched.Kind)
			if h.Matched.Start != "" || h.Matched.End != "" {
				line += " " + h.Matched.Start + "–" + h.Matched.End
			}
		}
		if h.DistanceM != nil {
			line += "  " + strconv.FormatFloat(*h.DistanceM/1000, 'f', 2, 64) + " km"
		}
		fmt.Fprintln(e.stdout, line)
	}
	fmt.Fprintf(e.stdout, "%d found in %s\n", res.Total, res.Took)
	if res.Facets != nil {
		for name, fc := range map[string][]search.FacetCount{"category": res.Facets.Category, "district": res.Facets.District, "heritage": res.Facets.Heritage} {
			var parts []string
			for _, f := range fc {
				parts = append(parts, f.Value+" "+strconv.Itoa(f.Count))
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", name, strings.Join(parts, ", "))
		}
	}
	if len(res.Hits) == 0 {
		return gazetteer.Errorf(gazetteer.ENotFound, "no place matches %q", query.Text)
	}
	return nil
}
