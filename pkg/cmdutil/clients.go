package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/dns"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/ecs"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/oos"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/sts"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/vpc"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// Clients are the API clients of one command run.
type Clients struct {
	ALB      *alb.Client
	CLB      *clb.Client
	DNS      *dns.Client
	ECS      *ecs.Client
	OOS      *oos.Client
	VPC      *vpc.Client
	STS      *sts.Client // which account (saved plans)
	Endpoint string      // "" = Alibaba Cloud
	close    func()
}

// Close stops what the clients started (the local fake cloud).
func (c *Clients) Close() {
	if c.close != nil {
		c.close()
	}
}

// Reader is the inventory reader over the clients.
func (c *Clients) Reader() inventory.Reader {
	return inventory.Reader{ALB: c.ALB, CLB: c.CLB, DNS: c.DNS, ECS: c.ECS, Assistant: c.ECS, Secrets: c.OOS, SG: c.ECS, VPC: c.VPC}
}

// Endpoint is --endpoint, else WSDEPLOY_ENDPOINT.
func (f *Factory) Endpoint(c CloudFlags) string {
	if c.Endpoint != "" {
		return c.Endpoint
	}
	return f.Getenv("WSDEPLOY_ENDPOINT")
}

// Connect builds the API clients for stack s: for --local, against an
// in-process fake cloud; otherwise against --endpoint or Alibaba Cloud, with
// credentials from credentials-go's default chain. output is -o (for the
// --debug and retry lines).
func (f *Factory) Connect(ctx context.Context, s *config.Stack, o *CloudOptions) (*Clients, error) {
	cfg := cloud.Config{Region: s.Region, Retry: cloud.Retry{GiveUp: f.RetryGiveUp, OnRetry: func(err error, attempt int, delay time.Duration) {
		f.retrying(o.Output, err, attempt, delay)
	}}, Waits: cloud.NewWaits()}
	if o.Cloud.Debug {
		log := f.Log(o.Output)
		cfg.Debug = cloud.NewDebugLogFunc(func(l cloud.DebugLine) {
			log.Debug(render.APICall{Product: l.Product, Action: l.Action, Status: l.Status, RequestID: l.RequestID, Millis: l.Millis, Params: l.Params, Error: l.Error})
		})
	}
	out := &Clients{}
	switch {
	case o.Cloud.Local:
		srv, err := f.StartLocal(ctx)
		if err != nil {
			return nil, err
		}
		cfg.Endpoint = srv.URL
		cfg.Credential, err = cloud.StaticCredential(srv.KeyID, srv.Secret)
		if err != nil {
			srv.Stop()
			return nil, err
		}
		out.close = srv.Stop
	default:
		cfg.Endpoint = f.Endpoint(o.Cloud)
		if cfg.Endpoint != "" {
			if _, _, err := cloud.ParseEndpoint(cfg.Endpoint); err != nil {
				return nil, FlagError(fmt.Errorf("--endpoint: %w", err))
			}
		}
		// Credentials are found now, before any call, so that a missing or
		// broken source is reported as such (a *cloud.CredentialError, in
		// wsdeploy's words: the providers' own messages can quote secrets).
		cred, err := f.Credential(o.Cloud.Profile, cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		if _, err := cred.GetCredential(); err != nil {
			return nil, err
		}
		cfg.Credential = cred
	}
	out.Endpoint = cfg.Endpoint
	var err error
	if out.ALB, err = alb.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.CLB, err = clb.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.DNS, err = dns.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.ECS, err = ecs.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.OOS, err = oos.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.VPC, err = vpc.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	if out.STS, err = sts.New(cfg); err != nil {
		out.Close()
		return nil, err
	}
	return out, nil
}

// retrying reports on stderr a call that is retried because the endpoint
// cannot be reached or did not answer, so a stalled run is never silent.
func (f *Factory) retrying(output string, err error, attempt int, delay time.Duration) {
	var e *cloud.Error
	if !errors.As(err, &e) || (e.Class != cloud.ClassUnreachable && e.Class != cloud.ClassNoAnswer) {
		return
	}
	// Calls run in parallel: one line per attempt and reason is enough.
	f.mu.Lock()
	if f.retries == nil {
		f.retries = map[string]int{}
	}
	seen := f.retries[e.Reason()] >= attempt+1
	if !seen {
		f.retries[e.Reason()] = attempt + 1
	}
	f.mu.Unlock()
	if seen {
		return
	}
	f.Log(output).Retrying(e.Product, e.Action, e.Reason(), attempt+1, delay)
}
