package alb_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// basicALB creates a Basic ALB through the executor and returns its ID.
func basicALB(t *testing.T, x alb.Executor) string {
	t.Helper()
	spec := resource.LBSpec{
		Type: "alb", Name: "chat-alb", AddressType: "Internet", Edition: "Basic", VpcID: "vpc-fake01",
		Zones: []resource.ZoneMapping{{ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-fake01-h"}, {ZoneID: "cn-hangzhou-i", VSwitchID: "vsw-fake01-i"}},
		Tags:  map[string]string{resource.OwnerTagKey: "chat"},
	}
	lb, err := x.CreateLB(context.Background(), spec, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return lb.ID
}

// edition is the fake's edition of the instance id.
func edition(fc *fakecloud.TestServer, id string) string {
	for _, lb := range fc.Snapshot().ALB.LoadBalancers {
		if lb.ID == id {
			return lb.Edition
		}
	}
	return ""
}

// TestSetLBEdition: the change is sent and waited for until the ALB is
// Active in the new edition; a change that fails in the background is sent
// once more with the next token of its chain (a token replaying an earlier
// run's failed change does nothing); failing again, it is an *EditionError
// that leaves the ALB as it was.
func TestSetLBEdition(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fails int // JobFails times: 0 none, -1 always
		want  string
		sends int
	}{
		{"done", 0, "Standard", 1},
		{"failed once", 1, "Standard", 2},
		{"failed twice", -1, "Basic", 2},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "-"), func(t *testing.T) {
			t.Parallel()
			opts := fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: jobAsync}
			switch tc.fails {
			case 1:
				opts.Faults = []fakecloud.Fault{jobFails("UpdateLoadBalancerEdition", 1)}
			case -1:
				opts.Faults = []fakecloud.Fault{jobFails("UpdateLoadBalancerEdition", 0)}
			}
			c, fc := cloudtest.Client(t, opts, alb.New)
			x := c.Executor()
			id := basicALB(t, x)
			err := x.SetLBEdition(context.Background(), id, "Standard", "tok-ed", nil)
			var ee *alb.EditionError
			switch {
			case tc.fails == -1 && !errors.As(err, &ee):
				t.Fatalf("err %v (%T), want *EditionError", err, err)
			case tc.fails == -1 && (ee.Have != "Basic" || !strings.Contains(ee.Hint(), "wsdeploy up")):
				t.Fatalf("EditionError %+v, hint %q", ee, ee.Hint())
			case tc.fails != -1 && err != nil:
				t.Fatal(err)
			}
			if got := edition(fc, id); got != tc.want {
				t.Fatalf("edition %q, want %s", got, tc.want)
			}
			w := writes(fc, "UpdateLoadBalancerEdition")
			if len(w) != tc.sends || w[0] != "tok-ed" || (len(w) == 2 && w[1] != alb.NextToken("tok-ed", "edition:1")) {
				t.Fatalf("UpdateLoadBalancerEdition sent with tokens %v, want %d sends from tok-ed along its chain", w, tc.sends)
			}
		})
	}
}
