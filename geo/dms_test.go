package geo

import (
	"math"
	"strings"
	"testing"
)

func TestParseDegrees(t *testing.T) {
	const want = 120 + 37.0/60 + 30.5/3600
	for _, s := range []string{"120°37′30.5″E", "120°37'30.5\"E", "E120°37′30.5″", "120度37分30.5秒", "东经120°37′30.5″",
		"120:37:30.5", "120 37 30.5", "120d37m30.5s", "120°37′30.5″", " 120°37′30.5″ E ", "１２０°３７′３０.５″"} {
		got, err := ParseDegrees(s, Lon)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%q = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]float64{"120.625": 120.625, "120°37.5′": 120.625, "-120.625": -120.625, "120°37′30.5″W": -want} {
		if got, err := ParseDegrees(s, Lon); err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("%q = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := ParseDegrees("31°18′N", Lat); err != nil || math.Abs(got-31.3) > 1e-9 {
		t.Errorf("31°18′N = %v, %v", got, err)
	}
	if got, err := ParseDegrees("北纬31°18′", Lat); err != nil || math.Abs(got-31.3) > 1e-9 {
		t.Errorf("北纬31°18′ = %v, %v", got, err)
	}
	for s, msg := range map[string]string{"": "empty", "abc": "not a coordinate", "120°75′": "below 60", "31°18′N": "is a latitude",
		"190": "out of range", "120.5°30′": "fraction", "120x30": "unexpected"} {
		if _, err := ParseDegrees(s, Lon); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: err %v, want one saying %q", s, err, msg)
		}
	}
}

func FuzzParseDegrees(f *testing.F) {
	for _, s := range []string{"120°37′30.5″E", "31.3", "北纬31°18′", "120:37:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDegrees(s, Lon)
		if err == nil && (math.IsNaN(v) || math.Abs(v) > 180) {
			t.Fatalf("%q = %v accepted", s, v)
		}
	})
}
