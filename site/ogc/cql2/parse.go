// Package cql2 reads the text encoding of the OGC Common Query Language
// (CQL2, OGC 21-065r2) as OGC API – Features Part 3 (OGC 19-079r2) uses it
// in the filter parameter, and evaluates a filter against one feature.
//
// It implements the conformance classes Basic CQL2 (comparisons of a
// property with a literal: = <> < > <= >=, IS [NOT] NULL, AND, OR, NOT,
// three-valued logic), Advanced Comparison Operators ([NOT] LIKE, [NOT]
// BETWEEN, [NOT] IN) and Basic Spatial Functions (S_INTERSECTS of the
// geometry with a POINT or BBOX literal). It is written here because no
// maintained Go library parses CQL2 text; the grammar followed is the BNF
// of OGC 21-065r2 Annex B, restricted to those classes.
package cql2

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Kind is the type of a queryable property.
type Kind int

// The kinds of queryables (OGC 19-079r2 §6.2: the JSON Schema type).
const (
	String Kind = iota + 1
	Number
	Boolean
	Timestamp // an RFC 3339 instant or a date; compared with DATE() and TIMESTAMP() literals
	Geometry
)

func (k Kind) String() string {
	switch k {
	case String:
		return "text (compare it with a quoted string such as '山塘街')"
	case Number:
		return "a number"
	case Boolean:
		return "true or false"
	case Timestamp:
		return "a date (compare it with DATE('2024-01-31') or TIMESTAMP('2024-01-31T00:00:00Z'))"
	case Geometry:
		return "the geometry (use it in S_INTERSECTS)"
	}
	return "unknown"
}

// Options tell the parser which properties exist and how the coordinates
// of spatial literals become storage coordinates.
type Options struct {
	// Queryable returns the kind of a property, false for a property that
	// cannot be queried.
	Queryable func(name string) (Kind, bool)
	// Point converts a point literal from the filter's CRS (filter-crs),
	// axes in that CRS's order; nil keeps it.
	Point func(orb.Point) orb.Point
	// BBox converts a BBOX literal likewise; nil keeps it.
	BBox func(orb.Bound) orb.Bound
}

// Error is a filter that cannot be read: where (a 1-based character
// position) and what was wanted.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos, e.Msg) }

// Filter is a parsed CQL2 expression.
type Filter struct {
	root expr
	text string
}

// String returns the text the filter was parsed from.
func (f *Filter) String() string { return f.text }

// Parse reads a CQL2 text expression.
func Parse(text string, o Options) (*Filter, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, o: o}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errAt(t, "unexpected "+t.show()+"; join conditions with AND or OR")
	}
	return &Filter{root: e, text: text}, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tOp // = <> < > <= >=
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // identifier (unquoted), string value, number, operator
	pos  int    // 1-based character position
	word bool   // an unquoted identifier (may be a keyword)
}

func (t token) show() string {
	switch t.kind {
	case tEOF:
		return "end of filter"
	case tString:
		return "'" + t.text + "'"
	}
	return strconv.Quote(t.text)
}

// is reports whether t is the keyword kw (case-insensitive, unquoted).
func (t token) is(kw string) bool { return t.kind == tIdent && t.word && strings.EqualFold(t.text, kw) }

func lex(s string) ([]token, error) {
	var out []token
	pos := 0 // character position of i
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		start := pos + 1
		switch {
		case unicode.IsSpace(r):
			i, pos = i+n, pos+1
			continue
		case r == '\'':
			var b strings.Builder
			j, p := i+1, pos+1
			for {
				if j >= len(s) {
					return nil, &Error{start, "the string that starts here has no closing quote (')"}
				}
				c, m := utf8.DecodeRuneInString(s[j:])
				if c == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' { // '' is a quote inside a string
						b.WriteByte('\'')
						j, p = j+2, p+2
						continue
					}
					j, p = j+1, p+1
					break
				}
				b.WriteRune(c)
				j, p = j+m, p+1
			}
			out = append(out, token{kind: tString, text: b.String(), pos: start})
			i, pos = j, p
			continue
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, &Error{start, "the quoted property name that starts here has no closing quote (\")"}
			}
			name := s[i+1 : i+1+end]
			out = append(out, token{kind: tIdent, text: name, pos: start})
			pos += utf8.RuneCountInString(name) + 2
			i += end + 2
			continue
		case r == '(' || r == ')' || r == ',':
			k := map[rune]tokKind{'(': tLParen, ')': tRParen, ',': tComma}[r]
			out = append(out, token{kind: k, text: string(r), pos: start})
		case r == '=':
			out = append(out, token{kind: tOp, text: "=", pos: start})
		case r == '<' || r == '>':
			op := string(r)
			if i+1 < len(s) && (s[i+1] == '=' || (r == '<' && s[i+1] == '>')) {
				op += string(s[i+1])
			}
			out = append(out, token{kind: tOp, text: op, pos: start})
			i, pos = i+len(op), pos+len(op)
			continue
		case r == '-' || r == '+' || r == '.' || (r >= '0' && r <= '9'):
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
				((s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E'))) {
				j++
			}
			if _, err := strconv.ParseFloat(s[i:j], 64); err != nil {
				return nil, &Error{start, strconv.Quote(s[i:j]) + " is not a number"}
			}
			out = append(out, token{kind: tNumber, text: s[i:j], pos: start})
			pos += j - i
			i = j
			continue
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(s) {
				c, m := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '_' && c != '.' && c != ':' {
					break
				}
				j += m
			}
			out = append(out, token{kind: tIdent, text: s[i:j], pos: start, word: true})
			pos += utf8.RuneCountInString(s[i:j])
			i = j
			continue
		default:
			return nil, &Error{start, fmt.Sprintf("%q cannot appear here", r)}
		}
		i, pos = i+n, pos+1
	}
	return append(out, token{kind: tEOF, pos: pos + 1}), nil
}

