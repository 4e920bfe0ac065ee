// The edition of an ALB instance, changed in place (UpdateLoadBalancerEdition):
// Basic → Standard or StandardWithWaf, StandardWithWaf → Standard (see
// resource.ALBEditionChanges; any other change takes a new instance).

package alb

import (
	"context"
	"fmt"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// editionSends is how many times SetLBEdition sends the change at most: a
// change that ends with the instance back Active in its old edition (it
// failed, or the token replayed an earlier run's failed change) is sent
// once more, with the next token of its chain.
const editionSends = 2

// SetLBEdition changes the instance's edition in place and waits until the
// change is done: the instance Active again, in the new edition. The call
// answers no JobId (a RequestId only), so the wait reads the instance
// (GetLoadBalancerAttribute), as the API reference says to; a change that
// ends in the old edition is an *EditionError.
func (x Executor) SetLBEdition(ctx context.Context, id, edition, token string, p cloud.Progress) error {
	var lb resource.LoadBalancer
	for send := 1; ; send++ {
		err := x.c.api.Call(ctx, "UpdateLoadBalancerEdition", true, func(ctx context.Context, sdk *albsdk.Client) error {
			_, err := sdk.UpdateLoadBalancerEditionWithContext(ctx, &albsdk.UpdateLoadBalancerEditionRequest{
				LoadBalancerId: tea.String(id), LoadBalancerEdition: tea.String(edition), ClientToken: tokenOrNil(token),
			}, x.c.api.Runtime)
			return err
		})
		if err != nil {
			return err
		}
		start := time.Now()
		err = x.c.api.Config.Waits.WaitNow(ctx, "alb/UpdateLoadBalancerEdition", func(ctx context.Context) (bool, error) {
			var err error
			if lb, err = x.c.readLB(ctx, id); err != nil {
				return false, err
			}
			if lb.Status == "Active" {
				return true, nil
			}
			if p != nil {
				p(lb.Status+" (edition → "+edition+")", time.Since(start))
			}
			return false, nil
		})
		if err != nil {
			return fmt.Errorf("wait for ALB %s to become Active in edition %s: %w", id, edition, err)
		}
		if lb.Spec != nil && lb.Spec.Edition == edition {
			return nil
		}
		have := ""
		if lb.Spec != nil {
			have = lb.Spec.Edition
		}
		if send == editionSends {
			return &EditionError{ID: id, Want: edition, Have: have, Sends: send}
		}
		if p != nil {
			p("the edition change ended with "+id+" still "+have+": sending it again", cloud.Notice)
		}
		if token != "" {
			token = NextToken(token, fmt.Sprintf("edition:%d", send))
		}
	}
}

// EditionError says that an edition change ended with the instance back
// Active in its old edition: the change failed in the background.
type EditionError struct {
	ID, Want, Have string
	Sends          int
}

func (e *EditionError) Error() string {
	return fmt.Sprintf("ALB %s is Active again but still %s, not %s: the edition change failed (sent %d times); its ID, DNS name and everything on it are unchanged",
		e.ID, e.Have, e.Want, e.Sends)
}

// Hint says how to go on: the cloud did not make the change it accepted.
func (e *EditionError) Hint() string {
	return "run `wsdeploy up` again to ask for the change once more; " + e.ifFails()
}

// Fix is the hint without running the command again (see cloud.Error.Fix).
func (e *EditionError) Fix() string {
	return "the next run asks for the change once more; " + e.ifFails()
}

func (e *EditionError) ifFails() string {
	return fmt.Sprintf("if it keeps failing, upgrade %s in the ALB console (Instance > Upgrade), which says why, or keep alb.create.edition: %s", e.ID, e.Have)
}
