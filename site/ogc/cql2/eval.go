package cql2

import (
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
)

// Record is one feature as a filter sees it.
type Record interface {
	// Values returns the values of a property: strings, float64s, bools
	// or time.Times by the property's kind; none for null. A property
	// with several values (the administrative parents of a place) matches
	// a comparison when any value does.
	Values(name string) []any
	// Geometry returns the feature's geometry in storage coordinates, nil
	// when it has none.
	Geometry() orb.Geometry
}

// Match reports whether the record satisfies the filter: the expression is
// TRUE (an unknown result, from a null, does not match; OGC 21-065r2 §6.3).
func (f *Filter) Match(r Record) bool { return f.root.eval(r) == isTrue }

// tri is a value of three-valued logic (OGC 21-065r2 §6.3), ordered so
// that AND is the minimum and OR the maximum (Kleene's logic).
type tri int8

const (
	isFalse tri = iota
	isUnknown
	isTrue
)

func triOf(b bool) tri {
	if b {
		return isTrue
	}
	return isFalse
}

type expr interface{ eval(Record) tri }

type (
	orExpr    struct{ a, b expr }
	andExpr   struct{ a, b expr }
	notExpr   struct{ e expr }
	constExpr bool
	nullExpr  struct {
		prop string
		neg  bool
	}
	cmpExpr struct {
		prop, op string
		lit      any
	}
	likeExpr struct {
		prop string
		re   *regexp.Regexp
	}
	inExpr struct {
		prop string
		list []any
	}
	betweenExpr struct {
		prop   string
		lo, hi any
	}
	intersectsExpr struct {
		prop string
		lit  orb.Geometry
	}
)

func (e orExpr) eval(r Record) tri  { return max(e.a.eval(r), e.b.eval(r)) }
func (e andExpr) eval(r Record) tri { return min(e.a.eval(r), e.b.eval(r)) }

func (e notExpr) eval(r Record) tri {
	switch e.e.eval(r) {
	case isTrue:
		return isFalse
	case isFalse:
		return isTrue
	}
	return isUnknown
}

func (e constExpr) eval(Record) tri { return triOf(bool(e)) }

func (e nullExpr) eval(r Record) tri { return triOf((len(r.Values(e.prop)) == 0) != e.neg) }

// anyValue is TRUE when test holds for one of the property's values,
// UNKNOWN when it has none.
func anyValue(r Record, prop string, test func(any) bool) tri {
	vs := r.Values(prop)
	if len(vs) == 0 {
		return isUnknown
	}
	for _, v := range vs {
		if test(v) {
			return isTrue
		}
	}
	return isFalse
}

// Compare orders two values of one kind (strings, float64s, bools or
// time.Times, as Record.Values gives them): -1, 0 or 1.
func Compare(a, b any) int {
	switch a := a.(type) {
	case string:
		return strings.Compare(a, b.(string))
	case float64:
		switch b := b.(float64); {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	case bool:
		if a == b.(bool) {
			return 0
		}
		return 1
	case time.Time:
		return a.Compare(b.(time.Time))
	}
	return 1
}

func (e cmpExpr) eval(r Record) tri {
	if e.op == "<>" { // the negation of =, so that a place with several values differs from x when none is x
		return notExpr{cmpExpr{e.prop, "=", e.lit}}.eval(r)
	}
	return anyValue(r, e.prop, func(v any) bool {
		c := Compare(v, e.lit)
		switch e.op {
		case "=":
			return c == 0
		case "<":
			return c < 0
		case ">":
			return c > 0
		case "<=":
			return c <= 0
		case ">=":
			return c >= 0
		}
		return false
	})
}

// compileLike turns a LIKE pattern into a regular expression: % is any run
// of characters, _ one character, \ escapes either (OGC 21-065r2 §7.5.1).
func compileLike(pat string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)^")
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; {
		case c == '\\' && i+1 < len(rs):
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case c == '%':
			b.WriteString(".*")
		case c == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func (e likeExpr) eval(r Record) tri {
	return anyValue(r, e.prop, func(v any) bool { return e.re.MatchString(v.(string)) })
}

func (e inExpr) eval(r Record) tri {
	return anyValue(r, e.prop, func(v any) bool {
		for _, l := range e.list {
			if Compare(v, l) == 0 {
				return true
			}
		}
		return false
	})
}

func (e betweenExpr) eval(r Record) tri {
	return anyValue(r, e.prop, func(v any) bool { return Compare(v, e.lo) >= 0 && Compare(v, e.hi) <= 0 })
}

func (e intersectsExpr) eval(r Record) tri {
	g := r.Geometry()
	if g == nil {
		return isUnknown
	}
	switch lit := e.lit.(type) {
	case orb.Bound:
		return triOf(clip.Geometry(lit, orb.Clone(g)) != nil)
	case orb.Point:
		return triOf(containsPoint(g, lit))
	}
	return isFalse
}

// containsPoint reports whether the point p lies on or in g.
func containsPoint(g orb.Geometry, p orb.Point) bool {
	if !g.Bound().Contains(p) {
		return false
	}
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p) || planar.DistanceFrom(g, p) == 0
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p) || planar.DistanceFrom(g, p) == 0
	case orb.Collection:
		for _, c := range g {
			if containsPoint(c, p) {
				return true
			}
		}
		return false
	}
	return planar.DistanceFrom(g, p) == 0
}
