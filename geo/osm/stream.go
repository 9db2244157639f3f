package osm

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// stream is one read in progress: the indexes and the counters.
type stream struct {
	rd    *Reader
	nodes *NodeIndex
	ways  *WayIndex
	stats Stats
	refs  []int64 // reused buffer
	n     int
}

func newStream(rd *Reader) (*stream, error) {
	nodes, err := NewNodeIndex(rd.TempDir)
	if err != nil {
		return nil, err
	}
	ways, err := NewWayIndex(rd.TempDir)
	if err != nil {
		nodes.Close()
		return nil, err
	}
	return &stream{rd: rd, nodes: nodes, ways: ways}, nil
}

func (s *stream) close() {
	s.nodes.Close()
	s.ways.Close()
}

// tick is true every 64k objects: when to report progress.
func (s *stream) tick() bool {
	s.n++
	return s.n&0xFFFF == 0
}

func (s *stream) keep(typ string, tags osm.Tags) bool {
	if s.rd.Keep == nil {
		return len(tags) > 0
	}
	return s.rd.Keep(typ, tags)
}

func (s *stream) object(o osm.Object, fn func(*Object) error) error {
	switch o := o.(type) {
	case *osm.Node:
		s.stats.Nodes++
		p := fixed(o.Lon, o.Lat)
		if err := s.nodes.Add(int64(o.ID), p); err != nil {
			return err
		}
		if len(o.Tags) > 0 && s.keep("node", o.Tags) {
			return fn(&Object{Type: "node", ID: int64(o.ID), Tags: o.Tags, Geometry: p})
		}
	case *osm.Way:
		s.stats.Ways++
		if err := s.nodes.Freeze(); err != nil {
			return err
		}
		s.refs = s.refs[:0]
		for _, n := range o.Nodes {
			s.refs = append(s.refs, int64(n.ID))
		}
		if err := s.ways.Add(int64(o.ID), s.refs); err != nil {
			return err
		}
		if len(o.Tags) == 0 || !s.keep("way", o.Tags) {
			return nil
		}
		obj := &Object{Type: "way", ID: int64(o.ID), Tags: o.Tags}
		ls, missing := s.line(o.Nodes)
		switch {
		case len(ls) < 2:
			obj.Err = fmt.Errorf("way %d: its nodes are not in the extract", o.ID)
		default:
			obj.Geometry = ls
			obj.Closed = missing == 0 && len(o.Nodes) > 3 && o.Nodes[0].ID == o.Nodes[len(o.Nodes)-1].ID
		}
		return fn(obj)
	case *osm.Relation:
		s.stats.Relations++
		if err := s.nodes.Freeze(); err != nil {
			return err
		}
		if err := s.ways.Freeze(); err != nil {
			return err
		}
		if len(o.Tags) == 0 || !s.keep("relation", o.Tags) {
			return nil
		}
		return fn(s.relation(o))
	}
	return nil
}

// line resolves way nodes to a line: coordinates carried by the file
// (Overpass `out geom`) or else looked up in the node index. missing counts
// nodes found in neither.
func (s *stream) line(ns osm.WayNodes) (orb.LineString, int) {
	ls := make(orb.LineString, 0, len(ns))
	missing := 0
	for _, n := range ns {
		if n.Lat != 0 || n.Lon != 0 {
			ls = append(ls, fixed(n.Lon, n.Lat))
			continue
		}
		p, ok := s.nodes.Get(int64(n.ID))
		if !ok {
			missing++
			continue
		}
		ls = append(ls, p)
	}
	return ls, missing
}

// memberLine is the line of a relation's member way.
func (s *stream) memberLine(m osm.Member) (orb.LineString, bool) {
	if len(m.Nodes) > 0 {
		ls, missing := s.line(m.Nodes)
		return ls, missing == 0 && len(ls) >= 2
	}
	var ok bool
	s.refs, ok = s.ways.Refs(m.Ref, s.refs[:0])
	if !ok {
		return nil, false
	}
	ls := make(orb.LineString, 0, len(s.refs))
	for _, id := range s.refs {
		p, ok := s.nodes.Get(id)
		if !ok {
			return nil, false
		}
		ls = append(ls, p)
	}
	return ls, len(ls) >= 2
}

// relation builds a relation's geometry: an area for multipolygon and
// boundary relations, the member ways' lines otherwise.
func (s *stream) relation(r *osm.Relation) *Object {
	obj := &Object{Type: "relation", ID: int64(r.ID), Tags: r.Tags}
	typ := r.Tags.Find("type")
	area := typ == "multipolygon" || typ == "boundary"
	var members []Member
	var missing []int64
	for _, m := range r.Members {
		if m.Type != osm.TypeWay {
			continue
		}
		if area && m.Role != "" && m.Role != "outer" && m.Role != "inner" {
			continue // subarea, admin_centre's way …
		}
		ls, ok := s.memberLine(m)
		if !ok {
			missing = append(missing, m.Ref)
			continue
		}
		members = append(members, Member{Way: m.Ref, Role: m.Role, Line: ls})
	}
	switch {
	case len(missing) > 0:
		obj.Err = &RelationError{Relation: int64(r.ID), Msg: fmt.Sprintf("member way %s not (completely) in the extract", idList(missing))}
	case len(members) == 0:
		obj.Err = &RelationError{Relation: int64(r.ID), Msg: "no member ways"}
	case area:
		obj.Geometry, obj.Err = AssembleArea(int64(r.ID), members)
	default:
		mls := make(orb.MultiLineString, len(members))
		for i, m := range members {
			mls[i] = m.Line
		}
		obj.Geometry = mls
	}
	return obj
}

// fixed rounds a location to OSM's 1e-7 degrees, so that a node reads the
// same from PBF (integers times a granularity), XML (decimal text) and the
// node index: the same extract in another format changes nothing.
func fixed(lon, lat float64) orb.Point {
	return orb.Point{math.Round(lon*coordScale) / coordScale, math.Round(lat*coordScale) / coordScale}
}
