package chat

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"
)

// clientAddr is the address a connection counts against. From a trusted
// proxy (the load balancer) it is the rightmost X-Forwarded-For entry that is
// not itself a trusted proxy: entries to its left were written by the client
// and prove nothing. From any other peer it is the peer's address, whatever
// headers it sends.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	peer := ap.Addr().Unmap()
	if !inPrefixes(peer, trusted) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return peer // a proxy we trust wrote something we cannot read: count the proxy
		}
		if !inPrefixes(a, trusted) {
			return a
		}
	}
	return peer
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// limitKey is what the per-address cap counts: the address, or for IPv6 its
// /64 (one subscriber usually holds a whole /64).
func limitKey(a netip.Addr) netip.Addr {
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().Addr()
	}
	return a
}

// addrCounts counts open connections per client address.
type addrCounts struct {
	mu sync.Mutex
	n  map[netip.Addr]int
}

// acquire counts one more connection from a unless it already has limit.
func (c *addrCounts) acquire(a netip.Addr, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[a] >= limit {
		return false
	}
	if c.n == nil {
		c.n = map[netip.Addr]int{}
	}
	c.n[a]++
	return true
}

func (c *addrCounts) release(a netip.Addr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[a]--; c.n[a] <= 0 {
		delete(c.n, a)
	}
}

// logSampler lets through the first limit per-connection log lines of each
// one-second window and counts the others by kind, so that a flood of
// connections cannot flood the journal. A negative limit lets everything
// through.
type logSampler struct {
	limit int

	mu         sync.Mutex
	start      time.Time // of the current window
	logged     int
	suppressed map[string]int
}

// allow says whether a line of kind may be written at now. When now starts a
// new window, it also returns what the last one suppressed (nil if nothing).
func (s *logSampler) allow(now time.Time, kind string) (ok bool, report map[string]int) {
	if s.limit < 0 {
		return true, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.start.IsZero() || now.Sub(s.start) >= time.Second || now.Before(s.start) {
		report = s.take()
		s.start, s.logged = now, 0
	}
	if s.logged < s.limit {
		s.logged++
		return true, report
	}
	if s.suppressed == nil {
		s.suppressed = map[string]int{}
	}
	s.suppressed[kind]++
	return false, report
}

// flush returns what was suppressed in a window that has ended by now, or
// in the current one too when final.
func (s *logSampler) flush(now time.Time, final bool) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !final && now.Sub(s.start) < time.Second {
		return nil
	}
	return s.take()
}

func (s *logSampler) take() map[string]int {
	r := s.suppressed
	s.suppressed = nil
	return r
}

// logSuppressed writes one summary line for a report of logSampler.
func logSuppressed(log *slog.Logger, report map[string]int) {
	if len(report) == 0 {
		return
	}
	kinds := make([]string, 0, len(report))
	total := 0
	for k, n := range report {
		kinds = append(kinds, k)
		total += n
	}
	sort.Strings(kinds)
	args := []any{"suppressed", total}
	for _, k := range kinds {
		args = append(args, k, report[k])
	}
	log.Warn("suppressed connection log lines: too many per second", args...)
}

// connLog writes a per-connection log line through the sampler.
func (s *Server) connLog(log *slog.Logger, level slog.Level, kind, msg string, args ...any) {
	ok, report := s.sampler.allow(s.now(), kind)
	logSuppressed(s.log, report)
	if ok {
		log.Log(context.Background(), level, msg, args...)
	}
}

// clientLog is connLog for one connection's line: it names the connection
// (no logger is kept per connection: an idle one would pay for it).
func (s *Server) clientLog(c *client, level slog.Level, kind, msg string, args ...any) {
	s.connLog(s.log, level, kind, msg, append([]any{"conn", c.id}, args...)...)
}
