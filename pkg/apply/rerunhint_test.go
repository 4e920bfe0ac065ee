package apply

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// TestPartialErrorNamesTheRerunOnce: when a step fails with an error whose
// own hint ends by telling the user to run the command again, the run's
// To fix: still says so once, with the run's own command (the engine's
// line), and keeps what the hint says to do first.
func TestPartialErrorNamesTheRerunOnce(t *testing.T) {
	id := plan.Addr{Op: plan.Create, Kind: plan.KindListener, Key: "HTTP:80"}
	apiErr := func(code string, status int) error {
		return &cloud.Error{Product: "alb", Action: "CreateLoadBalancer", Code: code, HTTPStatus: status}
	}
	for _, tt := range []struct {
		name, mode string
		err        error
		keep       string // what the hint says to do first
	}{
		{"quota", "up", apiErr("QuotaExceeded.LoadBalancersNum", 400), "raise the quota in the Quota Center console"},
		{"no answer", "up", &cloud.Error{Product: "alb", Action: "CreateListener", Class: cloud.ClassNoAnswer}, "check the network or proxy in between"},
		{"halt sales", "up", &cloud.Error{Product: "slb", Action: "CreateLoadBalancer", Code: "PayBySpecSlbHaltSales", HTTPStatus: 400}, "remove clb.create.spec"},
		{"forbidden", "down", apiErr("Forbidden.RAM", 403), "grant it"},
		{"clock", "up", apiErr("InvalidTimeStamp.Expired", 400), "sync it"},
		{"port lag", "up", &cloud.PortTakenError{Port: 80, LB: "alb-1", Err: errors.New("taken")}, "look at port 80 of alb-1"},
		{"edition", "up", &alb.EditionError{ID: "alb-1", Want: "Standard", Have: "Basic", Sends: 2}, "upgrade alb-1 in the ALB console"},
		{"create failed, kept", "up", &alb.CreateFailedError{Name: "chat", IDs: []string{"alb-1"}}, "never creates duplicates"},
		{"clb protected", "down", &clb.ProtectedError{ID: "lb-1", Err: errors.New("protected")}, "clb.create.deletionProtection: false"},
	} {
		pe := &PartialError{Resume: "wsdeploy " + tt.mode + " -f prod.yaml", Result: &Result{mode: tt.mode, Failed: []plan.Addr{id},
			errs: map[plan.Addr]error{id: fmt.Errorf("step: %w", tt.err)}}}
		got := pe.Hint()
		if strings.Count(got, "again") != 1 || strings.Contains(got, "retry") || !strings.Contains(got, "run `wsdeploy "+tt.mode+" -f prod.yaml` again") {
			t.Errorf("%s: hint should name `wsdeploy %s -f prod.yaml` once as the command to run again:\n  %q", tt.name, tt.mode, got)
		}
		if !strings.Contains(got, tt.keep) {
			t.Errorf("%s: hint lost %q:\n  %q", tt.name, tt.keep, got)
		}
	}
}
