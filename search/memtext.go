package search

import (
	"context"
	"math"
	"sort"
)

// memText is the textIndex of a compact index: in-memory postings of the
// terms a server's index gives bleve (documents: one document a name, the
// text, English and filter fields, the years of a dated name), scored as
// bleve v2 scores the queries the search builds, with its default tf-idf
// model (search/scorer/scorer_term.go there):
//
//	term:  tf · norm · idf · (boost · idf · queryNorm)
//	       tf = √freq (every term here is once in its field, so 1),
//	       norm = 1/√(terms in the field), rounded to float32 as zap stores it,
//	       idf = 1 + ln(documents / (documents with the term + 1)),
//	       queryNorm = 1/√(Σ over the query's terms of (boost · idf)²);
//	any-of: the sum of the matching clauses' scores × matching/all clauses;
//	all-of: the sum;
//	fuzzy:  any-of the terms of the field within the edits, each boosted by
//	        1/(1 + its distance);
//	ids, everything: a constant 1 × (boost · queryNorm).
//
// A boost on an any-of or all-of is ignored, as bleve ignores it. Equal
// scores are ordered by document (place id, then name), where bleve orders
// them by the segment they landed in; the ranking breaks those ties itself.
// A numeric range (the year filter) is not scored here: it matches as bleve
// does and adds nothing to the score (bleve adds a little; the test of
// compact.go says where that shows).
type memText struct {
	docs  []memDoc
	ids   map[string]int32      // docID → document
	posts [3]map[string][]int32 // by field (memFields): term → documents, ascending
}

// memDoc is one name document.
type memDoc struct {
	id       int64
	k        int32
	lens     [3]int32 // terms in fText, fEnglish, fFilter
	from, to int32    // years the name may have been in use, when dated
	dated    bool
}

var memFields = [3]string{fText, fEnglish, fFilter}

func newMemText() *memText {
	return &memText{ids: map[string]int32{}, posts: [3]map[string][]int32{{}, {}, {}}}
}

// add indexes name k of e, whose tokens are nt; filt are e's facet and
// filter terms (documents in index.go writes the same fields).
func (m *memText) add(e *entry, k int, nt nameTokens, filt []string) {
	d := int32(len(m.docs))
	doc := memDoc{id: e.ID, k: int32(k)}
	n := e.Names[k]
	from, to, dated := nameYears(n.Start, n.End)
	if dated {
		doc.from, doc.to, doc.dated = int32(from), int32(to), true
	} else {
		filt = append(filt[:len(filt):len(filt)], fpUndated)
	}
	// The terms of each field are distinct (tokenize, englishWords and the
	// facet and filter terms are sets), so each occurs once, as in bleve.
	for f, terms := range [3][]string{nt.text, nt.english, filt} {
		for _, t := range terms {
			m.posts[f][t] = append(m.posts[f][t], d)
		}
		doc.lens[f] = int32(len(terms))
	}
	m.docs = append(m.docs, doc)
	m.ids[docID(e.ID, k)] = d
}

// memHits are the documents a query node matches, ascending, with their scores.
type memHits struct {
	docs   []int32
	scores []float64
}

func (m *memText) field(f string) int {
	for i, x := range memFields {
		if x == f {
			return i
		}
	}
	return -1
}

// postings are the documents with term in field.
func (m *memText) postings(field, term string) []int32 {
	if f := m.field(field); f >= 0 {
		return m.posts[f][term]
	}
	return nil
}

func (m *memText) idf(field, term string) float64 {
	n := uint64(len(m.postings(field, term)))
	return 1.0 + math.Log(float64(len(m.docs))/float64(n+1.0))
}

// fuzzyTerms are the terms of field within n.fuzz edits of n.term, in
// term order, with their distances.
func (m *memText) fuzzyTerms(n *qnode) (terms []string, dist []int) {
	if f := m.field(n.field); f >= 0 {
		for t := range m.posts[f] {
			if d := editDistance(n.term, t); d <= n.fuzz {
				terms = append(terms, t)
			}
		}
	}
	sort.Strings(terms)
	for _, t := range terms {
		dist = append(dist, editDistance(n.term, t))
	}
	return terms, dist
}

// editDistance is the edit distance of a and b in runes, a swap of two
// adjacent runes counting as one edit, as the Levenshtein automaton of
// bleve's fuzzy query (vellum, with transpositions) counts it.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j-1]+c, d[i-1][j]+1, d[i][j-1]+1)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// weight is the sum of the squared weights of n's terms (bleve's
// Searcher.Weight), from which the query norm is made.
func (m *memText) weight(n *qnode) float64 {
	switch n.op {
	case qTerm:
		w := n.boost * m.idf(n.field, n.term)
		return w * w
	case qFuzzy:
		terms, dist := m.fuzzyTerms(n)
		if len(terms) == 0 || len(terms) == 1 && terms[0] == n.term {
			w := n.boost * m.idf(n.field, n.term)
			return w * w
		}
		s := 0.0
		for i, t := range terms {
			w := n.boost / float64(dist[i]+1) * m.idf(n.field, t)
			s += w * w
		}
		return s
	case qOr, qAnd:
		s := 0.0
		for _, c := range n.subs {
			s += m.weight(c)
		}
		return s
	case qIDs, qAll:
		return n.boost * n.boost
	}
	return 0 // qRange: see memText
}

