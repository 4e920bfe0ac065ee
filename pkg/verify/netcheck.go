package verify

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

func checkDNS(ctx context.Context, s *session) Result {
	if s.o.NoDNS != "" {
		return Result{Status: Skip, Summary: s.o.NoDNS}
	}
	if net.ParseIP(s.host) != nil {
		return Result{Status: Skip, Summary: "the target is an IP address: no DNS record to check"}
	}
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	a, err := s.o.Resolve(ctx, s.host)
	if err != nil {
		if unreachable(err) {
			// Nothing is known about the record: the resolver did not answer.
			// What this machine cannot ask is not the deployment's fault; the
			// tcp check still fails if the name cannot be resolved to connect.
			return Result{Status: Skip, Summary: fmt.Sprintf("could not ask DNS about %s, so the record is unchecked: %v", s.host, err),
				Hint: "check that this machine reaches its DNS server (UDP and TCP port 53), or pass --dns-server with a public resolver such as 223.5.5.5"}
		}
		return Result{Status: Fail, Summary: fmt.Sprintf("resolve %s: %v", s.host, err),
			Hint: "create the record with `wsdeploy up` (dns: in wsdeploy.yaml), check dns.domain and dns.rr, or wait for the old answer's TTL to pass"}
	}
	answer := describeAnswer(a)
	if a.CNAME == "" && len(a.Addrs) == 0 {
		return Result{Status: Fail, Summary: s.host + " has no address", Hint: "run `wsdeploy up` to create the record"}
	}
	want := s.o.ExpectDNS
	if want == "" {
		why := s.o.ExpectDNSUnknown
		if why == "" {
			why = "no load balancer was given to compare it with"
		}
		return Result{Status: Skip, Summary: fmt.Sprintf("%s → %s; not compared with the load balancer: %s", s.host, answer, why)}
	}
	if net.ParseIP(want) != nil {
		return clbAnswer(s.host, answer, a, want)
	}
	return s.albAnswer(ctx, answer, a, want)
}

// clbAnswer judges an answer against the CLB's address: the name must
// resolve to it, and to nothing else (another address takes a share of the
// clients elsewhere).
func clbAnswer(host, answer string, a Answer, want string) Result {
	ip := net.ParseIP(want)
	others := slices.DeleteFunc(slices.Clone(a.Addrs), func(addr string) bool { return net.ParseIP(addr).Equal(ip) })
	switch {
	case len(a.Addrs) > 0 && len(others) == 0:
		return Result{Status: Pass, Summary: host + " → " + answer + " (the load balancer)"}
	case len(others) < len(a.Addrs):
		return Result{Status: Fail, Summary: fmt.Sprintf("%s → %s, want %s (the load balancer) alone: %s lead elsewhere", host, answer, want, strings.Join(others, ", ")),
			Hint: "remove the other A records at this name (wsdeploy writes one, to the CLB's address), or wait for the old answer's TTL to pass"}
	}
	return Result{Status: Fail, Summary: fmt.Sprintf("%s → %s, want %s (the load balancer)", host, answer, want),
		Hint: "the record points elsewhere: run `wsdeploy up` to correct it, or wait for the old answer's TTL to pass"}
}

// albAnswer judges an answer against the ALB's DNS name: the name's CNAME
// chain must reach it, or end where the ALB's own name ends, or the name
// must resolve to the same addresses as the ALB's name.
func (s *session) albAnswer(ctx context.Context, answer string, a Answer, want string) Result {
	if slices.ContainsFunc(a.aliases(), func(n string) bool { return sameName(n, want) }) {
		return Result{Status: Pass, Summary: s.host + " → " + answer + " (the load balancer)"}
	}
	lb, err := s.o.Resolve(ctx, want)
	var details []string
	switch {
	case err != nil:
		details = []string{fmt.Sprintf("the load balancer's name %s does not resolve here: %v", want, err)}
	case a.CNAME != "" && sameName(a.canonical(s.host), lb.canonical(want)):
		return Result{Status: Pass, Summary: fmt.Sprintf("%s → %s (the load balancer: %s leads to %s too)", s.host, answer, want, lb.canonical(want))}
	case len(a.Addrs) > 0 && sameSet(a.Addrs, lb.Addrs):
		return Result{Status: Pass, Summary: fmt.Sprintf("%s → %s (the load balancer: the addresses of %s)", s.host, answer, want)}
	default:
		details = []string{want + " → " + describeAnswer(lb)}
	}
	return Result{Status: Fail, Summary: fmt.Sprintf("%s → %s, want %s (the load balancer)", s.host, answer, want), Details: details,
		Hint: "the record points elsewhere: run `wsdeploy up` to correct it, or wait for the old answer's TTL to pass"}
}

