package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"wumen/gazetteer"
	"wumen/gazetteer/script"
)

// The checks BenchmarkMillion makes of an index at scale besides its
// latencies: sampled relevance and incremental updates (issue 21).

// benchRelevance is issue 21's sampled relevance check at any size: queries
// whose right answer is known by construction, drawn from the generated
// names, each scored on the first hit (or the first five for a typo) and
// held to a floor. A name is found first by itself (exact), by its
// traditional form after the city's name (trad) and by an alias (alias);
// its toneless pinyin finds first a name read so (pinyin); with one letter
// dropped, a name read as the original is among the first five (typo).
func benchRelevance(b *testing.B, ix *Index, ps []*gazetteer.Place) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 13))
	readsAs := func(text, py string) bool {
		for _, c := range readingCombos(readingUnits(normalize(text))) {
			if strings.Join(c, "") == py {
				return true
			}
		}
		return false
	}
	type kind struct {
		name       string
		floor      float64
		good, runs int
	}
	kinds := []*kind{{name: "exact", floor: 0.99}, {name: "trad", floor: 0.99}, {name: "alias", floor: 0.95},
		{name: "pinyin", floor: 0.95}, {name: "typo-top5", floor: 0.7}}
	score := func(k *kind, q string, size int, ok func(Hit) bool) {
		r, err := ix.Search(ctx, Query{Text: q, Size: size})
		if err != nil {
			b.Fatal(err)
		}
		k.runs++
		for _, h := range r.Hits {
			if ok(h) {
				k.good++
				return
			}
		}
	}
	for i := 0; i < 500; i++ {
		p := ps[rng.IntN(len(ps))]
		name := p.Name
		score(kinds[0], name, 1, func(h Hit) bool { return h.Matched.Text == name })
		// 蘇州 + a name that starts with 市 reads as 苏州市 + the rest as
		// well: no single right answer, so it is not asked.
		if trad := script.ToTraditional(name); script.ToSimplified(trad) == name && !strings.HasPrefix(name, "市") {
			score(kinds[1], "蘇州"+trad, 1, func(h Hit) bool { return h.Matched.Text == name })
		}
		for _, n := range p.Names {
			if n.Kind == gazetteer.KindAlias {
				score(kinds[2], n.Text, 1, func(h Hit) bool { return h.Matched.Text == n.Text })
				break
			}
		}
		py := strings.Join(readingCombos(readingUnits(normalize(name)))[0], "")
		score(kinds[3], py, 1, func(h Hit) bool { return readsAs(h.Matched.Text, py) })
		if len(py) >= 5 {
			j := 1 + rng.IntN(len(py)-1)
			score(kinds[4], py[:j]+py[j+1:], 5, func(h Hit) bool { return readsAs(h.Matched.Text, py) })
		}
	}
	for _, k := range kinds {
		got := float64(k.good) / float64(max(k.runs, 1))
		b.ReportMetric(got, k.name)
		if got < k.floor {
			b.Errorf("%s: %d of %d queries right (%.3f), below the floor %.2f", k.name, k.good, k.runs, got, k.floor)
		}
	}
}

// benchUpsert measures issue 21's incremental update: a place renamed is
// written to the index (Upsert: bleve, the journal, the name table, the
// hot lists) and then found by its new name; p50/p99 of the two together.
func benchUpsert(b *testing.B, ix *Index, ps []*gazetteer.Place) {
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := *ps[(i*7919)%len(ps)]
		p.Name = fmt.Sprintf("%s测%d", p.Name, i)
		p.Specific, p.Generic, p.Pinyin, p.Sign = "", "", "", ""
		p.Names = nil
		gazetteer.Derive(&p)
		t0 := time.Now()
		if err := ix.Upsert(&p); err != nil {
			b.Fatal(err)
		}
		r, err := ix.Search(ctx, Query{Text: p.Name, Size: 1})
		if err != nil || len(r.Hits) == 0 || r.Hits[0].ID != p.ID {
			b.Fatalf("%s not found right after its upsert: %v %+v", p.Name, err, r)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
