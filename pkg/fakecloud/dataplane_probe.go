package fakecloud

// Health probes of the data plane: one goroutine per probed backend, with
// the group's (ALB) or listener's (CLB) health-check settings.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// probeConfig is how one backend is checked.
type probeConfig struct {
	addr      string // host:port to probe ("" when the check port is not mapped: always fails)
	protocol  string // HTTP | HTTPS | TCP
	method    string // GET | HEAD | POST
	path      string
	host      string   // Host header ("" = the backend's address)
	codes     []string // http_2xx ... http_5xx
	interval  time.Duration
	timeout   time.Duration
	healthy   int // consecutive successes to become healthy
	unhealthy int // consecutive failures to become unhealthy
}

// prober checks one backend until stopped.
type prober struct {
	key      string
	cfg      atomic.Pointer[probeConfig]
	verdict  atomic.Pointer[ProbedHealth]
	changed  func() // called after the verdict changed
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func newProber(key string, cfg *probeConfig, changed func()) *prober {
	p := &prober{key: key, changed: changed, stop: make(chan struct{}), done: make(chan struct{})}
	p.cfg.Store(cfg)
	p.verdict.Store(&ProbedHealth{Key: key, State: probeInitial})
	go p.run()
	return p
}

func (p *prober) healthy() bool { return p.verdict.Load().State == probeHealthy }

func (p *prober) close() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
}

func (p *prober) run() {
	defer close(p.done)
	ok, bad := 0, 0
	for {
		cfg := p.cfg.Load()
		reason := probeOnce(p.stop, cfg)
		cur := p.verdict.Load()
		next := *cur
		if reason == "" {
			ok, bad = ok+1, 0
			if ok >= cfg.healthy {
				next.State, next.Reason = probeHealthy, ""
			}
		} else {
			ok, bad = 0, bad+1
			if bad >= cfg.unhealthy {
				next.State, next.Reason = probeUnhealthy, reason
			} else if cur.State == probeUnhealthy {
				next.Reason = reason
			}
		}
		if next != *cur {
			p.verdict.Store(&next)
			p.changed()
		}
		t := time.NewTimer(cfg.interval)
		select {
		case <-p.stop:
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// probeOnce checks the backend once: "" when it passed, else the ALB reason
// code of the failure.
func probeOnce(stop <-chan struct{}, cfg *probeConfig) string {
	if cfg.addr == "" {
		return "CONNECT_FAILED"
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", cfg.addr)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
			return "CONNECT_TIMEOUT"
		}
		return "CONNECT_FAILED"
	}
	if cfg.protocol == "TCP" {
		conn.Close()
		return ""
	}
	used := false
	tr := &http.Transport{
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			if used {
				return nil, errors.New("one connection per probe")
			}
			used = true
			return conn, nil
		},
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, // LBs do not verify backends' certificates
		DisableKeepAlives: true,
	}
	defer tr.CloseIdleConnections()
	scheme := "http"
	if cfg.protocol == "HTTPS" {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, cfg.method, scheme+"://"+cfg.addr+cfg.path, nil)
	if err != nil {
		conn.Close()
		return "RESPONSE_MISMATCH"
	}
	if cfg.host != "" {
		req.Host = cfg.host
	}
	req.Header.Set("User-Agent", "wsdeploy-fakecloud-healthcheck")
	res, err := tr.RoundTrip(req)
	if err != nil {
		conn.Close()
		if ctx.Err() != nil {
			return "RESPONSE_TIMEOUT"
		}
		return "RESPONSE_FAIL"
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	want := fmt.Sprintf("http_%dxx", res.StatusCode/100)
	for _, c := range cfg.codes {
		if strings.EqualFold(c, want) {
			return ""
		}
	}
	return "RESPONSE_MISMATCH"
}
