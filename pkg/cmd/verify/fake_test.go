package verify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// throughDataPlane picks, for each listener of the stack, the data-plane
// listener of the same load balancer, port and protocol, and nothing else.
func TestThroughDataPlane(t *testing.T) {
	t.Parallel()
	s := config.Demo() // ALB alb-fake01: HTTP 5000, HTTPS 443
	dp := &dataPlane{}
	add := func(lbType, lbID, proto string, port int, addr string) {
		dp.Listeners = append(dp.Listeners, dataPlaneListener{LBType: lbType, LBID: lbID, Protocol: proto, Port: port, Address: addr})
	}
	add("clb", "lb-fake01", "HTTP", 5000, "127.0.0.1:1")   // the other kind
	add("alb", "alb-other", "HTTP", 5000, "127.0.0.1:2")   // another ALB
	add("alb", "alb-fake01", "HTTPS", 5000, "127.0.0.1:3") // another protocol
	add("alb", "alb-fake01", "HTTP", 5000, "127.0.0.1:4")  // this one
	opts := &VerifyOptions{CloudOptions: cmdutil.CloudOptions{Cloud: cmdutil.CloudFlags{Local: true}}}
	targets := make([]verify.Target, len(s.Listeners))
	err := throughDataPlane(dp, s, targets, opts)
	if err == nil || !strings.Contains(err.Error(), "serves no listener HTTPS:443 on ALB alb-fake01") {
		t.Fatalf("err = %v", err)
	}
	if got := targets[0].DialAddrs; len(got) != 1 || got[0] != "127.0.0.1:4" {
		t.Errorf("HTTP:5000 dials %v, want 127.0.0.1:4", got)
	}
	add("alb", "alb-fake01", "HTTPS", 443, "127.0.0.1:5")
	if err := throughDataPlane(dp, s, targets, opts); err != nil || targets[1].DialAddrs[0] != "127.0.0.1:5" {
		t.Errorf("err %v, HTTPS:443 dials %v", err, targets[1].DialAddrs)
	}
	// Nothing served at all: say that no process serves the data plane.
	err = throughDataPlane(&dataPlane{}, s, make([]verify.Target, 2), opts)
	var h cmdutil.Hinter
	if err == nil || !strings.Contains(err.Error(), "no process serves its data plane") || !errors.As(err, &h) || !strings.Contains(h.Hint(), "wsdeploy demo") {
		t.Errorf("err = %v", err)
	}
}

// An endpoint that is not a fake cloud's (no /_fake/dataplane) leaves verify
// resolving names as usual.
func TestReadDataPlaneNotAFake(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
		_, _, err := readDataPlane(context.Background(), hs.URL)
		hs.Close()
		if !errors.Is(err, errNoDataPlane) {
			t.Errorf("status %d: err = %v", status, err)
		}
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != "localhost" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Write([]byte(`{"listeners":[],"caPath":""}`))
	}))
	defer hs.Close()
	if dp, _, err := readDataPlane(context.Background(), hs.URL); err != nil || dp == nil || len(dp.Listeners) != 0 {
		t.Errorf("a fake with nothing served: %+v, %v", dp, err)
	}
}
