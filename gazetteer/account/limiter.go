package account

import (
	"sync"
	"time"
)

// Limiter throttles failed logins as OWASP ASVS 4.0 V2.2.1 asks, by a
// progressive delay rather than a lockout an attacker could impose on the
// real officer:
//
//   - an address and account pair gets Free failures, then waits Base after
//     the next, twice that after the one after, up to Max;
//   - an address with PerIP failures in Window (guessing across accounts) is
//     refused until its failures age out of the window;
//   - an account with AccountFree failures from anywhere delays, the same
//     progressive way, the addresses that have failures of their own — a
//     login from an address with none is never delayed by failures elsewhere.
//
// Counts are kept in memory: a restart forgets them, which only helps a
// legitimate user.
type Limiter struct {
	Free, AccountFree, PerIP int
	Base, Max, Window        time.Duration

	mu    sync.Mutex
	now   func() time.Time
	fails map[string][]time.Time
}

// NewLimiter returns a limiter with Wumen's settings: 3 free failures per
// address and account, delays from 1 s doubling to 5 minutes, 10 account
// failures before failing addresses are slowed further, 50 failures per
// address in 15 minutes.
func NewLimiter(now func() time.Time) *Limiter {
	return &Limiter{Free: 3, AccountFree: 10, PerIP: 50, Base: time.Second, Max: 5 * time.Minute, Window: 15 * time.Minute,
		now: now, fails: map[string][]time.Time{}}
}

// recent drops the failures of key older than the window and returns those
// left.
func (l *Limiter) recent(key string) []time.Time {
	cut := l.now().Add(-l.Window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	if ts = ts[i:]; len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

// progressive is how long to wait after the last of ts when free failures
// pass with no delay.
func (l *Limiter) progressive(ts []time.Time, free int, now time.Time) time.Duration {
	if len(ts) < free || len(ts) == 0 {
		return 0
	}
	d := l.Base
	for i := free; i < len(ts) && d < l.Max; i++ {
		d *= 2
	}
	return max(0, min(d, l.Max)-now.Sub(ts[len(ts)-1]))
}

// maxKeys bounds the memory of the counts: past it, expired keys are swept.
const maxKeys = 10000

// Allow returns 0 when a login from ip for account may be tried now, and
// counts the attempt at once (parallel attempts cannot all pass before the
// first slow password check fails; Succeeded gives it back). Otherwise it
// returns how long to wait.
func (l *Limiter) Allow(ip, account string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > maxKeys {
		for k := range l.fails {
			l.recent(k)
		}
	}
	now := l.now()
	pair, addr, acct := "p:"+ip+"\x00"+account, "i:"+ip, "a:"+account
	ipFails := l.recent(addr)
	wait := l.progressive(l.recent(pair), l.Free, now)
	if len(ipFails) >= l.PerIP {
		wait = max(wait, ipFails[len(ipFails)-l.PerIP].Add(l.Window).Sub(now))
	}
	if len(ipFails) > 0 {
		wait = max(wait, l.progressive(l.recent(acct), l.AccountFree, now))
	}
	if wait > 0 {
		return wait
	}
	for _, k := range []string{pair, addr, acct} {
		l.fails[k] = append(l.fails[k], now)
	}
	return 0
}

// Succeeded gives back the attempt Allow counted for a login that worked and
// clears the account's and the pair's failures.
func (l *Limiter) Succeeded(ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "a:"+account)
	delete(l.fails, "p:"+ip+"\x00"+account)
	if ts := l.fails["i:"+ip]; len(ts) > 0 {
		l.fails["i:"+ip] = ts[:len(ts)-1]
	}
}
