package gazetteer

import (
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Seed loads a dataset folder (the embedded data/ by default) into an empty
// store in one transaction: categories.json if present, every *.jsonl of
// places, then walks.jsonl.
func (s *Store) Seed(ctx context.Context, fsys fs.FS, progress func(done int)) (*Report, error) {
	if b, err := fs.ReadFile(fsys, "categories.json"); err == nil {
		c, err := ParseCategories(b)
		if err != nil {
			return nil, err
		}
		s.SetCategories(c)
	}
	names, err := fs.Glob(fsys, "*.jsonl")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var in []Input
	for _, n := range names {
		if n == "walks.jsonl" {
			continue
		}
		f, err := fsys.Open(n)
		if err != nil {
			return nil, err
		}
		recs, err := ReadJSONL(f, path.Join("data", n))
		f.Close()
		if err != nil {
			return nil, err
		}
		in = append(in, recs...)
	}
	rep, err := s.PutAll(ctx, in, Change{Actor: "wumen-seed", Reason: "initial load of the shipped dataset"}, PutOptions{Progress: progress})
	if err != nil {
		return nil, err
	}
	if f, err := fsys.Open("walks.jsonl"); err == nil {
		walks, err := ReadWalks(f, "data/walks.jsonl")
		f.Close()
		if err != nil {
			return nil, err
		}
		if err := s.PutWalks(ctx, walks); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// AdminNames maps statistical codes to the names of administrative units, for
// labels and breadcrumbs (市 › 区 › 街道/镇 › 村/社区).
func (s *Store) AdminNames(ctx context.Context) (map[string]string, error) {
	return s.b.AdminNames(ctx)
}

// Label joins a place's name with the names of its administrative parents,
// narrowest first, the way geocoders label results: "山塘街, 姑苏区, 苏州市".
func Label(p *Place, admin map[string]string) string {
	parts := []string{p.Name}
	seen := map[string]bool{p.Name: true}
	for i := len(p.Admin) - 1; i >= 0; i-- {
		code := p.Admin[i]
		if len(code) > 6 && len(p.Admin) > 2 && i != len(p.Admin)-1 {
			continue // keep the label short: nearest unit, county, city
		}
		if n, ok := admin[code]; ok && !seen[n] {
			parts = append(parts, n)
			seen[n] = true
		}
	}
	return strings.Join(parts, ", ")
}
