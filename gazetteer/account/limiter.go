package account

import (
	"sync"
	"time"
)

// Limiter counts failed logins per account and per IP in a sliding window
// and refuses further attempts once either count reaches its limit. It is
// kept in memory: a restart forgets it, which only helps a legitimate user.
type Limiter struct {
	mu                sync.Mutex
	perAccount, perIP int
	window            time.Duration
	now               func() time.Time
	fails             map[string][]time.Time
}

// NewLimiter allows perAccount failures per account and perIP per address
// within window.
func NewLimiter(perAccount, perIP int, window time.Duration, now func() time.Time) *Limiter {
	return &Limiter{perAccount: perAccount, perIP: perIP, window: window, now: now, fails: map[string][]time.Time{}}
}

func (l *Limiter) recent(key string) int {
	cut := l.now().Add(-l.window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	l.fails[key] = ts[i:]
	if len(l.fails[key]) == 0 {
		delete(l.fails, key)
	}
	return len(ts) - i
}

// Allow reports whether a login from ip for account may be tried.
func (l *Limiter) Allow(ip, account string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent("ip:"+ip) < l.perIP && l.recent("user:"+account) < l.perAccount
}

// Fail records a failed login.
func (l *Limiter) Fail(ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	l.fails["ip:"+ip] = append(l.fails["ip:"+ip], t)
	l.fails["user:"+account] = append(l.fails["user:"+account], t)
}

// Reset forgets an account's failures after a successful login.
func (l *Limiter) Reset(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "user:"+account)
}
