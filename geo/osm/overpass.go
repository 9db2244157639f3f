package osm

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/paulmach/osm"
)

// overpassPoint is a vertex of Overpass `out geom` output; null where a
// node lies outside the query's bounding box.
type overpassPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type overpassMember struct {
	Type     string           `json:"type"`
	Ref      int64            `json:"ref"`
	Role     string           `json:"role"`
	Geometry []*overpassPoint `json:"geometry"`
}

type overpassElement struct {
	Type     string            `json:"type"`
	ID       int64             `json:"id"`
	Lat      float64           `json:"lat"`
	Lon      float64           `json:"lon"`
	Tags     map[string]string `json:"tags"`
	Nodes    []int64           `json:"nodes"`
	Geometry []*overpassPoint  `json:"geometry"`
	Members  []overpassMember  `json:"members"`
}

// overpassScanner hands on the elements of an Overpass JSON document,
// nodes first, then ways, then relations (Overpass may write them in any
// order, e.g. `out body; >; out skel qt;` puts ways before their nodes).
type overpassScanner struct {
	objs []osm.Object
	i    int
}

func readOverpass(r io.Reader) (*overpassScanner, error) {
	var doc struct {
		Elements []overpassElement `json:"elements"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		var se *json.SyntaxError
		if ok := asSyntax(err, &se); ok {
			return nil, fmt.Errorf("broken JSON at byte %d: %v", se.Offset, err)
		}
		return nil, fmt.Errorf("not Overpass JSON: %v", err)
	}
	rank := map[string]int{"node": 0, "way": 1, "relation": 2}
	sort.SliceStable(doc.Elements, func(i, j int) bool { return rank[doc.Elements[i].Type] < rank[doc.Elements[j].Type] })
	s := &overpassScanner{}
	for i, e := range doc.Elements {
		tags := overpassTags(e.Tags)
		switch e.Type {
		case "node":
			s.objs = append(s.objs, &osm.Node{ID: osm.NodeID(e.ID), Lat: e.Lat, Lon: e.Lon, Tags: tags})
		case "way":
			w := &osm.Way{ID: osm.WayID(e.ID), Tags: tags}
			if len(e.Geometry) > 0 && len(e.Geometry) != len(e.Nodes) && len(e.Nodes) > 0 {
				return nil, fmt.Errorf("elements[%d] (way %d): %d nodes but %d geometry points", i, e.ID, len(e.Nodes), len(e.Geometry))
			}
			n := len(e.Nodes)
			if n == 0 {
				n = len(e.Geometry)
			}
			w.Nodes = make(osm.WayNodes, n)
			for k := range w.Nodes {
				if k < len(e.Nodes) {
					w.Nodes[k].ID = osm.NodeID(e.Nodes[k])
				}
				if k < len(e.Geometry) && e.Geometry[k] != nil {
					w.Nodes[k].Lat, w.Nodes[k].Lon = e.Geometry[k].Lat, e.Geometry[k].Lon
				}
			}
			s.objs = append(s.objs, w)
		case "relation":
			rel := &osm.Relation{ID: osm.RelationID(e.ID), Tags: tags}
			for _, m := range e.Members {
				mm := osm.Member{Type: osm.Type(m.Type), Ref: m.Ref, Role: m.Role}
				for _, g := range m.Geometry {
					if g == nil {
						mm.Nodes = append(mm.Nodes, osm.WayNode{}) // outside the query: resolved from the node index or missing
						continue
					}
					mm.Nodes = append(mm.Nodes, osm.WayNode{Lat: g.Lat, Lon: g.Lon})
				}
				rel.Members = append(rel.Members, mm)
			}
			s.objs = append(s.objs, rel)
		}
	}
	return s, nil
}

func overpassTags(m map[string]string) osm.Tags {
	if len(m) == 0 {
		return nil
	}
	t := make(osm.Tags, 0, len(m))
	for k, v := range m {
		t = append(t, osm.Tag{Key: k, Value: v})
	}
	sort.Slice(t, func(i, j int) bool { return t[i].Key < t[j].Key })
	return t
}

func (s *overpassScanner) Scan() bool {
	if s.i >= len(s.objs) {
		return false
	}
	s.i++
	return true
}

func (s *overpassScanner) Object() osm.Object { return s.objs[s.i-1] }
func (s *overpassScanner) Err() error         { return nil }
func (s *overpassScanner) Close() error       { return nil }

func asSyntax(err error, se **json.SyntaxError) bool {
	e, ok := err.(*json.SyntaxError)
	if ok {
		*se = e
	}
	return ok
}
