package clientaddr

import (
	"net/http/httptest"
	"testing"
)

func TestOf(t *testing.T) {
	cases := []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"192.0.2.7:5555", "", false, "192.0.2.7"},
		{"192.0.2.7:5555", "203.0.113.9", false, "192.0.2.7"},                // not trusted: header ignored
		{"192.0.2.7:5555", "198.51.100.1, 203.0.113.9", true, "203.0.113.9"}, // the proxy's hop, not the client's claim
		{"[2001:db8:1:2:3:4:5:6]:443", "", false, "2001:db8:1:2::/64"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := Of(r, c.trust); got != c.want {
			t.Errorf("%s %q trust=%v: %q, want %q", c.remote, c.xff, c.trust, got, c.want)
		}
	}
}
