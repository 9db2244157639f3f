package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

func search(t *testing.T, ix *Index, q Query) *Result {
	t.Helper()
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	return r
}

func names(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Name)
	}
	return out
}

func TestMatchedNameAndSpan(t *testing.T) {
	ix := testIndex(t)
	r := search(t, ix, Query{Text: "平江府", Size: 5})
	if len(r.Hits) == 0 {
		t.Fatal("平江府 found nothing")
	}
	h := r.Hits[0]
	if h.Matched.Text != "平江府" || h.Matched.Kind != gazetteer.KindHistorical || h.Matched.Start != "1113" || h.Matched.How != howExact {
		t.Errorf("matched %+v", h.Matched)
	}
	for _, c := range []struct {
		text, name   string
		rs, re, b, e int
	}{
		{"山塘", "山塘街", 0, 2, 0, 6},
		{"tangjie", "山塘街", 1, 3, 3, 9},
		{"政园", "拙政园", 1, 3, 3, 9},
		{"桥", "宝带桥", 2, 3, 6, 9},
	} {
		var hit *Hit
		r := search(t, ix, Query{Text: c.text, Size: 20})
		for i := range r.Hits {
			if r.Hits[i].Name == c.name {
				hit = &r.Hits[i]
			}
		}
		if hit == nil {
			t.Errorf("%s: %s not in %v", c.text, c.name, names(r.Hits))
			continue
		}
		want := Span{Start: c.b, End: c.e, RuneStart: c.rs, RuneEnd: c.re}
		if hit.Matched.Span != want {
			t.Errorf("%s in %s: span %+v, want %+v", c.text, c.name, hit.Matched.Span, want)
		}
	}
}

func TestRankingOrder(t *testing.T) {
	ix := testIndex(t)
	// exact standard, then prefix (standard), then partial
	r := search(t, ix, Query{Text: "虎丘塔", Size: 10})
	if got := names(r.Hits); len(got) == 0 || got[0] != "虎丘塔" {
		t.Errorf("虎丘塔: %v", got)
	}
	r = search(t, ix, Query{Text: "山塘", Size: 10})
	for i, h := range r.Hits {
		if i > 0 && howScore[h.Matched.How] > howScore[r.Hits[i-1].Matched.How] && h.Matched.Kind == r.Hits[i-1].Matched.Kind {
			t.Errorf("山塘: %s (%s) after %s (%s)", h.Name, h.Matched.How, r.Hits[i-1].Name, r.Hits[i-1].Matched.How)
		}
	}
	// a place matching by several names appears once
	seen := map[int64]bool{}
	for _, h := range search(t, ix, Query{Text: "七里山塘", Size: 20}).Hits {
		if seen[h.ID] {
			t.Errorf("place %d twice", h.ID)
		}
		seen[h.ID] = true
	}
}

func TestFiltersAndFacets(t *testing.T) {
	ix := testIndex(t)
	r := search(t, ix, Query{Text: "桥", Size: 50, Facets: true})
	if r.Facets == nil || len(r.Facets.Category) == 0 || len(r.Facets.District) == 0 {
		t.Fatalf("facets %+v", r.Facets)
	}
	found := false
	for _, f := range r.Facets.Category {
		found = found || f.Value == "桥梁" && f.Count >= 15
	}
	if !found {
		t.Errorf("no 桥梁 facet with ≥15 in %+v", r.Facets.Category)
	}
	r = search(t, ix, Query{Text: "桥", Size: 50, Category: "桥梁", Admin: "320509"})
	if len(r.Hits) == 0 {
		t.Fatal("no bridges in 吴江区")
	}
	for _, h := range r.Hits {
		if h.Subclass != "桥梁" || !contains(h.Admin, "320509") {
			t.Errorf("filter let through %s %s %v", h.Name, h.Subclass, h.Admin)
		}
	}
	// the year filter keeps names in use in that year
	if r := search(t, ix, Query{Text: "平江府", Year: 1200}); len(r.Hits) == 0 {
		t.Error("平江府 not found in 1200")
	}
	if r := search(t, ix, Query{Text: "平江府", Year: 1900}); len(r.Hits) != 0 {
		t.Errorf("平江府 found in 1900: %v", names(r.Hits))
	}
	// distance filter
	hs := Query{Text: "寺", Near: &orb.Point{120.5687, 31.3134}, RadiusM: 1500, Size: 10}
	r = search(t, ix, hs)
	if len(r.Hits) == 0 || r.Hits[0].Name != "寒山寺" || r.Hits[0].DistanceM == nil || *r.Hits[0].DistanceM > 1500 {
		t.Errorf("寺 near 寒山寺: %v", names(r.Hits))
	}
	// filters alone, nearest first
	r = search(t, ix, Query{Near: &orb.Point{120.6246, 31.3260}, RadiusM: 300, Size: 3})
	if len(r.Hits) == 0 || r.Hits[0].Name != "拙政园" {
		t.Errorf("nearest to 拙政园's point: %v", names(r.Hits))
	}
}