type parser struct {
	toks []token
	i    int
	o    Options
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}
func (p *parser) errAt(t token, msg string) error { return &Error{t.pos, msg} }

func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.errAt(t, "expected "+what+", found "+t.show())
	}
	return t, nil
}

func (p *parser) or() (expr, error) {
	e, err := p.and()
	for err == nil && p.peek().is("OR") {
		p.next()
		var r expr
		if r, err = p.and(); err == nil {
			e = orExpr{e, r}
		}
	}
	return e, err
}

func (p *parser) and() (expr, error) {
	e, err := p.not()
	for err == nil && p.peek().is("AND") {
		p.next()
		var r expr
		if r, err = p.not(); err == nil {
			e = andExpr{e, r}
		}
	}
	return e, err
}

func (p *parser) not() (expr, error) {
	if p.peek().is("NOT") {
		p.next()
		e, err := p.not()
		return notExpr{e}, err
	}
	return p.primary()
}

func (p *parser) primary() (expr, error) {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		_, err = p.expect(tRParen, "a closing parenthesis")
		return e, err
	case t.is("TRUE") || t.is("FALSE"):
		p.next()
		return constExpr(t.is("TRUE")), nil
	case t.is("S_INTERSECTS"):
		return p.intersects()
	case t.kind == tIdent:
		return p.predicate()
	}
	return nil, p.errAt(t, "expected a condition such as name = '山塘街', found "+t.show())
}

// property reads a queryable's name.
func (p *parser) property() (string, Kind, error) {
	t := p.next()
	if t.kind != tIdent {
		return "", 0, p.errAt(t, "expected a property name, found "+t.show())
	}
	k, ok := p.o.Queryable(t.text)
	if !ok {
		return "", 0, p.errAt(t, strconv.Quote(t.text)+" is not a queryable property (see the collection's queryables)")
	}
	return t.text, k, nil
}

func (p *parser) predicate() (expr, error) {
	start := p.peek()
	name, kind, err := p.property()
	if err != nil {
		return nil, err
	}
	if kind == Geometry {
		return nil, p.errAt(start, name+" is the geometry: test it with S_INTERSECTS("+name+", BBOX(…)) or POINT(…)")
	}
	t := p.next()
	if t.is("IS") {
		neg := false
		if p.peek().is("NOT") {
			p.next()
			neg = true
		}
		if n := p.next(); !n.is("NULL") {
			return nil, p.errAt(n, "expected NULL after IS")
		}
		return nullExpr{name, neg}, nil
	}
	neg := false
	if t.is("NOT") {
		neg = true
		t = p.next()
		if !t.is("LIKE") && !t.is("IN") && !t.is("BETWEEN") {
			return nil, p.errAt(t, "expected LIKE, IN or BETWEEN after NOT")
		}
	}
	var e expr
	switch {
	case t.kind == tOp:
		v, err := p.literal(name, kind)
		if err != nil {
			return nil, err
		}
		if kind == Boolean && t.text != "=" && t.text != "<>" {
			return nil, p.errAt(t, name+" is true or false: compare it with = or <>")
		}
		e = cmpExpr{name, t.text, v}
	case t.is("LIKE"):
		if kind != String {
			return nil, p.errAt(t, "LIKE compares text, and "+name+" is "+kind.String())
		}
		pat, err := p.expect(tString, "a quoted pattern such as '山塘%'")
		if err != nil {
			return nil, err
		}
		e = likeExpr{name, compileLike(pat.text)}
	case t.is("IN"):
		if _, err := p.expect(tLParen, "( after IN"); err != nil {
			return nil, err
		}
		var list []any
		for {
			v, err := p.literal(name, kind)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			if c := p.next(); c.kind == tRParen {
				break
			} else if c.kind != tComma {
				return nil, p.errAt(c, "expected , or ) in the IN list, found "+c.show())
			}
		}
		e = inExpr{name, list}
	case t.is("BETWEEN"):
		lo, err := p.literal(name, kind)
		if err != nil {
			return nil, err
		}
		if a := p.next(); !a.is("AND") {
			return nil, p.errAt(a, "expected AND between the two bounds of BETWEEN")
		}
		hi, err := p.literal(name, kind)
		if err != nil {
			return nil, err
		}
		e = betweenExpr{name, lo, hi}
	default:
		return nil, p.errAt(t, "expected a comparison (=, <>, <, >, <=, >=), LIKE, IN, BETWEEN or IS NULL after "+name+", found "+t.show())
	}
	if neg {
		e = notExpr{e}
	}
	return e, nil
}

