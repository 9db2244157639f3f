package search

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestParseQuery(t *testing.T) {
	v := url.Values{}
	v.Set("q", "山塘")
	v.Set("limit", "20")
	v.Set("from", "10")
	v.Set("category", "桥梁")
	v.Set("admin", "320508")
	v.Set("heritage", "any")
	v.Set("status", "current")
	v.Set("year", "1500")
	v.Set("boundary.rect.min_lon", "120.5")
	v.Set("boundary.rect.min_lat", "31.2")
	v.Set("boundary.rect.max_lon", "120.7")
	v.Set("boundary.rect.max_lat", "31.4")
	v.Set("focus.point.lat", "31.32")
	v.Set("focus.point.lon", "120.6")
	v.Set("point.lat", "31.3")
	v.Set("point.lon", "120.61")
	v.Set("boundary.circle.radius", "2.5")
	v.Set("lang", "en")
	v.Set("facets", "true")
	q, err := ParseQuery(v)
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "山塘" || q.Size != 20 || q.From != 10 || q.Category != "桥梁" || q.Admin != "320508" ||
		q.Heritage != "any" || q.Status != "current" || q.Year != 1500 || q.Lang != "en" || !q.Facets {
		t.Errorf("parsed %+v", q)
	}
	if q.BBox == nil || *q.BBox != (orb.Bound{Min: orb.Point{120.5, 31.2}, Max: orb.Point{120.7, 31.4}}) {
		t.Errorf("bbox %v", q.BBox)
	}
	if q.Focus == nil || *q.Focus != (orb.Point{120.6, 31.32}) || q.Near == nil || *q.Near != (orb.Point{120.61, 31.3}) || q.RadiusM != 2500 {
		t.Errorf("points %v %v %v", q.Focus, q.Near, q.RadiusM)
	}
	q, err = ParseQuery(url.Values{"text": {"x"}, "bbox": {"120.5,31.2,120.7,31.4"}})
	if err != nil || q.Size != DefaultSize || q.BBox == nil {
		t.Errorf("bbox form: %+v %v", q, err)
	}
}

func TestParseQueryErrors(t *testing.T) {
	for _, c := range []struct {
		query, field string
	}{
		{"", "text"},
		{"text=%20%20", "text"},
		{"text=" + strings.Repeat("桥", 201), "text"},
		{"text=%ff%fe", "text"},
		{"text=a&size=101", "size"},
		{"text=a&size=1000000000", "size"},
		{"text=a&limit=ten", "limit"},
		{"text=a&size=-1", "size"},
		{"text=a&from=1000000000", "from"},
		{"text=a&year=1e3", "year"},
		{"text=a&year=99999", "year"},
		{"text=a&status=gone", "status"},
		{"text=a&bbox=1,2,3", "bbox"},
		{"text=a&bbox=120.7,31.2,120.5,31.4", "bbox"},
		{"text=a&bbox=0,0,180,90", "bbox"},
		{"text=a&bbox=120,31,121,NaN", "bbox"},
		{"text=a&boundary.rect.min_lon=120", "boundary.rect.min_lat"},
		{"text=a&point.lat=31", "point"},
		{"text=a&point.lat=91&point.lon=120", "point"},
		{"text=a&point.lat=31&point.lon=120&radius=0", "radius"},
		{"text=a&point.lat=31&point.lon=120&radius=5000", "radius"},
		{"text=a&radius=2", "radius"},
		{"text=a&focus.point.lat=x&focus.point.lon=120", "focus.point.lat"},
		{"text=a&facets=maybe", "facets"},
	} {
		v, err := url.ParseQuery(c.query)
		if err != nil {
			// invalid percent-encoding of UTF-8 is fine for url; build by hand
			v = url.Values{"text": {"\xff\xfe"}}
		}
		_, err = ParseQuery(v)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is not *Error", c.query, err)
			continue
		}
		if e.Field != c.field {
			t.Errorf("%s: field %q, want %q (%v)", c.query, e.Field, c.field, e)
		}
	}
	// Text may be empty when a filter says what is wanted.
	if _, err := ParseQuery(url.Values{"category": {"桥梁"}}); err != nil {
		t.Errorf("filter-only query: %v", err)
	}
}

func TestNameYears(t *testing.T) {
	for _, c := range []struct {
		start, end string
		from, to   int
		dated      bool
	}{
		{"1113", "1367", 1113, 1367, true},
		{"南宋", "", 1127, maxYear, true},
		{"", "c. 1781", minYear, 1791, true},
		{"", "", minYear, maxYear, false},
		{"unknown", "", minYear, maxYear, false},
	} {
		from, to, dated := nameYears(c.start, c.end)
		if from != c.from || to != c.to || dated != c.dated {
			t.Errorf("nameYears(%q, %q) = %d, %d, %v", c.start, c.end, from, to, dated)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"蘇州閶門":         "苏州阊门",
		"Shāntáng Jiē": "shantangjie",
		"ＳＨＡＮ":         "shan",
		"虎丘塔（云岩寺塔）":    "虎丘塔云岩寺塔",
		"柴园·苏州教育博物馆":   "柴园苏州教育博物馆",
		"lǜ":           "lv",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignificantCode(t *testing.T) {
	for in, want := range map[string]string{
		"320500000000": "3205", "320508000000": "320508", "320508001000": "320508001",
		"320508001002": "320508001002", "3205": "3205", "320500": "3205", "32": "32",
	} {
		if got := significantCode(in); got != want {
			t.Errorf("significantCode(%s) = %s, want %s", in, got, want)
		}
	}
}