func TestAutocomplete(t *testing.T) {
	ix := testIndex(t)
	for q, want := range map[string]string{"拙政": "拙政园", "zhuozh": "拙政园", "苏州博": "苏州博物馆", "shantangj": "山塘街", "寒": "寒山寺"} {
		r, err := ix.Autocomplete(context.Background(), Query{Text: q, Size: 5, Focus: &orb.Point{120.6, 31.31}})
		if err != nil {
			t.Fatal(err)
		}
		if !contains(names(r.Hits), want) {
			t.Errorf("autocomplete %s: %v, want %s", q, names(r.Hits), want)
		}
	}
	var e *Error
	if _, err := ix.Autocomplete(context.Background(), Query{Category: "桥梁"}); !errors.As(err, &e) || e.Field != "text" {
		t.Errorf("autocomplete without text: %v", err)
	}
}

func TestFeatureCollection(t *testing.T) {
	ix := testIndex(t)
	r := search(t, ix, Query{Text: "七里山塘", Size: 1, Focus: &orb.Point{120.6, 31.32}})
	fc := ix.FeatureCollection(r.Hits, nil)
	b, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "FeatureCollection" || len(doc.Features) != 1 || doc.Features[0].Geometry.Type != "Point" {
		t.Fatalf("%s", b)
	}
	p := doc.Features[0].Properties
	if p["name"] != "山塘街" || p["label"] != "山塘街, 姑苏区, 苏州市" || p["matched_name"] != "七里山塘" ||
		p["matched_kind"] != gazetteer.KindColloquial || p["category"] != "道路街巷" || p["distance"] == nil || p["score"] == nil {
		t.Errorf("properties %v", p)
	}
	if l := Label("山塘街", []string{"3205", "320508"}, func(c string) string { return map[string]string{"3205": "苏州市", "320508": "姑苏区"}[c] }); l != "山塘街, 姑苏区, 苏州市" {
		t.Errorf("label %s", l)
	}
}

func TestNearby(t *testing.T) {
	ix := testIndex(t)
	var id int64
	for _, h := range search(t, ix, Query{Text: "拙政园", Size: 1}).Hits {
		id = h.ID
	}
	near := ix.Nearby(id, 5)
	if len(near) != 5 {
		t.Fatalf("nearby %v", near)
	}
	for _, h := range near {
		if h.ID == id {
			t.Error("nearby lists the place itself")
		}
	}
}

// smallPlaces are the places of a throwaway index for write tests.
func smallPlaces() []*gazetteer.Place {
	pt := func(lon, lat float64) *orb.Point { p := orb.Point{lon, lat}; return &p }
	return []*gazetteer.Place{
		{ID: 1, Name: "吴中区", Code: "320506", Level: "county", Status: gazetteer.StatusCurrent, Category: gazetteer.Category{Class: "行政区域"},
			Geometry: orb.Polygon{{{120.4, 31.0}, {120.8, 31.0}, {120.8, 31.3}, {120.4, 31.3}, {120.4, 31.0}}}},
		{ID: 2, Name: "宝带桥", Status: gazetteer.StatusCurrent, Admin: []string{"3205", "320506"}, Label: pt(120.6339, 31.2605),
			Category: gazetteer.Category{Class: "交通运输设施", Subclass: "桥梁"}, Names: []gazetteer.Name{{Text: "长桥", Kind: gazetteer.KindAlias}}},
		{ID: 3, Name: "石湖", Status: gazetteer.StatusCurrent, Admin: []string{"3205", "320506"}, Label: pt(120.57, 31.26)},
	}
}

func TestBuildUpsertDeleteReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(search(t, ix, Query{Text: "长桥"}).Hits); len(got) != 1 || got[0] != "宝带桥" {
		t.Fatalf("长桥: %v", got)
	}
	// rename: the old name becomes historical
	p := smallPlaces()[1]
	p.Name = "宝带新桥"
	p.Names = append(p.Names, gazetteer.Name{Text: "宝带桥", Kind: gazetteer.KindHistorical, End: "2026"})
	if err := ix.Upsert(p); err != nil {
		t.Fatal(err)
	}
	r := search(t, ix, Query{Text: "宝带桥"})
	if len(r.Hits) != 1 || r.Hits[0].Name != "宝带新桥" || r.Hits[0].Matched.Kind != gazetteer.KindHistorical {
		t.Fatalf("after upsert: %+v", r.Hits)
	}
	if err := ix.Upsert(&gazetteer.Place{ID: 4, Name: "觅渡桥", Status: gazetteer.StatusCurrent}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(3); err != nil {
		t.Fatal(err)
	}
	if r := search(t, ix, Query{Text: "石湖"}); len(r.Hits) != 0 {
		t.Errorf("deleted place found: %v", names(r.Hits))
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// reopening replays the journal over the snapshot
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Len() != 3 {
		t.Errorf("reopened with %d places", ix.Len())
	}
	for q, want := range map[string]string{"宝带桥": "宝带新桥", "觅渡": "觅渡桥", "mi du qiao": "觅渡桥"} {
		if got := names(search(t, ix, Query{Text: q}).Hits); len(got) != 1 || got[0] != want {
			t.Errorf("reopened %s: %v", q, got)
		}
	}
	if r := search(t, ix, Query{Text: "石湖"}); len(r.Hits) != 0 {
		t.Errorf("deleted place back after reopen: %v", names(r.Hits))
	}
}

func TestBuildReplacesAtomically(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "ix")
	ix, err := Build(dir, eachOf(smallPlaces()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// a failing build leaves the old index in place and no debris
	boom := errors.New("store failed")
	_, err = Build(dir, func(f func(*gazetteer.Place) error) error {
		f(&gazetteer.Place{ID: 9, Name: "横塘"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 3 {
		t.Errorf("old index has %d places", ix.Len())
	}
	ix.Close()
	// a second build swaps in
	ix, err = Build(dir, eachOf(smallPlaces()[:1]))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Len() != 1 {
		t.Errorf("rebuilt index has %d places", ix.Len())
	}
	ents, _ := os.ReadDir(root)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// TestBuildManyBatchesPersisted builds from many small batches (the build
// uses unsafe_batch and waits for persistence itself) and checks that the
// index reopened from disk holds every name and finds them.
func TestBuildManyBatchesPersisted(t *testing.T) {
	ps := loadPlaces(t)
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Options{BatchSize: 300}.Build(dir, eachOf(ps))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := 0
	for _, e := range ix.places {
		want += len(e.Names)
	}
	if n, err := ix.bi.DocCount(); err != nil || n != uint64(want) {
		t.Fatalf("reopened index holds %d names, want %d (%v)", n, want, err)
	}
	for _, p := range ps[:50] {
		r, err := ix.Search(context.Background(), Query{Text: p.Name})
		if err != nil || len(r.Hits) == 0 {
			t.Errorf("%s not found after reopen: %v", p.Name, err)
		}
	}
}

// TestOpenRefusesOtherFormat: an index written by another version (or with
// its format file lost) is refused, so the caller rebuilds it.
func TestOpenRefusesOtherFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Build(dir, eachOf(loadPlaces(t)[:100]))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if err := os.WriteFile(filepath.Join(dir, formatFile), []byte("wumen-search 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ix, err := Open(dir); err == nil {
		ix.Close()
		t.Fatal("an index of format 2 opened")
	}
	os.Remove(filepath.Join(dir, formatFile))
	if ix, err := Open(dir); err == nil {
		ix.Close()
		t.Fatal("an index without a format file opened")
	}
}

// TestHotFacets checks the facet counts kept with hot lists (one- and
// two-character queries without filters) against counting every name by
// hand, after the build (several workers, small batches), after an upsert
// and a delete, and after a reopen; and that a filtered query, counted by
// bleve, agrees with counting by hand too.
func TestHotFacets(t *testing.T) {
	ps := loadPlaces(t)
	ix, err := Options{HotMin: 30, BatchSize: 500}.Build(filepath.Join(t.TempDir(), "ix"), eachOf(ps))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	ctx := context.Background()
	byHand := func(q string, keep func(*entry) bool) (map[string]int, int) {
		counts, total := map[string]int{}, 0
		for _, e := range ix.places {
			for _, n := range e.Names {
				if strings.Contains(normalize(n.Text), q) && (keep == nil || keep(e)) {
					total++
					for _, term := range e.facetTerms() {
						counts[term]++
					}
				}
			}
		}
		return counts, total
	}
	check := func(stage, q string, filter Query, keep func(*entry) bool) {
		t.Helper()
		filter.Text, filter.Facets, filter.Size = q, true, 5
		r, err := ix.Search(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		want, total := byHand(q, keep)
		if int(r.Total) != total {
			t.Errorf("%s %s: total %d, counted %d", stage, q, r.Total, total)
		}
		for prefix, got := range map[string][]FacetCount{fpCategory: r.Facets.Category, fpDistrict: r.Facets.District, fpHeritage: r.Facets.Heritage} {
			for _, f := range got {
				if want[prefix+f.Value] != f.Count {
					t.Errorf("%s %s: facet %s%s = %d, counted %d", stage, q, prefix, f.Value, f.Count, want[prefix+f.Value])
				}
			}
		}
	}
	queries := []string{"村", "桥", "苏州", "山塘"}
	for _, q := range queries[:2] {
		if ix.hot[hotKeyOf(q)] == nil {
			t.Fatalf("%s has no hot list", q)
		}
	}
	for _, q := range queries {
		check("built", q, Query{}, nil)
		check("built, filtered", q, Query{Status: gazetteer.StatusCurrent}, func(e *entry) bool { return e.Status == gazetteer.StatusCurrent })
	}
	p := *ps[0]
	p.Names = append(p.Names, gazetteer.Name{Text: "新桥村", Kind: gazetteer.KindAlias})
	if err := ix.Upsert(&p); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ps[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		check("changed", q, Query{}, nil)
	}
	ix.Close()
	if ix, err = Open(ix.dir); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		check("reopened", q, Query{}, nil)
	}
}

// TestConcurrentSearchAndUpsert searches (text, pinyin, prefixes, facets)
// while places are upserted and deleted: the name table, hot lists and
// facet counts are shared, so this is for `go test -race`, and every search
// must still succeed.
func TestConcurrentSearchAndUpsert(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: searches while upserting on a second index of the dataset (for -race)")
	}
	ps := loadPlaces(t)
	ix, err := Options{HotMin: 30}.Build(filepath.Join(t.TempDir(), "ix"), eachOf(ps))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	stop := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for _, q := range []Query{{Text: "村", Facets: true}, {Text: "shantang"}, {Text: "sz"}, {Text: "山塘街", Facets: true}} {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := ix.Search(ctx, q); err != nil {
					errs <- err
					return
				}
				if _, err := ix.Autocomplete(ctx, Query{Text: q.Text}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i, p := range ps[:60] {
		c := *p
		c.Names = append(c.Names, gazetteer.Name{Text: "新" + p.Name, Kind: gazetteer.KindAlias})
		if err := ix.Upsert(&c); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if err := ix.Delete(p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
