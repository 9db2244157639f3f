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

// maxKeys bounds the memory of the counts: past it, expired keys are swept.
const maxKeys = 10000

// Allow reports whether a login from ip for account may be tried, and if
// so counts the attempt at once: parallel attempts cannot all pass before
// the first slow password check fails. Success gives the count back.
func (l *Limiter) Allow(ip, account string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > maxKeys {
		for k := range l.fails {
			l.recent(k)
		}
	}
	if l.recent("ip:"+ip) >= l.perIP || l.recent("user:"+account) >= l.perAccount {
		return false
	}
	t := l.now()
	l.fails["ip:"+ip] = append(l.fails["ip:"+ip], t)
	l.fails["user:"+account] = append(l.fails["user:"+account], t)
	return true
}

// Succeeded gives back the attempt Allow counted for a login that worked.
func (l *Limiter) Succeeded(ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "user:"+account)
	if ts := l.fails["ip:"+ip]; len(ts) > 0 {
		l.fails["ip:"+ip] = ts[:len(ts)-1]
	}
}
