// Package clientaddr says which client a request comes from, for rate limits
// and audit logs, shared by the public site and the officer pages.
package clientaddr

import (
	"net"
	"net/http"
	"strings"
)

// Of returns the client address of r: the remote address, or — when the
// operator says a proxy in front sets X-Forwarded-For — the hop that proxy
// appended (the rightmost one; the ones before it are whatever the client
// sent, so trusting them would let a client pick a fresh rate-limit bucket
// per request). IPv6 clients are keyed by their /64, which one subscriber
// holds whole.
func Of(r *http.Request, trustProxy bool) string {
	addr := ""
	if trustProxy {
		if f := r.Header.Values("X-Forwarded-For"); len(f) > 0 {
			hops := strings.Split(f[len(f)-1], ",")
			addr = strings.TrimSpace(hops[len(hops)-1])
		}
	}
	if addr == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		addr = host
	}
	if ip := net.ParseIP(addr); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return addr
}
