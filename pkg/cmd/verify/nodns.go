package verify

// A stack without dns: has no name to verify: verify goes to its load
// balancer's own address instead (the ALB's DNS name, the CLB's address),
// read through the API, and says so in place of the dns check.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
)

// lbAddress reads the stack's load balancer's own address.
func lbAddress(ctx context.Context, opts *VerifyOptions, s *config.Stack) (string, error) {
	hint := "pass --target host:port (the load balancer's address that `wsdeploy up` printed), or add a dns: section to the stack file"
	c, err := opts.Factory.Connect(ctx, s, &opts.CloudOptions)
	if err != nil {
		return "", cmdutil.WithHint(fmt.Errorf("the stack has no dns: section, so verify connects to the load balancer's own address, and cannot read it: %w", err), hint)
	}
	defer c.Close()
	addr, err := lbDestination(ctx, c, s)
	if err == nil && addr == "" {
		err = errors.New(strings.ToUpper(s.LB) + " " + s.LBID() + " has no address yet")
	}
	if err != nil {
		return "", cmdutil.WithHint(fmt.Errorf("the stack has no dns: section, so verify connects to the load balancer's own address: %w", err), hint)
	}
	return addr, nil
}
