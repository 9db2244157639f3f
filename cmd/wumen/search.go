package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"wumen/gazetteer"
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
	return defaultIndexDir(db)
}

// openIndex opens the index of s and brings it into agreement with the
// store: it catches up from the position it saved (the last revision it
// applied), and rebuilds it when it is missing, unreadable, records no
// position, was built from another store or an older state of this one (a
// restore, a copy), or when so much changed that building is faster. The index
// is derived, so rebuilding loses nothing.
func (e *env) openIndex(ctx context.Context, s *gazetteer.Store, dir string) (*search.Index, error) {
	ix, err := search.Open(dir)
	if errors.Is(err, search.ErrBusy) {
		return nil, err // never rebuild an index a server is using
	}
	if err != nil {
		if _, serr := os.Stat(dir); serr == nil {
			return e.buildIndex(ctx, s, dir, "it cannot be read ("+err.Error()+")")
		}
		return e.buildIndex(ctx, s, dir, "")
	}
	why := "it does not record which store it follows"
	if _, ok := ix.Position(); ok {
		_, err := ix.CatchUp(ctx, s, max(maxCatchUp, ix.Len()/10))
		var many search.TooManyChanges
		switch {
		case err == nil:
			return ix, nil
		case errors.As(err, &many):
			why = fmt.Sprintf("%d places changed since it was last brought up to date", int(many))
		case gazetteer.ErrorCode(err) == gazetteer.EConflict:
			why = "the store is not the one it was built from (restored from a backup, replaced or copied)"
		default:
			ix.Close()
			return nil, err
		}
	}
	ix.Close()
	return e.buildIndex(ctx, s, dir, why)
}

// maxCatchUp is how many changed places an index opened behind its store
// takes one by one; more are rebuilt, which is faster from about here.
const maxCatchUp = 2000

// buildIndex builds the index of s in dir (aside, then swapped in), with a
// progress bar on a terminal, and records the store position it was built
// at. The position is read before the places, so a write made during the
// build is applied again by the next catch-up, never missed.
func (e *env) buildIndex(ctx context.Context, s *gazetteer.Store, dir, why string) (*search.Index, error) {
	head, err := s.Head(ctx)
	if err != nil {
		return nil, err
	}
	total, err := s.Count(ctx, gazetteer.Filter{})
	if err != nil {
		return nil, err
	}
	if !e.quiet {
		if why != "" {
			fmt.Fprintf(e.stderr, "rebuilding the search index in %s: %s\n", dir, why)
		} else {
			fmt.Fprintf(e.stderr, "building the search index in %s\n", dir)
		}
	}
	prog, done := e.progress(total, "indexing")
	n := 0
	ix, err := search.Build(dir, func(fn func(*gazetteer.Place) error) error {
		return s.Each(ctx, gazetteer.Filter{}, func(p *gazetteer.Place) error {
			if n++; prog != nil && n%256 == 0 {
				prog(n)
			}
			return fn(p)
		})
	})
	done()
	if err != nil {
		return nil, err
	}
	if err := ix.SetPosition(head); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
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
	ix, err := e.buildIndex(ctx, s, indexDir(e.db, *dir), "")
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
