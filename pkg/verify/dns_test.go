package verify_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/internal/dnstest"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// TestDNSThroughADNSServer: the dns check asks a real DNS server (a table on
// loopback, through Go's resolver) and passes only when the record reaches
// the load balancer.
func TestDNSThroughADNSServer(t *testing.T) {
	t.Parallel()
	const (
		albName = "alb-x.cn-hangzhou.alb.aliyuncs.com"
		clbAddr = "203.0.113.10"
	)
	srv := dnstest.Start(t)
	// The ALB's name is itself an alias, as real ones can be.
	srv.CNAME(albName, "alb-x-zone.alb.example.net")
	srv.A("alb-x-zone.alb.example.net", "192.0.2.10", "192.0.2.11")
	srv.A("old-lb.example.net", "198.51.100.7")
	srv.CNAME("via-alb.test", albName)                      // the record wsdeploy writes
	srv.CNAME("to-zone.test", "alb-x-zone.alb.example.net") // an alias of the same canonical name
	srv.A("copied.test", "192.0.2.11", "192.0.2.10")        // the ALB's addresses, written as A records
	srv.CNAME("elsewhere.test", "old-lb.example.net")
	srv.A("some-of-them.test", "192.0.2.10")
	srv.A("clb.test", clbAddr)
	srv.A("other-clb.test", "198.51.100.7")
	srv.A("clb-and-more.test", clbAddr, "198.51.100.7")

	tests := []struct {
		name, host, expect string
		server             string // "" = srv
		want               verify.Status
		summary            []string
	}{
		{"CNAME to the ALB", "via-alb.test", albName, "", verify.Pass,
			[]string{"via-alb.test → CNAME ", "192.0.2.10", "(the load balancer"}},
		{"CNAME to the ALB's canonical name", "to-zone.test", albName, "", verify.Pass,
			[]string{"CNAME alb-x-zone.alb.example.net", "(the load balancer: " + albName + " leads to alb-x-zone.alb.example.net too)"}},
		{"A records with the ALB's addresses", "copied.test", albName, "", verify.Pass,
			[]string{"(the load balancer: the addresses of " + albName + ")"}},
		{"CNAME elsewhere", "elsewhere.test", albName, "", verify.Fail,
			[]string{"elsewhere.test → CNAME old-lb.example.net → 198.51.100.7, want " + albName}},
		{"some of the ALB's addresses", "some-of-them.test", albName, "", verify.Fail,
			[]string{"some-of-them.test → 192.0.2.10, want " + albName}},
		{"A record to the CLB", "clb.test", clbAddr, "", verify.Pass,
			[]string{"clb.test → 203.0.113.10 (the load balancer)"}},
		{"A record to another address", "other-clb.test", clbAddr, "", verify.Fail,
			[]string{"other-clb.test → 198.51.100.7, want 203.0.113.10 (the load balancer)"}},
		{"the CLB and another address", "clb-and-more.test", clbAddr, "", verify.Fail,
			[]string{"want 203.0.113.10 (the load balancer) alone: 198.51.100.7 lead elsewhere"}},
		{"a CNAME where the CLB's address is expected", "via-alb.test", clbAddr, "", verify.Fail,
			[]string{"want 203.0.113.10 (the load balancer)"}},
		{"no expectation", "elsewhere.test", "", "", verify.Skip,
			[]string{"elsewhere.test → CNAME old-lb.example.net → 198.51.100.7; not compared with the load balancer"}},
		{"no record", "missing.test", albName, "", verify.Fail,
			[]string{"resolve missing.test", "no such host"}},
		{"resolver unreachable", "via-alb.test", albName, dnstest.Unreachable(t), verify.Skip,
			[]string{"could not ask DNS about via-alb.test, so the record is unchecked", "connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			server := tt.server
			if server == "" {
				server = srv.Addr
			}
			resolve, err := verify.ServerResolver(server)
			if err != nil {
				t.Fatal(err)
			}
			o := quick(verify.Target{Addr: tt.host + ":80", DialAddrs: []string{closedPort(t)}})
			o.Resolve, o.ExpectDNS = resolve, tt.expect
			rep := run(t, o)
			r := result(t, rep, verify.CheckDNS)
			if r.Status != tt.want {
				t.Errorf("dns: %s %q, want %s", r.Status, r.Summary, tt.want)
			}
			for _, s := range tt.summary {
				if !strings.Contains(r.Summary, s) {
					t.Errorf("dns summary %q lacks %q", r.Summary, s)
				}
			}
			if tt.server != "" && !strings.Contains(r.Summary, tt.server) {
				t.Errorf("dns summary %q does not name the server asked, %s", r.Summary, tt.server)
			}
		})
	}
}

// TestDNSSkipSaysWhatToDo: a dns check that could not be made prints its
// "To fix:" line, like a failure.
func TestDNSSkipSaysWhatToDo(t *testing.T) {
	t.Parallel()
	resolve, err := verify.ServerResolver(dnstest.Unreachable(t))
	if err != nil {
		t.Fatal(err)
	}
	o := quick(verify.Target{Addr: "chat.test:80", DialAddrs: []string{closedPort(t)}})
	o.Resolve = resolve
	rep := run(t, o)
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "– dns") || !strings.Contains(text.String(), "To fix: check that this machine reaches its DNS server") {
		t.Errorf("text report:\n%s", text.String())
	}
}

func TestServerResolverAddress(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"223.5.5.5", "8.8.8.8:53", "[2001:db8::1]:53", "2001:db8::1", "dns.example:5353"} {
		if _, err := verify.ServerResolver(ok); err != nil {
			t.Errorf("ServerResolver(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "dns.example", "1.2.3.4:0", "1.2.3.4:dns", ":53"} {
		if _, err := verify.ServerResolver(bad); err == nil || !strings.Contains(err.Error(), "want an IP address or host:port") {
			t.Errorf("ServerResolver(%q): %v, want an error", bad, err)
		}
	}
}

// TestLookupResolverFollowsTheChain: the chain is walked alias by alias when
// the resolver tells the next alias, and a loop ends the walk.
func TestLookupResolverFollowsTheChain(t *testing.T) {
	t.Parallel()
	l := fakeLookup{cnames: map[string]string{"a.test": "b.test.", "b.test": "c.test.", "c.test": "b.test."}, addrs: []string{"192.0.2.1"}}
	a, err := verify.LookupResolver(l)(context.Background(), "a.test")
	if err != nil {
		t.Fatal(err)
	}
	if a.CNAME != "b.test" || strings.Join(a.Chain, ",") != "c.test" || strings.Join(a.Addrs, ",") != "192.0.2.1" {
		t.Errorf("answer %+v, want CNAME b.test, chain [c.test], the addresses", a)
	}
}

type fakeLookup struct {
	cnames map[string]string
	addrs  []string
}

func (f fakeLookup) LookupCNAME(_ context.Context, host string) (string, error) {
	if c, ok := f.cnames[strings.TrimSuffix(host, ".")]; ok {
		return c, nil
	}
	return host + ".", nil
}

func (f fakeLookup) LookupHost(context.Context, string) ([]string, error) { return f.addrs, nil }
