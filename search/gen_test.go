package search

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
	"wumen/gazetteer/english"
)

// placeGen makes deterministic places one at a time, so a benchmark can
// stream them to Build as a store does instead of holding them all: names
// (2–6 characters) drawn from the characters of real Suzhou names, a
// specific (专名) of characters seen in specifics, then a generic (通名)
// seen in the dataset, weighted by how often each occurs. One in five also
// gets an alias, and one in 100 an English name (the share is about that
// of the shipped dataset) made of words of the dataset's English names and
// the GB/T 30240 word for its generic. A separate random source for the
// English names leaves the Chinese names as they were before English names
// existed, so figures stay comparable.
type placeGen struct {
	specChars, generics, vocab []string
	rng, enRng                 *rand.Rand
	terms                      *english.Terms
	n                          int
}

var benchAdmins = []string{"320505", "320506", "320507", "320508", "320509", "320576", "320581", "320582", "320583", "320585"}

func newPlaceGen(tb testing.TB) *placeGen {
	g := &placeGen{rng: rand.New(rand.NewPCG(20260101, 7)), enRng: rand.New(rand.NewPCG(20261203, 16)), terms: english.Default()}
	for _, p := range loadPlaces(tb) {
		r := []rune(p.Name)
		if len(r) < 2 || !isHan(r[0]) {
			continue
		}
		gen := p.Generic
		if gen == "" || !strings.HasSuffix(p.Name, gen) {
			gen = string(r[len(r)-1])
		}
		if utf8.RuneCountInString(gen) <= 2 {
			g.generics = append(g.generics, gen)
		}
		for _, c := range []rune(strings.TrimSuffix(p.Name, gen)) {
			if isHan(c) {
				g.specChars = append(g.specChars, string(c))
			}
		}
	}
	for _, p := range loadPlaces(tb) {
		for _, n := range english.Names(p) {
			for _, w := range strings.Fields(n.Text) {
				if len(w) > 3 && !contains(g.vocab, w) {
					g.vocab = append(g.vocab, w)
				}
			}
		}
	}
	return g
}

func (g *placeGen) spec(k int) string {
	var b strings.Builder
	for range k {
		b.WriteString(g.specChars[g.rng.IntN(len(g.specChars))])
	}
	return b.String()
}

// next is the next place; the first has id 1.
func (g *placeGen) next() *gazetteer.Place {
	g.n++
	gen := g.generics[g.rng.IntN(len(g.generics))]
	total := 2 + g.rng.IntN(5) // 2..6 characters
	k := max(1, total-utf8.RuneCountInString(gen))
	s := g.spec(k)
	p := &gazetteer.Place{
		ID: int64(g.n), Name: s + gen, Specific: s, Generic: gen, Status: gazetteer.StatusCurrent,
		Category: gazetteer.Category{Class: "居民点", Subclass: gen},
		Admin:    []string{"3205", benchAdmins[g.rng.IntN(len(benchAdmins))]},
		Rank:     float64(g.rng.IntN(10)) / 10,
	}
	pt := orb.Point{120.2 + g.rng.Float64()*1.0, 30.8 + g.rng.Float64()*1.1}
	p.Label = &pt
	if g.rng.IntN(5) == 0 {
		p.Names = []gazetteer.Name{{Text: g.spec(1+g.rng.IntN(3)) + gen, Kind: gazetteer.KindAlias}}
	}
	g.english(p)
	return p
}

// english gives p, one time in 100, an English name.
func (g *placeGen) english(p *gazetteer.Place) {
	if g.enRng.IntN(100) != 0 {
		return
	}
	var ws []string
	for range 1 + g.enRng.IntN(3) {
		ws = append(ws, g.vocab[g.enRng.IntN(len(g.vocab))])
	}
	if w, ok := g.terms.Generic(p.Generic); ok {
		ws = append(ws, strings.ToUpper(w[:1])+w[1:])
	}
	p.Names = append(p.Names, gazetteer.Name{Text: strings.Join(ws, " "), Script: gazetteer.ScriptLatin,
		Kind: gazetteer.KindConventional, Lang: english.Lang, Citation: "generated for the benchmark"})
}
