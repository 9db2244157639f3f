package search

import "math"

// Paging: the page a query asks for, cut from the ranked list, as hits.

// page cuts the page q asks for (From, Size) out of the ranked list and
// makes its hits.
func page(list []*scored, q Query, qt qtext) []Hit {
	if q.From < len(list) {
		list = list[q.From:min(len(list), q.From+q.Size)]
	} else {
		list = nil
	}
	hits := make([]Hit, 0, len(list))
	for _, s := range list {
		hits = append(hits, s.hit(qt))
	}
	return hits
}

// hit is the result of a ranked name: the place, the name that matched
// and how, the span of the match in it, and the distance.
func (s *scored) hit(qt qtext) Hit {
	e, n := s.e, s.e.Names[s.k]
	h := Hit{
		ID: e.ID, Score: math.Round(s.score*1000) / 1000, Name: e.Names[0].Text,
		Matched: Matched{Text: n.Text, Kind: n.Kind, Start: n.Start, End: n.End, How: s.m.how},
		Class:   e.Class, Subclass: e.Subclass, Status: e.Status, Admin: e.Admin, Pinyin: e.Pinyin, Point: e.Point,
	}
	for _, x := range e.Heritage {
		h.Heritage = append(h.Heritage, x.List)
	}
	h.English = e.english()
	if s.dist >= 0 {
		d := math.Round(s.dist*10) / 10
		h.DistanceM = &d
	}
	if s.ok {
		norm, idx := normMap(n.Text)
		if m, ok := classify(norm, qt); ok && m.end > m.start && m.end <= len(idx) {
			rs, re := idx[m.start], idx[m.end-1]+1
			h.Matched.Span = Span{RuneStart: rs, RuneEnd: re, Start: byteOffset(n.Text, rs), End: byteOffset(n.Text, re)}
		}
	}
	return h
}

func byteOffset(s string, runeIdx int) int {
	i := 0
	for b := range s {
		if i == runeIdx {
			return b
		}
		i++
	}
	return len(s)
}
