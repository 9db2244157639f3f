package cql2

import (
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// rec is a place as the OGC service presents it to filters.
type rec struct {
	vals map[string][]any
	geom orb.Geometry
}

func (r rec) Values(n string) []any  { return r.vals[n] }
func (r rec) Geometry() orb.Geometry { return r.geom }

var kinds = map[string]Kind{"name": String, "category": String, "admin": String, "rank": Number,
	"heritage": Boolean, "updated": Timestamp, "geometry": Geometry, "code": String}

func opts() Options {
	return Options{Queryable: func(n string) (Kind, bool) { k, ok := kinds[n]; return k, ok }}
}

func TestMatch(t *testing.T) {
	upd, _ := time.Parse(time.RFC3339, "2026-11-30T08:00:00Z")
	beisita := rec{vals: map[string][]any{"name": {"北寺塔"}, "category": {"纪念地旅游景点"}, "admin": {"320500", "320508"},
		"rank": {0.7}, "heritage": {true}, "updated": {upd}}, geom: orb.Point{120.6154018, 31.3245428}}
	zhouzhuang := rec{vals: map[string][]any{"name": {"周庄"}, "admin": {"320500", "320583"}, "rank": {0.5}, "heritage": {false}},
		geom: orb.Polygon{{{120.84, 31.10}, {120.87, 31.10}, {120.87, 31.13}, {120.84, 31.13}, {120.84, 31.10}}}}
	for _, tc := range []struct {
		filter string
		r      rec
		want   bool
	}{
		{"name = '北寺塔'", beisita, true},
		{"name <> '北寺塔'", beisita, false},
		{`"name" = '北寺塔'`, beisita, true},
		{"name LIKE '北%'", beisita, true},
		{"name LIKE '_寺_'", beisita, true},
		{"name NOT LIKE '北%'", beisita, false},
		{"name IN ('周庄', '北寺塔')", beisita, true},
		{"name NOT IN ('周庄')", beisita, true},
		{"admin = '320508'", beisita, true},
		{"admin <> '320508'", beisita, false},
		{"admin <> '320508'", zhouzhuang, true},
		{"admin LIKE '320583%'", zhouzhuang, true},
		{"category = '纪念地旅游景点' AND rank > 0.5", beisita, true},
		{"category = '纪念地旅游景点' AND rank > 0.5", zhouzhuang, false},
		{"category IS NULL", zhouzhuang, true},
		{"category IS NOT NULL", zhouzhuang, false},
		// Three-valued logic: a comparison with a null is unknown, so is its negation.
		{"category = 'x'", zhouzhuang, false},
		{"NOT category = 'x'", zhouzhuang, false},
		{"NOT (category = 'x') OR name = '周庄'", zhouzhuang, true},
		{"rank BETWEEN 0.4 AND 0.6", zhouzhuang, true},
		{"rank NOT BETWEEN 0.4 AND 0.6", beisita, true},
		{"heritage = TRUE", beisita, true},
		{"updated > DATE('2026-11-01')", beisita, true},
		{"updated < TIMESTAMP('2026-11-30T07:00:00Z')", beisita, false},
		{"S_INTERSECTS(geometry, BBOX(120.6, 31.3, 120.63, 31.33))", beisita, true},
		{"s_intersects(BBOX(120.6, 31.3, 120.63, 31.33), geometry)", zhouzhuang, false},
		{"S_INTERSECTS(geometry, BBOX(120.85, 31.11, 120.86, 31.12))", zhouzhuang, true}, // bbox inside the polygon
		{"S_INTERSECTS(geometry, POINT(120.85 31.12))", zhouzhuang, true},
		{"S_INTERSECTS(geometry, POINT(120.9 31.12))", zhouzhuang, false},
		{"S_INTERSECTS(geometry, POINT(120.6154018 31.3245428))", beisita, true},
		{"name = 'it''s'", rec{vals: map[string][]any{"name": {"it's"}}}, true},
		{"TRUE", beisita, true},
	} {
		f, err := Parse(tc.filter, opts())
		if err != nil {
			t.Errorf("%s: %v", tc.filter, err)
			continue
		}
		if got := f.Match(tc.r); got != tc.want {
			t.Errorf("%s on %v: %v, want %v", tc.filter, tc.r.vals["name"], got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ filter, want string }{
		{"name = ", "at character 8: name is text"},
		{"nmae = 'x'", `at character 1: "nmae" is not a queryable`},
		{"name = 3", "name is text (compare it with a quoted string"},
		{"rank = '3'", "rank is a number"},
		{"name = 'x", "no closing quote"},
		{"name = 'x' name = 'y'", "at character 12: unexpected"},
		{"(name = 'x'", "expected a closing parenthesis"},
		{"name LIKE 3", "quoted pattern"},
		{"rank LIKE '3'", "LIKE compares text"},
		{"geometry = 'x'", "test it with S_INTERSECTS"},
		{"S_INTERSECTS(name, POINT(1 2))", "needs the geometry"},
		{"S_INTERSECTS(geometry, BBOX(3, 3, 1, 1))", "lower corner first"},
		{"updated > '2026'", "compare it with DATE("},
		{"name ! 'x'", "'!' cannot appear"},
		{"NAME = 'x'", "is not a queryable"}, // property names are case-sensitive
		{"heritage < TRUE", "compare it with = or <>"},
		{"name IN ('a' 'b')", "expected , or )"},
	} {
		_, err := Parse(tc.filter, opts())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.filter, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"name = 'x' AND NOT (admin IN ('1','2') OR rank BETWEEN 1 AND 2)", "S_INTERSECTS(geometry, POINT(1 2))", "updated > DATE('2020-01-01')"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := Parse(s, opts())
		if err == nil {
			fl.Match(rec{vals: map[string][]any{"name": {"x"}}, geom: orb.Point{1, 2}})
		}
	})
}
