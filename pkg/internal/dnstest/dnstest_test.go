package dnstest_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/internal/dnstest"
)

func resolver(addr string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

// TestServerAnswersLikeARecursiveResolver: Go's own resolver, pointed at the
// server, sees the table: a CNAME chain, its final addresses, NXDOMAIN for
// the rest, and a refused query at an Unreachable address.
func TestServerAnswersLikeARecursiveResolver(t *testing.T) {
	t.Parallel()
	s := dnstest.Start(t)
	s.CNAME("chat.example.test", "lb.example.net.")
	s.CNAME("lb.example.net", "lb-zone-a.example.net")
	s.A("lb-zone-a.example.net", "192.0.2.10", "192.0.2.11", "2001:db8::1")
	r := resolver(s.Addr)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	addrs, err := r.LookupHost(ctx, "chat.example.test")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(addrs)
	if want := []string{"192.0.2.10", "192.0.2.11", "2001:db8::1"}; !slices.Equal(addrs, want) {
		t.Errorf("LookupHost = %v, want %v", addrs, want)
	}
	cname, err := r.LookupCNAME(ctx, "chat.example.test")
	if err != nil {
		t.Fatal(err)
	}
	// Go's resolver returns the first alias of the chain or the canonical name
	// at its end, whichever of its parallel queries is answered first.
	if cname != "lb.example.net." && cname != "lb-zone-a.example.net." {
		t.Errorf("LookupCNAME = %q, want lb.example.net. or lb-zone-a.example.net.", cname)
	}
	if cname, err := r.LookupCNAME(ctx, "lb-zone-a.example.net"); err != nil || cname != "lb-zone-a.example.net." {
		t.Errorf("LookupCNAME of a canonical name = %q, %v", cname, err)
	}

	var de *net.DNSError
	if _, err := r.LookupHost(ctx, "other.example.test"); !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("an unknown name: %v, want not found", err)
	}
	if s.Queries() == 0 {
		t.Error("the server counted no queries")
	}
	if _, err := resolver(dnstest.Unreachable(t)).LookupHost(ctx, "chat.example.test"); !errors.As(err, &de) || de.IsNotFound {
		t.Errorf("an unreachable server: %v, want an error that is not 'not found'", err)
	}
}
