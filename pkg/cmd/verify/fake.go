package verify

// Against a fake cloud (--local, --endpoint), the load balancers are served
// on loopback ports by the fake's data plane: verify finds each listener's
// local address in GET /_fake/dataplane and trusts the world's CA from
// /_fake/ca.pem, so every check runs for real through the load balancer
// without --target.

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// dataPlane is the answer of a fake cloud's GET /_fake/dataplane.
type dataPlane struct {
	Listeners []dataPlaneListener `json:"listeners"`
	CAPath    string              `json:"caPath"`
}

// dataPlaneListener is one listener a fake cloud serves on a local address.
type dataPlaneListener struct {
	LBType     string `json:"lbType"` // alb | clb
	LBID       string `json:"lbId"`
	ListenerID string `json:"listenerId"`
	Protocol   string `json:"protocol"`
	Port       int    `json:"port"`    // in the cloud
	Address    string `json:"address"` // here: 127.0.0.1:PORT
}

// errNoDataPlane says the endpoint is not a fake cloud with a data plane
// (an older fake, or something else): verify then resolves names as usual.
var errNoDataPlane = errors.New("the endpoint serves no /_fake/dataplane")

// fakeGet reads a control endpoint of the fake cloud at endpoint. The
// control endpoints answer only requests addressed to the local machine.
func fakeGet(ctx context.Context, endpoint, path string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	req.Host = "localhost"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if res.StatusCode != http.StatusOK {
		// Not a fake cloud's control endpoint (an older fake, a proxy to
		// Alibaba Cloud, …).
		return nil, errNoDataPlane
	}
	return body, nil
}

// readDataPlane reads where the fake's listeners listen, and its CA.
func readDataPlane(ctx context.Context, endpoint string) (*dataPlane, *x509.CertPool, error) {
	body, err := fakeGet(ctx, endpoint, "/_fake/dataplane")
	if err != nil {
		return nil, nil, err
	}
	var dp dataPlane
	if err := json.Unmarshal(body, &dp); err != nil {
		return nil, nil, errNoDataPlane
	}
	if dp.CAPath == "" {
		return &dp, nil, nil
	}
	pem, err := fakeGet(ctx, endpoint, dp.CAPath)
	if errors.Is(err, errNoDataPlane) {
		err = fmt.Errorf("GET %s: not found", dp.CAPath)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the fake cloud's CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, nil, fmt.Errorf("read the fake cloud's CA: no PEM certificate at %s", dp.CAPath)
	}
	return &dp, pool, nil
}

// throughDataPlane points each target (one per listener of s, in order) at
// the local address where the fake's data plane serves that listener. A
// listener it does not serve is an error that says why that may be.
func throughDataPlane(dp *dataPlane, s *config.Stack, targets []verify.Target, opts *VerifyOptions) error {
	lbType := "alb"
	if s.LB == config.LBCLB {
		lbType = "clb"
	}
	var missing []string
	for i, l := range s.Listeners {
		addr := ""
		for _, d := range dp.Listeners {
			if d.LBType == lbType && d.LBID == s.LBID() && d.Port == l.Port && strings.EqualFold(d.Protocol, l.Protocol) {
				addr = d.Address
			}
		}
		if addr == "" {
			missing = append(missing, l.Protocol+":"+strconv.Itoa(l.Port))
			continue
		}
		targets[i].DialAddrs = []string{addr}
	}
	switch {
	case len(missing) == 0:
		return nil
	case len(dp.Listeners) == 0:
		hint := "start the fake cloud with its data plane (`wsdeploy fakecloud` serves it unless --data-plane=false) and map the instances' ports to your app (seed ports:, or PUT /_fake/instances/ID/ports); or pass --target"
		if opts.Cloud.Local {
			hint = "run `wsdeploy demo` in this directory: it runs the chat backends and serves the local fake cloud's load balancers; or pass --target"
		}
		return cmdutil.WithHint(
			errors.New("the fake cloud's load balancers carry no traffic: no process serves its data plane, so there is nothing to connect to"), hint)
	}
	return cmdutil.WithHint(
		fmt.Errorf("the fake cloud's data plane serves no listener %s on %s %s", strings.Join(missing, ", "), strings.ToUpper(lbType), s.LBID()),
		"run `"+upCommand(opts)+"` to create (and start) the stack's listeners, then verify again")
}

// upCommand is `wsdeploy up` with this run's stack and cloud flags.
func upCommand(opts *VerifyOptions) string {
	var extra []string
	if opts.Stack.LBSet {
		extra = append(extra, "--lb", opts.Stack.LB)
	}
	return cmdutil.CommandLine(&opts.CloudOptions, "up", extra...)
}
