package osm

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// stream is one read in progress: the indexes and the counters.
//
// Each object is first filed (its node location or its way's node list
// goes to the index) and then, when wanted, handed on with its geometry.
// Reading PBF, the decoder's goroutine files objects as it decodes them
// (osmpbf's Filter hooks) and hands on only the wanted ones, so the bulk of
// an extract (untagged nodes, buildings) is never allocated; other formats
// do both steps on the reading goroutine. The indexes are written by one
// goroutine only, in file order, and frozen before they are read.
type stream struct {
	rd    *Reader
	nodes *NodeIndex
	ways  *WayIndex
	cr    *countingReader
	refs  []int64 // reused buffer of the handing-on goroutine
	frefs []int64 // reused buffer of the filing goroutine
	// filtered is set when the PBF decoder files objects itself; err is
	// the first error it met.
	filtered          bool
	err               error
	nodeN, wayN, relN atomic.Int64
}

// fileNode records a node's location and reports whether it is wanted.
func (s *stream) fileNode(n *osm.Node) (bool, error) {
	s.nodeN.Add(1)
	if err := s.nodes.Add(int64(n.ID), fixed(n.Lon, n.Lat)); err != nil {
		return false, err
	}
	return len(n.Tags) > 0 && s.keep("node", n.Tags), nil
}

// fileWay records a way's node list and reports whether it is wanted.
func (s *stream) fileWay(w *osm.Way) (bool, error) {
	s.wayN.Add(1)
	if err := s.nodes.Freeze(); err != nil {
		return false, err
	}
	s.frefs = s.frefs[:0]
	for _, n := range w.Nodes {
		s.frefs = append(s.frefs, int64(n.ID))
	}
	if err := s.ways.Add(int64(w.ID), s.frefs); err != nil {
		return false, err
	}
	return len(w.Tags) > 0 && s.keep("way", w.Tags), nil
}

// fileRelation freezes the indexes and reports whether a relation is wanted.
func (s *stream) fileRelation(r *osm.Relation) (bool, error) {
	s.relN.Add(1)
	if err := s.nodes.Freeze(); err != nil {
		return false, err
	}
	if err := s.ways.Freeze(); err != nil {
		return false, err
	}
	return len(r.Tags) > 0 && s.keep("relation", r.Tags), nil
}

// filter adapts a filing step to osmpbf's Filter hooks: an error stops the
// filing and is reported after the read.
func filter[T any](s *stream, file func(T) (bool, error)) func(T) bool {
	return func(o T) bool {
		if s.err != nil {
			return false
		}
		keep, err := file(o)
		if err != nil {
			s.err = err
		}
		return keep && err == nil
	}
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

// counts returns the counters.
func (s *stream) counts() Stats {
	st := Stats{Nodes: s.nodeN.Load(), Ways: s.wayN.Load(), Relations: s.relN.Load()}
	if s.cr != nil {
		st.Bytes = s.cr.n.Load()
	}
	return st
}

// report calls progress every 200 ms until stop, and once more at stop.
func (s *stream) report(progress func(Stats)) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				progress(s.counts())
			case <-done:
				progress(s.counts())
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
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
		if !s.filtered {
			if keep, err := s.fileNode(o); err != nil || !keep {
				return err
			}
		}
		return fn(&Object{Type: "node", ID: int64(o.ID), Tags: o.Tags, Geometry: fixed(o.Lon, o.Lat)})
	case *osm.Way:
		if !s.filtered {
			if keep, err := s.fileWay(o); err != nil || !keep {
				return err
			}
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
		if !s.filtered {
			if keep, err := s.fileRelation(o); err != nil || !keep {
				return err
			}
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
