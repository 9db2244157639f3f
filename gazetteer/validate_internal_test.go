package gazetteer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// star is a star-shaped ring of n vertices around a centre in Suzhou: the
// radius varies with the angle (smooth bays and capes, plus a jitter of the
// order of the vertex spacing, as a surveyed outline has) but the angle
// always grows, so the ring is simple. (Made-up test geometry, not a real
// outline.)
func star(n int, rng *rand.Rand) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	step := 2 * math.Pi / float64(n)
	for i := 0; i < n; i++ {
		a := step * float64(i)
		d := 0.05*(1+0.2*math.Sin(7*a)+0.05*math.Sin(131*a)) + 0.05*step*rng.Float64()
		r = append(r, orb.Point{120.6 + d*math.Cos(a), 31.3 + d*math.Sin(a)})
	}
	return append(r, r[0])
}

// bruteIntersects is the plain test of every pair of edges.
func bruteIntersects(r orb.Ring) bool {
	n := len(r) - 1
	for i := 0; i < n; i++ {
		for j := i + 2; j < n; j++ {
			if !(i == 0 && j == n-1) && segmentsIntersect(r[i], r[i+1], r[j], r[j+1]) {
				return true
			}
		}
	}
	return false
}

// The indexed check finds exactly the rings the pairwise check finds, on
// random rings (many of them crossing) and on star rings with two vertices
// swapped.
func TestSelfIntersectionAgreesWithPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 20))
	for trial := 0; trial < 400; trial++ {
		n := 4 + rng.IntN(200)
		var r orb.Ring
		if trial%2 == 0 {
			for range n {
				r = append(r, orb.Point{rng.Float64(), rng.Float64()})
			}
			r = append(r, r[0])
		} else {
			r = star(n, rng)
			if trial%4 == 1 && n > 6 {
				i := 1 + rng.IntN(n-3)
				j := 1 + rng.IntN(n-3)
				r[i], r[j] = r[j], r[i]
			}
		}
		_, _, got := selfIntersection(r)
		if want := bruteIntersects(r); got != want {
			t.Fatalf("trial %d (%d edges): indexed %v, pairwise %v", trial, n, got, want)
		}
	}
}

// A polygon of a million vertices validates in seconds (the pairwise check
// took minutes at 100,000), and a crossing in it is found and named.
func TestMillionVertexPolygonValidatesInSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: validates a million-vertex polygon")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	ring := star(1_000_000, rng)
	// How fast is BenchmarkValidGeometry's to say (BENCHMARKS.md), not a
	// timed test's: this one checks that a million vertices are judged right.
	if err := ValidGeometry(orb.Polygon{ring}); err != nil {
		t.Fatal(err)
	}
	ring[500_000], ring[500_010] = ring[500_010], ring[500_000]
	err := ValidGeometry(orb.Polygon{ring})
	if err == nil || ErrorCode(err) != EInvalid {
		t.Fatalf("a crossing ring of a million vertices: %v", err)
	}
	t.Log(err)
	big := make(orb.LineString, MaxVertices+1)
	for i := range big {
		big[i] = orb.Point{120 + float64(i)*1e-7, 31}
	}
	if err := ValidGeometry(big); err == nil {
		t.Error("a line over the vertex limit was accepted")
	}
}

func BenchmarkValidGeometry(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		ring := star(n, rand.New(rand.NewPCG(1, 1)))
		b.Run(itoa(n), func(b *testing.B) {
			for b.Loop() {
				if err := ValidGeometry(orb.Polygon{ring}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPairwise is the check this package used before, the baseline.
func BenchmarkPairwise(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		ring := star(n, rand.New(rand.NewPCG(1, 1)))
		b.Run(itoa(n), func(b *testing.B) {
			for b.Loop() {
				if bruteIntersects(ring) {
					b.Fatal("crossing")
				}
			}
		})
	}
}

func itoa(n int) string {
	switch n {
	case 1_000:
		return "1k"
	case 10_000:
		return "10k"
	case 100_000:
		return "100k"
	}
	return "1M"
}

func TestWithIDRewritesTheLeadingID(t *testing.T) {
	p := &Place{ID: 0, Name: "枫桥", Category: Category{Class: "聚落"}, Status: StatusCurrent}
	doc := mustJSON(p)
	p.ID = 1234
	if got, want := string(withID(doc, 0, 1234)), string(mustJSON(p)); got != want {
		t.Fatalf("withID = %s, want %s", got, want)
	}
	if withID([]byte(`{"name":"x","id":0}`), 0, 5) != nil {
		t.Fatal("a document not starting with its id was rewritten")
	}
}