// sameSet says a and b hold the same addresses, in any order.
func sameSet(a, b []string) bool {
	norm := func(addrs []string) []string {
		out := make([]string, 0, len(addrs))
		for _, s := range addrs {
			if ip := net.ParseIP(s); ip != nil {
				s = ip.String()
			}
			out = append(out, s)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

func describeAnswer(a Answer) string {
	var parts []string
	for _, alias := range a.aliases() {
		parts = append(parts, "CNAME "+alias)
	}
	if len(a.Addrs) > 0 {
		parts = append(parts, strings.Join(a.Addrs, ", "))
	}
	return strings.Join(parts, " → ")
}

func checkTCP(ctx context.Context, s *session) Result {
	addrs := s.t.DialAddrs
	if len(addrs) == 0 {
		addrs = []string{s.t.Addr}
	}
	var parts []string
	var worst time.Duration
	for _, addr := range addrs {
		dctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
		start := time.Now()
		c, err := s.o.Dial(dctx, "tcp", addr)
		elapsed := time.Since(start)
		cancel()
		if err != nil {
			return Result{Status: Fail, Summary: fmt.Sprintf("connect to %s: %v", addr, err),
				Hint: fmt.Sprintf("check that a listener on port %s exists (`wsdeploy up`) and that nothing between here and it blocks the port; a fake cloud has no load balancer to connect to, so pass --target with the address of a running backend or proxy", s.port)}
		}
		c.Close()
		worst = max(worst, elapsed)
		parts = append(parts, fmt.Sprintf("%s in %s", addr, round(elapsed)))
	}
	return Result{Status: Pass, Summary: "connected to " + strings.Join(parts, ", "), Metrics: map[string]float64{"connectMs": ms(worst)}}
}

func (s *session) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.host,
		RootCAs:            s.o.RootCAs,
		InsecureSkipVerify: s.o.Insecure, //nolint:gosec // --insecure, reported as a warning
		MinVersion:         tls.VersionTLS12,
		NextProtos:         []string{"http/1.1"},
	}
}

func checkTLS(ctx context.Context, s *session) Result {
	raw, addr, err := s.dial(ctx)
	if err != nil {
		return Result{Status: Fail, Summary: fmt.Sprintf("connect to %s: %v", addr, err)}
	}
	defer raw.Close()
	// Handshake without verifying, then verify by hand: the report shows what
	// the certificate is even when it is wrong.
	cfg := s.tlsConfig()
	cfg.InsecureSkipVerify = true //nolint:gosec // verified below
	conn := tls.Client(raw, cfg)
	hctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	start := time.Now()
	if err := conn.HandshakeContext(hctx); err != nil {
		return Result{Status: Fail, Summary: fmt.Sprintf("TLS handshake with %s: %v", addr, err),
			Hint: "if this listener is HTTP, not HTTPS, verify it as ws:// (--target ws://host:port)"}
	}
	elapsed := time.Since(start)
	st := conn.ConnectionState()
	leaf := st.PeerCertificates[0]
	now := s.o.Now()
	days := leaf.NotAfter.Sub(now).Hours() / 24
	names := leaf.DNSNames
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	details := []string{
		fmt.Sprintf("certificate for %s, issued by %s, valid until %s", strings.Join(names, ", "), issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02")),
	}
	metrics := map[string]float64{"handshakeMs": ms(elapsed), "daysToExpiry": float64(int(days))}
	summary := fmt.Sprintf("%s handshake in %s, certificate expires in %d days", tls.VersionName(st.Version), round(elapsed), int(days))

	if now.After(leaf.NotAfter) {
		return Result{Status: Fail, Summary: fmt.Sprintf("the certificate expired on %s", leaf.NotAfter.UTC().Format("2006-01-02")), Details: details, Metrics: metrics,
			Hint: "renew the certificate in Certificate Management Service and set the new certificateId on the HTTPS listener in wsdeploy.yaml, then run `wsdeploy up`"}
	}
	var problems []string
	inter := x509.NewCertPool()
	for _, c := range st.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: s.o.RootCAs, Intermediates: inter, CurrentTime: now}); err != nil {
		problems = append(problems, "the chain is not trusted: "+err.Error())
	}
	if err := leaf.VerifyHostname(s.host); err != nil {
		problems = append(problems, fmt.Sprintf("the certificate is not valid for %s (it names %s)", s.host, strings.Join(names, ", ")))
	}
	if len(problems) > 0 {
		res := Result{Status: Fail, Summary: strings.Join(problems, "; "), Details: details, Metrics: metrics,
			Hint: "set certificateId on the HTTPS listener to a certificate for this name, signed by a public CA (or pass --ca with your private CA's PEM file)"}
		if s.o.Insecure {
			res.Status = Warn
			res.Summary += " (accepted: --insecure)"
		}
		return res
	}
	if days < 14 {
		return Result{Status: Warn, Summary: summary, Details: details, Metrics: metrics,
			Hint: "renew the certificate soon and set the new certificateId on the HTTPS listener"}
	}
	return Result{Status: Pass, Summary: summary, Details: details, Metrics: metrics}
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	if len(c.Issuer.Organization) > 0 {
		return c.Issuer.Organization[0]
	}
	return c.Issuer.String()
}