// termHits scores the postings of one term.
func (m *memText) termHits(field, term string, boost, qnorm float64) memHits {
	post := m.postings(field, term)
	idf := m.idf(field, term)
	qw := boost * idf * qnorm
	f := m.field(field)
	h := memHits{docs: post, scores: make([]float64, len(post))}
	for i, d := range post {
		norm := float64(float32(1.0 / math.Sqrt(float64(m.docs[d].lens[f]))))
		s := 1.0 * norm * idf
		if qw != 1.0 {
			s *= qw
		}
		h.scores[i] = s
	}
	return h
}

// eval scores the documents n matches.
func (m *memText) eval(n *qnode, qnorm float64) memHits {
	switch n.op {
	case qTerm:
		return m.termHits(n.field, n.term, n.boost, qnorm)
	case qFuzzy:
		terms, dist := m.fuzzyTerms(n)
		if len(terms) == 0 || len(terms) == 1 && terms[0] == n.term {
			return m.termHits(n.field, n.term, n.boost, qnorm)
		}
		subs := make([]memHits, len(terms))
		for i, t := range terms {
			subs[i] = m.termHits(n.field, t, n.boost/float64(dist[i]+1), qnorm)
		}
		return anyOf(subs)
	case qOr, qAnd:
		subs := make([]memHits, len(n.subs))
		for i, c := range n.subs {
			subs[i] = m.eval(c, qnorm)
		}
		if n.op == qOr {
			return anyOf(subs)
		}
		return allOf(subs)
	case qIDs:
		qw := n.boost * qnorm
		var h memHits
		for _, id := range n.ids {
			if d, ok := m.ids[id]; ok {
				h.docs = append(h.docs, d)
			}
		}
		sort.Slice(h.docs, func(i, j int) bool { return h.docs[i] < h.docs[j] })
		h.docs = compactSorted(h.docs)
		h.scores = constScores(len(h.docs), qw)
		return h
	case qAll:
		h := memHits{docs: make([]int32, len(m.docs))}
		for i := range h.docs {
			h.docs[i] = int32(i)
		}
		h.scores = constScores(len(h.docs), n.boost*qnorm)
		return h
	case qRange:
		var h memHits
		for d, doc := range m.docs {
			v := float64(doc.from)
			if n.field == fYearTo {
				v = float64(doc.to)
			}
			if doc.dated && v >= n.lo && v <= n.hi {
				h.docs = append(h.docs, int32(d))
			}
		}
		h.scores = make([]float64, len(h.docs))
		return h
	}
	return memHits{}
}

func constScores(n int, qw float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1.0
		if qw != 1.0 {
			s[i] *= qw
		}
	}
	return s
}

func compactSorted(ds []int32) []int32 {
	out := ds[:0]
	for i, d := range ds {
		if i == 0 || d != ds[i-1] {
			out = append(out, d)
		}
	}
	return out
}

// anyOf merges the clauses of an any-of: a document's score is the sum of
// its clauses' (in clause order) × the share of clauses it matches.
func anyOf(subs []memHits) memHits {
	at := make([]int, len(subs))
	var out memHits
	for {
		next := int32(math.MaxInt32)
		for i, s := range subs {
			if at[i] < len(s.docs) && s.docs[at[i]] < next {
				next = s.docs[at[i]]
			}
		}
		if next == math.MaxInt32 {
			return out
		}
		sum, matched := 0.0, 0
		for i, s := range subs {
			if at[i] < len(s.docs) && s.docs[at[i]] == next {
				sum += s.scores[at[i]]
				matched++
				at[i]++
			}
		}
		out.docs = append(out.docs, next)
		out.scores = append(out.scores, sum*(float64(matched)/float64(len(subs))))
	}
}

// allOf intersects the clauses of an all-of: the sum of their scores.
func allOf(subs []memHits) memHits {
	if len(subs) == 0 {
		return memHits{}
	}
	var out memHits
	at := make([]int, len(subs))
	for j, d := range subs[0].docs {
		sum, ok := subs[0].scores[j], true
		for i := 1; i < len(subs) && ok; i++ {
			s := subs[i]
			for at[i] < len(s.docs) && s.docs[at[i]] < d {
				at[i]++
			}
			if ok = at[i] < len(s.docs) && s.docs[at[i]] == d; ok {
				sum += s.scores[at[i]]
			}
		}
		if ok {
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, sum)
		}
	}
	return out
}

func (m *memText) run(q *qnode) memHits {
	return m.eval(q, 1.0/math.Sqrt(m.weight(q)))
}

func (m *memText) search(ctx context.Context, q *qnode, size int) ([]textHit, uint64, error) {
	h := m.run(q)
	order := make([]int, len(h.docs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return h.scores[order[a]] > h.scores[order[b]] })
	if len(order) > size {
		order = order[:size]
	}
	hits := make([]textHit, len(order))
	for i, o := range order {
		d := m.docs[h.docs[o]]
		hits[i] = textHit{d.id, int(d.k), h.scores[o]}
	}
	return hits, uint64(len(h.docs)), ctx.Err()
}

func (m *memText) count(ctx context.Context, q *qnode) (uint64, error) {
	return uint64(len(m.run(q).docs)), ctx.Err()
}

// each calls f with every name matching q.
func (m *memText) each(ctx context.Context, q *qnode, f func(id int64, k int)) error {
	for _, d := range m.run(q).docs {
		f(m.docs[d].id, int(m.docs[d].k))
	}
	return ctx.Err()
}

func (m *memText) everyName(field, term string) (bool, error) {
	return len(m.posts[m.field(field)][term]) == len(m.docs), nil
}

func (m *memText) termCount(field, term string) (n, all uint64, err error) {
	return uint64(len(m.posts[m.field(field)][term])), uint64(len(m.docs)), nil
}

func (m *memText) close() error { return nil }
