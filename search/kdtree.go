package search

import (
	"container/heap"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// kdTree is the static part of the spatial index: the places' points in
// one array, laid out as an implicit k-d tree. The node of the range
// [lo, hi) is its middle element m = (lo+hi)/2, splitting on longitude at
// even depths and latitude at odd ones: the elements of [lo, m) are not
// greater than it on that axis, those of (m, hi) not less. The array has no
// other structure, so it is saved as it is and read back ready to query
// (spatial.go). A removed place keeps its element with e nil.
type kdTree []kdItem

type kdItem struct {
	p orb.Point
	e *entry // nil once removed
}

// newKDTree lays items out as a k-d tree, in place.
func newKDTree(items []kdItem) kdTree {
	t := kdTree(items)
	t.build(0, len(t), 0)
	return t
}

func (t kdTree) build(lo, hi, axis int) {
	for hi-lo > 1 {
		m := (lo + hi) / 2
		t.selectNth(lo, hi, m, axis)
		t.build(lo, m, 1-axis)
		lo, axis = m+1, 1-axis
	}
}

// selectNth reorders t[lo:hi] so that t[n] is the element a sort on axis
// would put there, none before it greater and none after it less
// (quickselect, pivot the median of three).
func (t kdTree) selectNth(lo, hi, n, axis int) {
	for hi-lo > 1 {
		a, b, c := lo, (lo+hi)/2, hi-1
		if t[b].p[axis] < t[a].p[axis] {
			a, b = b, a
		}
		if t[c].p[axis] < t[b].p[axis] {
			b = c
			if t[b].p[axis] < t[a].p[axis] {
				b = a
			}
		}
		pivot := t[b].p[axis]
		i, j := lo, hi-1
		for i <= j {
			for t[i].p[axis] < pivot {
				i++
			}
			for t[j].p[axis] > pivot {
				j--
			}
			if i <= j {
				t[i], t[j] = t[j], t[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j + 1
		case n >= i:
			lo = i
		default:
			return // between j and i every element equals the pivot
		}
	}
}

// inBound calls f with every place whose point lies in q.
func (t kdTree) inBound(q orb.Bound, f func(kdItem)) { t.inRange(0, len(t), 0, q, f) }

func (t kdTree) inRange(lo, hi, axis int, q orb.Bound, f func(kdItem)) {
	for lo < hi {
		m := (lo + hi) / 2
		it := t[m]
		if it.e != nil && q.Contains(it.p) {
			f(it)
		}
		v := it.p[axis]
		if q.Min[axis] <= v {
			t.inRange(lo, m, 1-axis, q, f)
		}
		if q.Max[axis] < v {
			return
		}
		lo, axis = m+1, 1-axis
	}
}

// find returns the index of e's element (at its point p), or -1.
func (t kdTree) find(p orb.Point, e *entry) int {
	lo, hi, axis := 0, len(t), 0
	return t.findIn(lo, hi, axis, p, e)
}

func (t kdTree) findIn(lo, hi, axis int, p orb.Point, e *entry) int {
	for lo < hi {
		m := (lo + hi) / 2
		if t[m].e == e {
			return m
		}
		v := t[m].p[axis]
		if p[axis] <= v {
			if i := t.findIn(lo, m, 1-axis, p, e); i >= 0 {
				return i
			}
		}
		if p[axis] < v {
			return -1
		}
		lo, axis = m+1, 1-axis
	}
	return -1
}

// nearest returns up to k places nearest pt in planar degrees, as the
// quadtree measures, that keep says to keep, nearest first.
func (t kdTree) nearest(pt orb.Point, k int, keep func(*entry) bool) []kdNear {
	if k <= 0 {
		return nil
	}
	h := &kdHeap{}
	t.nearIn(0, len(t), 0, pt, k, keep, h)
	out := make([]kdNear, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(kdNear)
	}
	return out
}

func (t kdTree) nearIn(lo, hi, axis int, pt orb.Point, k int, keep func(*entry) bool, h *kdHeap) {
	if lo >= hi {
		return
	}
	m := (lo + hi) / 2
	it := t[m]
	if it.e != nil && keep(it.e) {
		if d := planar.DistanceSquared(pt, it.p); h.Len() < k {
			heap.Push(h, kdNear{it.e, d})
		} else if d < (*h)[0].d {
			(*h)[0] = kdNear{it.e, d}
			heap.Fix(h, 0)
		}
	}
	diff := pt[axis] - it.p[axis]
	near, far := [2]int{lo, m}, [2]int{m + 1, hi}
	if diff > 0 {
		near, far = far, near
	}
	t.nearIn(near[0], near[1], 1-axis, pt, k, keep, h)
	if h.Len() < k || diff*diff < (*h)[0].d {
		t.nearIn(far[0], far[1], 1-axis, pt, k, keep, h)
	}
}

// kdNear is a place found by nearest and its squared planar distance.
type kdNear struct {
	e *entry
	d float64
}

// kdHeap keeps the k nearest found so far, the farthest on top.
type kdHeap []kdNear

func (h kdHeap) Len() int           { return len(h) }
func (h kdHeap) Less(i, j int) bool { return h[i].d > h[j].d }
func (h kdHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *kdHeap) Push(x any)        { *h = append(*h, x.(kdNear)) }
func (h *kdHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