// websocketGUID is RFC 6455's magic string for Sec-WebSocket-Accept.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// acceptKey is the Sec-WebSocket-Accept a server must answer key with.
func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + websocketGUID)) //nolint:gosec // fixed by RFC 6455
	return base64.StdEncoding.EncodeToString(h[:])
}

// checkUpgrade performs the opening handshake by hand on a raw connection,
// so every detail of the answer can be checked.
func checkUpgrade(ctx context.Context, s *session) Result {
	raw, addr, err := s.dial(ctx)
	if err != nil {
		return Result{Status: Fail, Summary: fmt.Sprintf("connect to %s: %v", addr, err)}
	}
	conn := raw
	defer func() { conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(s.o.Timeout))
	if s.t.Scheme == "wss" {
		tc := tls.Client(raw, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return Result{Status: Fail, Summary: fmt.Sprintf("TLS handshake with %s: %v", addr, err)}
		}
		conn = tc
	}
	var k [16]byte
	_, _ = rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+hostPort(s.host, s.port, s.t.Scheme)+s.o.Path, nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", key)
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("User-Agent", "wsdeploy-verify")
	if s.o.Origin != "" {
		req.Header.Set("Origin", s.o.Origin)
	}
	start := time.Now()
	if err := req.Write(conn); err != nil {
		return Result{Status: Fail, Summary: fmt.Sprintf("send the upgrade request to %s: %v", addr, err)}
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return Result{Status: Fail, Summary: fmt.Sprintf("read the upgrade answer from %s: %v", addr, err),
			Hint: "the connection closed without an HTTP answer: is the listener's protocol right (HTTP vs HTTPS) and is anything listening on the backends' port?"}
	}
	elapsed := time.Since(start)
	defer resp.Body.Close()
	metrics := map[string]float64{"upgradeMs": ms(elapsed)}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		res := Result{Status: Fail, Summary: fmt.Sprintf("GET %s answered %s, want 101 Switching Protocols", s.o.Path, resp.Status), Metrics: metrics,
			Hint: upgradeHint(resp.StatusCode)}
		if b := strings.TrimSpace(string(body)); b != "" {
			res.Details = []string{"body: " + strings.ReplaceAll(b, "\n", " ")}
		}
		return res
	}
	var bad []string
	if !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") {
		bad = append(bad, fmt.Sprintf("Upgrade header is %q, want websocket", resp.Header.Get("Upgrade")))
	}
	if !headerHasToken(resp.Header, "Connection", "upgrade") {
		bad = append(bad, fmt.Sprintf("Connection header is %q, want Upgrade", resp.Header.Get("Connection")))
	}
	if got, want := resp.Header.Get("Sec-WebSocket-Accept"), acceptKey(key); got != want {
		bad = append(bad, fmt.Sprintf("Sec-WebSocket-Accept is %q, want %q", got, want))
	}
	if len(bad) > 0 {
		return Result{Status: Fail, Summary: "101 answered, but " + strings.Join(bad, "; "), Metrics: metrics,
			Hint: "something between the client and the app rewrites the handshake; browsers will refuse it. Check proxies in front of the backends"}
	}
	// Leave politely: a masked close frame, 1000 "normal closure".
	mask := [4]byte{}
	_, _ = rand.Read(mask[:])
	closeFrame := []byte{0x88, 0x82, mask[0], mask[1], mask[2], mask[3], 0x03 ^ mask[0], 0xe8 ^ mask[1]}
	_, _ = conn.Write(closeFrame)
	return Result{Status: Pass, Summary: fmt.Sprintf("101 Switching Protocols in %s, Sec-WebSocket-Accept correct", round(elapsed)), Metrics: metrics}
}

func upgradeHint(code int) string {
	switch {
	case code == http.StatusForbidden:
		return "the app refused the Origin: pass --origin with an allowed page host, or add it to wschat --allowed-origins"
	case code == http.StatusNotFound:
		return "nothing serves the WebSocket path here: check --path and that the backends run wschat"
	case code >= 200 && code < 300:
		return "a plain web server answered instead of a WebSocket server: check backends.port in wsdeploy.yaml and that wschat runs there"
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		return "the load balancer has no healthy backend: check `curl http://<server>:5000/healthz` on each server and backends.healthCheck.path (/healthz)"
	case code == http.StatusBadRequest || code == http.StatusUpgradeRequired:
		return "the server refused the handshake: something in between may strip the Upgrade and Connection headers"
	}
	return "check the backends' logs"
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// round makes durations readable: 1.2ms, 35ms, 1.5s.
func round(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d < time.Second:
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
