package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
)

// check is one step of a verify run. needs lists the checks that must not
// have failed (or been skipped) for this one to make sense.
type check struct {
	name  string
	needs []string
	run   func(ctx context.Context, s *session) Result
}

// checks is the run order.
func checks() []check {
	return []check{
		{name: CheckDNS, run: checkDNS},
		{name: CheckTCP, run: checkTCP},
		{name: CheckTLS, needs: []string{CheckTCP}, run: checkTLS},
		{name: CheckUpgrade, needs: []string{CheckTCP, CheckTLS}, run: checkUpgrade},
		{name: CheckClients, needs: []string{CheckUpgrade}, run: checkClients},
		{name: CheckBroadcast, needs: []string{CheckClients}, run: checkBroadcast},
		{name: CheckFanout, needs: []string{CheckClients}, run: checkFanout},
		{name: CheckLatency, needs: []string{CheckBroadcast}, run: checkLatency},
		{name: CheckIdle, needs: []string{CheckUpgrade}, run: checkIdle},
	}
}

// Run verifies every target (concurrently) and returns the report. The
// error is only for unusable options; failed checks are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	rep := &Report{Targets: make([]TargetReport, len(opts.Targets))}
	var wg sync.WaitGroup
	for i, t := range opts.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep.Targets[i] = runTarget(ctx, &opts, t)
		}()
	}
	wg.Wait()
	rep.tally()
	return rep, nil
}

// session is the state one target's checks share.
type session struct {
	o      *Options
	t      Target
	host   string
	port   string
	url    string
	nonce  string
	status map[string]Status

	next    atomic.Uint64 // round-robin over DialAddrs
	clients []*client
	infos   []ClientInfo // which backend each traffic client reached

	// Set by the traffic checks, read by later ones.
	broadcastGot map[pair]bool
}

// pair is (sender, receiver) client indexes.
type pair struct{ from, to int }

func runTarget(ctx context.Context, o *Options, t Target) TargetReport {
	host, port, _ := net.SplitHostPort(t.Addr)
	s := &session{o: o, t: t, host: host, port: port, nonce: nonce(), status: map[string]Status{}}
	s.url = t.Scheme + "://" + hostPort(host, port, t.Scheme) + o.Path
	defer s.closeClients()
	tr := TargetReport{URL: s.url, Addr: t.Addr, Dialed: t.DialAddrs}
	for _, c := range checks() {
		if c.name == CheckTLS && t.Scheme != "wss" {
			s.status[c.name] = Pass // nothing to check on a ws:// listener
			continue
		}
		res := s.runCheck(ctx, c)
		s.status[c.name] = res.Status
		tr.Results = append(tr.Results, res)
	}
	tr.Clients = s.infos
	return tr
}

func (s *session) runCheck(ctx context.Context, c check) Result {
	for _, n := range c.needs {
		if st := s.status[n]; st == Fail || st == Skip {
			return Result{Check: c.name, Status: Skip, Summary: "skipped: the " + n + " check did not pass"}
		}
	}
	if err := ctx.Err(); err != nil {
		return Result{Check: c.name, Status: Skip, Summary: "skipped: " + err.Error()}
	}
	res := c.run(ctx, s)
	res.Check = c.name
	return res
}

// hostPort leaves the port out when it is the scheme's default.
func hostPort(host, port, scheme string) string {
	if (scheme == "ws" && port == "80") || (scheme == "wss" && port == "443") {
		if net.ParseIP(host) != nil && net.ParseIP(host).To4() == nil {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// dial opens a TCP connection for the target: to the next explicit dial
// address, or to the target itself.
func (s *session) dial(ctx context.Context) (net.Conn, string, error) {
	addr := s.t.Addr
	if n := len(s.t.DialAddrs); n > 0 {
		addr = s.t.DialAddrs[int(s.next.Add(1)-1)%n]
	}
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	c, err := s.o.Dial(ctx, "tcp", addr)
	return c, addr, err
}

func (s *session) closeClients() {
	for _, c := range s.clients {
		c.close()
	}
	s.clients = nil
}

func nonce() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ms(d interface{ Seconds() float64 }) float64 { return d.Seconds() * 1000 }