// literal reads a literal of the property's kind.
func (p *parser) literal(name string, kind Kind) (any, error) {
	t := p.next()
	wrong := func() error { return p.errAt(t, name+" is "+kind.String()+"; found "+t.show()) }
	switch kind {
	case String:
		if t.kind != tString {
			return nil, wrong()
		}
		return t.text, nil
	case Number:
		if t.kind != tNumber {
			return nil, wrong()
		}
		f, _ := strconv.ParseFloat(t.text, 64)
		return f, nil
	case Boolean:
		if !t.is("TRUE") && !t.is("FALSE") {
			return nil, wrong()
		}
		return t.is("TRUE"), nil
	case Timestamp:
		if !t.is("DATE") && !t.is("TIMESTAMP") {
			return nil, wrong()
		}
		if _, err := p.expect(tLParen, "( after "+strings.ToUpper(t.text)); err != nil {
			return nil, err
		}
		s, err := p.expect(tString, "a quoted date")
		if err != nil {
			return nil, err
		}
		tm, ok := ParseTime(s.text)
		if !ok {
			return nil, p.errAt(s, "'"+s.text+"' is not a date (2024-01-31) or an RFC 3339 timestamp (2024-01-31T08:00:00Z)")
		}
		if _, err := p.expect(tRParen, "a closing parenthesis"); err != nil {
			return nil, err
		}
		return tm, nil
	}
	return nil, wrong()
}

// ParseTime reads an RFC 3339 timestamp or a date (taken as 00:00 UTC).
func ParseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// intersects reads S_INTERSECTS(property, literal) in either order.
func (p *parser) intersects() (expr, error) {
	fn := p.next()
	if _, err := p.expect(tLParen, "( after S_INTERSECTS"); err != nil {
		return nil, err
	}
	var e intersectsExpr
	for i := 0; i < 2; i++ {
		t := p.peek()
		if t.is("POINT") || t.is("BBOX") {
			g, err := p.spatialLiteral()
			if err != nil {
				return nil, err
			}
			e.lit = g
		} else {
			name, kind, err := p.property()
			if err != nil {
				return nil, err
			}
			if kind != Geometry {
				return nil, p.errAt(t, "S_INTERSECTS needs the geometry property, and "+name+" is "+kind.String())
			}
			e.prop = name
		}
		if i == 0 {
			if _, err := p.expect(tComma, ", between the two arguments of S_INTERSECTS"); err != nil {
				return nil, err
			}
		}
	}
	if _, err := p.expect(tRParen, "a closing parenthesis"); err != nil {
		return nil, err
	}
	if e.prop == "" || e.lit == nil {
		return nil, p.errAt(fn, "S_INTERSECTS takes the geometry property and a POINT or BBOX literal")
	}
	return e, nil
}

func (p *parser) numbers(n int, what string) ([]float64, error) {
	var out []float64
	for len(out) < n {
		if len(out) > 0 && what == "BBOX" {
			if _, err := p.expect(tComma, ", between the numbers of BBOX"); err != nil {
				return nil, err
			}
		}
		t, err := p.expect(tNumber, "a number in "+what)
		if err != nil {
			return nil, err
		}
		f, _ := strconv.ParseFloat(t.text, 64)
		out = append(out, f)
	}
	return out, nil
}

// spatialLiteral reads POINT(x y) or BBOX(x1, y1, x2, y2), in the filter's
// CRS and axis order, and returns it in storage coordinates.
func (p *parser) spatialLiteral() (orb.Geometry, error) {
	t := p.next()
	if _, err := p.expect(tLParen, "( after "+strings.ToUpper(t.text)); err != nil {
		return nil, err
	}
	if t.is("POINT") {
		n, err := p.numbers(2, "POINT (two numbers separated by a space)")
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "a closing parenthesis"); err != nil {
			return nil, err
		}
		pt := orb.Point{n[0], n[1]}
		if p.o.Point != nil {
			pt = p.o.Point(pt)
		}
		return pt, nil
	}
	n, err := p.numbers(4, "BBOX")
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "a closing parenthesis (BBOX takes four numbers: the lower corner, then the upper)"); err != nil {
		return nil, err
	}
	if n[0] > n[2] || n[1] > n[3] {
		return nil, p.errAt(t, "BBOX takes the lower corner first: BBOX(minX, minY, maxX, maxY)")
	}
	b := orb.Bound{Min: orb.Point{n[0], n[1]}, Max: orb.Point{n[2], n[3]}}
	if p.o.BBox != nil {
		b = p.o.BBox(b)
	}
	return b, nil
}
