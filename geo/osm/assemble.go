package osm

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Member is a member way of a relation with its role and resolved line.
type Member struct {
	Way  int64
	Role string // outer, inner, or "" (treated as outer, as the OSM wiki's multipolygon rules allow)
	Line orb.LineString
}

// RelationError says why a relation's area could not be built, naming the
// relation: an open ring, an inner ring outside every outer ring, member
// ways missing from the extract. Nothing is guessed to close a ring.
type RelationError struct {
	Relation int64
	Msg      string
}

func (e *RelationError) Error() string { return fmt.Sprintf("relation %d: %s", e.Relation, e.Msg) }

// AssembleArea builds the area of a multipolygon or boundary relation from
// its member ways (https://wiki.openstreetmap.org/wiki/Relation:multipolygon):
// the outer ways joined end to end into rings, likewise the inner ways, each
// inner ring put in the outer ring that contains it. Rings are oriented as
// RFC 7946 §3.1.6 asks (outer counterclockwise, holes clockwise). The result
// is a Polygon for one outer ring, else a MultiPolygon.
func AssembleArea(relation int64, members []Member) (orb.Geometry, error) {
	var outer, inner []Member
	for _, m := range members {
		if m.Role == "inner" {
			inner = append(inner, m)
		} else {
			outer = append(outer, m)
		}
	}
	if len(outer) == 0 {
		return nil, &RelationError{relation, "no outer ways"}
	}
	outs, err := joinRings(outer)
	if err != nil {
		return nil, &RelationError{relation, "outer " + err.Error()}
	}
	ins, err := joinRings(inner)
	if err != nil {
		return nil, &RelationError{relation, "inner " + err.Error()}
	}
	mp := make(orb.MultiPolygon, len(outs))
	for i, r := range outs {
		if r.Orientation() != orb.CCW {
			r.Reverse()
		}
		mp[i] = orb.Polygon{r}
	}
	// Smallest outer rings first: an island's lake sits in the island, not
	// in the lake around it.
	sort.SliceStable(mp, func(i, j int) bool { return planar.Area(mp[i][0]) < planar.Area(mp[j][0]) })
	for k, r := range ins {
		if r.Orientation() != orb.CW {
			r.Reverse()
		}
		placed := false
		for i := range mp {
			if planar.RingContains(mp[i][0], r[0]) {
				mp[i] = append(mp[i], r)
				placed = true
				break
			}
		}
		if !placed {
			return nil, &RelationError{relation, fmt.Sprintf("inner ring %d lies in no outer ring", k+1)}
		}
	}
	if len(mp) == 1 {
		return mp[0], nil
	}
	return mp, nil
}

// joinRings joins lines end to end into closed rings (endpoints equal; the
// ways of a ring share their end nodes). A chain that cannot be closed is an
// error naming the ways in it and where it stops.
func joinRings(ms []Member) ([]orb.Ring, error) {
	used := make([]bool, len(ms))
	byEnd := map[orb.Point][]int{}
	for i, m := range ms {
		byEnd[m.Line[0]] = append(byEnd[m.Line[0]], i)
		byEnd[m.Line[len(m.Line)-1]] = append(byEnd[m.Line[len(m.Line)-1]], i)
	}
	var rings []orb.Ring
	for i := range ms {
		if used[i] {
			continue
		}
		used[i] = true
		chain := append(orb.LineString(nil), ms[i].Line...)
		ways := []int64{ms[i].Way}
		for chain[0] != chain[len(chain)-1] {
			tail := chain[len(chain)-1]
			next := -1
			for _, j := range byEnd[tail] {
				if !used[j] {
					next = j
					break
				}
			}
			if next < 0 {
				return nil, fmt.Errorf("ring of way %s does not close: it ends at %.7f,%.7f, where no other member way starts",
					idList(ways), tail[0], tail[1])
			}
			used[next] = true
			ways = append(ways, ms[next].Way)
			l := ms[next].Line
			if l[0] == tail {
				chain = append(chain, l[1:]...)
			} else {
				for k := len(l) - 2; k >= 0; k-- {
					chain = append(chain, l[k])
				}
			}
		}
		if len(chain) < 4 {
			return nil, fmt.Errorf("ring of way %s has fewer than 4 points", idList(ways))
		}
		rings = append(rings, orb.Ring(chain))
	}
	return rings, nil
}

func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
