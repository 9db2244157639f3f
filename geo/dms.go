package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Axis says which coordinate a degree value is: longitude (东经/西经, E/W) or
// latitude (北纬/南纬, N/S).
type Axis uint8

// The two axes of a geographic coordinate.
const (
	Lon Axis = iota + 1
	Lat
)

// ParseDegrees reads one coordinate of axis as decimal degrees or as degrees,
// minutes and seconds, the way census tables write them (度分秒):
//
//	120.625   120°37′30.5″E   E120°37'30.5"   120度37分30.5秒   东经120°37′30.5″
//	120:37:30.5   120 37 30.5   120°37.5′   31°18′N   -120.625   120d37m30.5s
//
// A hemisphere letter or word (E/W, N/S, 东经/西经, 北纬/南纬) sets the sign
// and must fit the axis; minutes and seconds must be below 60. The result is
// checked against the axis's range.
func ParseDegrees(s string, axis Axis) (float64, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty coordinate")
	}
	sign := 1.0
	hemi := func(neg bool, a Axis) error {
		if a != axis {
			return fmt.Errorf("%q is a %s, not a %s", orig, axis2(a), axis2(axis))
		}
		if neg {
			sign = -1
		}
		return nil
	}
	// Hemisphere words and letters, before or after the number.
	for _, h := range []struct {
		word string
		neg  bool
		a    Axis
	}{{"东经", false, Lon}, {"西经", true, Lon}, {"北纬", false, Lat}, {"南纬", true, Lat},
		{"E", false, Lon}, {"W", true, Lon}, {"N", false, Lat}, {"S", true, Lat},
		{"e", false, Lon}, {"w", true, Lon}, {"n", false, Lat}, {"s", true, Lat}} {
		if strings.HasPrefix(s, h.word) {
			if err := hemi(h.neg, h.a); err != nil {
				return 0, err
			}
			s = strings.TrimSpace(s[len(h.word):])
			break
		}
		if strings.HasSuffix(s, h.word) {
			// "120d37m30s": the s is seconds, not south.
			if h.word == "s" && strings.ContainsAny(s, "dm") {
				continue
			}
			if err := hemi(h.neg, h.a); err != nil {
				return 0, err
			}
			s = strings.TrimSpace(s[:len(s)-len(h.word)])
			break
		}
	}
	if strings.HasPrefix(s, "-") {
		sign = -sign
		s = s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	// Split into up to three numbers on any non-numeric mark: ° ′ ″ ' " 度 分
	// 秒 : d m s and spaces, in their full-width forms too.
	parts := strings.FieldsFunc(s, func(r rune) bool { return !(unicode.IsDigit(r) || r == '.') })
	if len(parts) == 0 || len(parts) > 3 {
		return 0, fmt.Errorf("%q is not a coordinate in degrees or degrees-minutes-seconds", orig)
	}
	if rest := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || r == '.' || unicode.IsSpace(r) || strings.ContainsRune(dmsMarks, r) {
			return -1
		}
		return r
	}, s); rest != "" {
		return 0, fmt.Errorf("%q is not a coordinate in degrees or degrees-minutes-seconds (unexpected %q)", orig, rest)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(toASCIIDigits(p), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a coordinate in degrees or degrees-minutes-seconds", orig)
		}
		if i > 0 && f >= 60 {
			return 0, fmt.Errorf("%q: %s %g must be below 60", orig, [3]string{"", "minutes", "seconds"}[i], f)
		}
		if i < len(parts)-1 && f != math.Trunc(f) {
			return 0, fmt.Errorf("%q: only the last part of a degrees-minutes-seconds value may have a fraction", orig)
		}
		v[i] = f
	}
	d := sign * (v[0] + v[1]/60 + v[2]/3600)
	limit := 180.0
	if axis == Lat {
		limit = 90
	}
	if math.Abs(d) > limit {
		return 0, fmt.Errorf("%q is out of range for a %s (-%g..%g)", orig, axis2(axis), limit, limit)
	}
	return d, nil
}

// dmsMarks are the separators a degrees-minutes-seconds value may use.
const dmsMarks = "°º˚′″'\"’”‘“:：度分秒dms〃＇＂ "

func axis2(a Axis) string {
	if a == Lat {
		return "latitude"
	}
	return "longitude"
}

// toASCIIDigits turns full-width digits (１２０) into ASCII ones.
func toASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
}
