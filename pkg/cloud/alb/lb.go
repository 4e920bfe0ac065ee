// ALB instances that a stack creates (alb.create): find them by the stack's
// tag, read their create settings, create one (its tags in the call, with a
// ClientToken), wait until it is Active, rename it, switch its deletion
// protection, delete it; and the zones where ALB can be created.

package alb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// lbNotFound reports whether err says the ALB instance does not exist.
func lbNotFound(err error) bool {
	return cloud.HasCode(err, "ResourceNotFound.LoadBalancer", "InvalidLoadBalancerId.NotFound")
}

// ListLoadBalancersByTag lists the ALB instances carrying tag key=value,
// each read in full (GetLoadBalancerAttribute: the list lacks the zones)
// with its create settings as Spec. An instance being deleted has Status
// resource.LBStatusDeleting (see markDeleting).
func (c *Client) ListLoadBalancersByTag(ctx context.Context, key, value string) ([]resource.LoadBalancer, error) {
	ids, err := cloud.Pages(func(token *string) (out []string, next *string, err error) {
		err = c.api.Call(ctx, "ListLoadBalancers", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListLoadBalancersWithContext(ctx, &albsdk.ListLoadBalancersRequest{
				Tag:        []*albsdk.ListLoadBalancersRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
				MaxResults: tea.Int32(c.api.Config.Page()), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, lb := range resp.Body.LoadBalancers {
				out = append(out, tea.StringValue(lb.LoadBalancerId))
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
	if err != nil {
		return nil, err
	}
	var out []resource.LoadBalancer
	for _, id := range ids {
		lb, err := c.readLB(ctx, id)
		if lbNotFound(err) {
			continue // deleted between the list and the read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, lb)
	}
	if err := c.markDeleting(ctx, out); err != nil {
		return nil, fmt.Errorf("look for ALB instances being deleted: %w", err)
	}
	return out, nil
}

// readLB reads an ALB instance with its create settings (Spec).
func (c *Client) readLB(ctx context.Context, id string) (resource.LoadBalancer, error) {
	var out resource.LoadBalancer
	err := c.api.Call(ctx, "GetLoadBalancerAttribute", false, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.GetLoadBalancerAttributeWithContext(ctx, &albsdk.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)}, c.api.Runtime)
		if err != nil {
			return err
		}
		out = lbFrom(resp.Body)
		return nil
	})
	return out, err
}

// lbFrom is an ALB instance, with its create settings, from its attributes.
func lbFrom(b *albsdk.GetLoadBalancerAttributeResponseBody) resource.LoadBalancer {
	out := resource.LoadBalancer{
		Type: "alb", ID: tea.StringValue(b.LoadBalancerId), Name: tea.StringValue(b.LoadBalancerName),
		DNSName: tea.StringValue(b.DNSName), VpcID: tea.StringValue(b.VpcId), Status: tea.StringValue(b.LoadBalancerStatus),
		Tags: map[string]string{},
	}
	for _, t := range b.Tags {
		out.Tags[tea.StringValue(t.Key)] = tea.StringValue(t.Value)
	}
	spec := &resource.LBSpec{
		Type: "alb", Name: out.Name, AddressType: tea.StringValue(b.AddressType), Edition: tea.StringValue(b.LoadBalancerEdition),
		VpcID: out.VpcID, Tags: map[string]string{resource.OwnerTagKey: out.Tags[resource.OwnerTagKey]},
	}
	if d := b.DeletionProtectionConfig; d != nil {
		spec.DeletionProtection = tea.BoolValue(d.Enabled)
	}
	for _, z := range b.ZoneMappings {
		spec.Zones = append(spec.Zones, resource.ZoneMapping{ZoneID: tea.StringValue(z.ZoneId), VSwitchID: tea.StringValue(z.VSwitchId)})
		for _, a := range z.LoadBalancerAddresses {
			out.LocalAddresses = append(out.LocalAddresses, tea.StringSliceValue(a.Ipv4LocalAddresses)...)
		}
	}
	out.Spec = spec
	return out
}

// LBZones lists the zones of the region where ALB can be created (DescribeZones).
func (c *Client) LBZones(ctx context.Context) ([]string, error) {
	var out []string
	err := c.api.Call(ctx, "DescribeZones", false, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.DescribeZonesWithContext(ctx, &albsdk.DescribeZonesRequest{}, c.api.Runtime)
		if err != nil {
			return err
		}
		for _, z := range resp.Body.Zones {
			out = append(out, tea.StringValue(z.ZoneId))
		}
		return nil
	})
	return out, err
}

// createLB sends CreateLoadBalancer for spec (pay-as-you-go, its tags in
// the call) and returns the new instance's ID.
func (c *Client) createLB(ctx context.Context, spec resource.LBSpec, token string) (string, error) {
	req := &albsdk.CreateLoadBalancerRequest{
		LoadBalancerName:          tea.String(spec.Name),
		AddressType:               tea.String(spec.AddressType),
		LoadBalancerEdition:       tea.String(spec.Edition),
		VpcId:                     tea.String(spec.VpcID),
		LoadBalancerBillingConfig: &albsdk.CreateLoadBalancerRequestLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
		DeletionProtectionEnabled: tea.Bool(spec.DeletionProtection),
		ClientToken:               tokenOrNil(token),
	}
	for _, z := range spec.Zones {
		req.ZoneMappings = append(req.ZoneMappings, &albsdk.CreateLoadBalancerRequestZoneMappings{ZoneId: tea.String(z.ZoneID), VSwitchId: tea.String(z.VSwitchID)})
	}
	for _, k := range resource.SortedKeys(spec.Tags) {
		req.Tag = append(req.Tag, &albsdk.CreateLoadBalancerRequestTag{Key: tea.String(k), Value: tea.String(spec.Tags[k])})
	}
	var id string
	err := c.api.Call(ctx, "CreateLoadBalancer", true, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.CreateLoadBalancerWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		id = tea.StringValue(resp.Body.LoadBalancerId)
		return nil
	})
	return id, err
}

// MaxCreateAttempts is how many ALB instances one create step makes at
// most when each create job fails (status CreateFailed).
const MaxCreateAttempts = 3

// CreateLB creates an ALB instance and waits until it is Active (see
// apply.LBMaker). A token that hands back an instance that no longer exists
// (one the stack created with the same spec and deleted since: the token of
// a create is stable, see resource.LBClientToken) is followed by the next
// token of the chain, NextToken(token, id), as every run would: a retry
// after a crash still meets the same instance.
//
// An instance that ends CreateFailed (the create job failed) is the stack's
// when it carries the stack's tag (it was created by this token, with the
// tag in the call): its deletion protection is turned off, it is deleted and
// waited for until it is gone, and the ALB is created again with the next
// token of the chain, MaxCreateAttempts instances in all. A run killed in
// between meets the same chain: its re-run's create walks past the deleted
// instance to the same next token. When the attempts run out, every failed
// instance is deleted and a *CreateFailedError says so.
func (x Executor) CreateLB(ctx context.Context, spec resource.LBSpec, token string, p cloud.Progress) (resource.LoadBalancer, error) {
	return x.createLoop(ctx, spec, token, nil, nil, p)
}

// createLoop is CreateLB after the failed instances failed, already deleted,
// which count among its MaxCreateAttempts; deleting are the instances of the
// stack the plan saw being deleted (lb_quota.go).
func (x Executor) createLoop(ctx context.Context, spec resource.LBSpec, token string, failed, deleting []string, p cloud.Progress) (resource.LoadBalancer, error) {
	for link := 0; ; link++ {
		id, err := x.createAfterDeleting(ctx, spec, token, deleting, p) // lb_quota.go
		if err != nil {
			return resource.LoadBalancer{}, fmt.Errorf("create ALB %s: %w", spec.Name, err)
		}
		lb, err := x.waitActive(ctx, id, p)
		var cf *CreateFailedError
		switch {
		case lbNotFound(err) && token != "" && link < maxChain:
			if p != nil {
				p("the create's ClientToken answered "+id+", deleted since: sending it with the next token", 0)
			}
		case errors.As(err, &cf):
			if owner := spec.Tags[resource.OwnerTagKey]; owner == "" || lb.Tags[resource.OwnerTagKey] != owner {
				return lb, fmt.Errorf("create ALB %s: %w; it does not carry the tag %s=%s, so wsdeploy leaves it alone", spec.Name, err, resource.OwnerTagKey, owner)
			}
			if err := x.deleteFailed(ctx, lb, token, p); err != nil {
				return resource.LoadBalancer{}, fmt.Errorf("create ALB %s: %s ended CreateFailed (not billed); delete it before creating again: %w", spec.Name, id, err)
			}
			failed = append(failed, id)
			if len(failed) >= MaxCreateAttempts || link >= maxChain {
				return resource.LoadBalancer{}, &CreateFailedError{Name: spec.Name, IDs: failed, Deleted: true}
			}
			recreating(p, len(failed))
		default:
			return lb, err
		}
		if token != "" {
			token = NextToken(token, id)
		}
	}
}

// recreating says, as a notice, that the ALB is created again after n
// failed attempts.
func recreating(p cloud.Progress, n int) {
	if p != nil {
		p(fmt.Sprintf("ALB creation failed (CreateFailed, not billed); deleted it, creating again (attempt %d of %d)", n+1, MaxCreateAttempts), cloud.Notice)
	}
}

// WaitOrCreateLB waits until the instance id (one an interrupted run
// created, found by the stack's tag) is Active, as WaitLB. When it ends
// CreateFailed it recovers as CreateLB does: the instance (the stack's: it
// carries the stack's tag) is deleted, and the ALB is created with spec
// along the create's token chain from token (which walks past the deleted
// instance when its token is on it), MaxCreateAttempts instances in all,
// this one counted. It returns the Active instance: id, or the one created.
func (x Executor) WaitOrCreateLB(ctx context.Context, id string, spec resource.LBSpec, token string, p cloud.Progress) (resource.LoadBalancer, error) {
	lb, err := x.waitActive(ctx, id, p)
	var cf *CreateFailedError
	if !errors.As(err, &cf) || token == "" {
		return lb, err
	}
	if owner := spec.Tags[resource.OwnerTagKey]; owner == "" || lb.Tags[resource.OwnerTagKey] != owner {
		return lb, fmt.Errorf("%w; it does not carry the tag %s=%s, so wsdeploy leaves it alone", err, resource.OwnerTagKey, owner)
	}
	if err := x.deleteFailed(ctx, lb, NextToken(token, "recreate:"+id), p); err != nil {
		return resource.LoadBalancer{}, fmt.Errorf("%s ended CreateFailed (not billed); delete it before creating again: %w", id, err)
	}
	recreating(p, 1)
	return x.createLoop(ctx, spec, token, []string{id}, nil, p)
}

// deleteFailed deletes an instance in CreateFailed, its deletion protection
// turned off first (it guards a working ALB; this one serves nothing and
// bills nothing), and waits until it is gone. Its writes carry tokens of
// the create's chain.
func (x Executor) deleteFailed(ctx context.Context, lb resource.LoadBalancer, token string, p cloud.Progress) error {
	if p != nil {
		p0 := p
		p = func(status string, waited time.Duration) {
			p0("deleting "+lb.ID+", whose creation failed: "+status, waited)
		}
	}
	sub := func(what string) string {
		if token == "" {
			return ""
		}
		return NextToken(token, what+":"+lb.ID)
	}
	if lb.Spec != nil && lb.Spec.DeletionProtection {
		if err := x.SetDeletionProtection(ctx, lb.ID, false, sub("unprotect"), p); err != nil {
			return fmt.Errorf("turn its deletion protection off: %w", err)
		}
	}
	if err := x.DeleteLB(ctx, lb.ID, sub("delete"), p); err != nil {
		return err
	}
	return x.c.api.Config.Waits.WaitNow(ctx, "alb/DeleteLoadBalancer", func(ctx context.Context) (bool, error) {
		_, err := x.c.readLB(ctx, lb.ID)
		if lbNotFound(err) {
			return true, nil
		}
		if p != nil {
			p("still there", 0)
		}
		return false, err
	})
}

// CreateFailedError says that an ALB's creation failed: its instance
// reported status CreateFailed. IDs are the failed instances of the step;
// Deleted says the step deleted them all.
type CreateFailedError struct {
	Name    string
	IDs     []string
	Deleted bool
}

func (e *CreateFailedError) Error() string {
	if !e.Deleted {
		return fmt.Sprintf("ALB %s: creation failed (status CreateFailed); the instance is not billed and can only be deleted", strings.Join(e.IDs, ", "))
	}
	return fmt.Sprintf("creation failed %d attempts in a row (status CreateFailed: %s); each failed instance was deleted, so nothing is left and nothing is billed",
		len(e.IDs), strings.Join(e.IDs, ", "))
}

// Hint says how to go on: the cloud could not build the instance as asked.
func (e *CreateFailedError) Hint() string {
	if !e.Deleted {
		return "run `wsdeploy up` again: it deletes the failed ALB and creates it again"
	}
	return e.Fix()
}

// Fix is the hint without running the command again (see cloud.Error.Fix):
// nothing to do first when the failed instance is still there.
func (e *CreateFailedError) Fix() string {
	if !e.Deleted {
		return ""
	}
	return "the cloud could not build the ALB where alb.create asks: try another zone or vSwitch in alb.create.zones (one with free IP addresses, in a zone the ALB console offers), " +
		"or check the account's ALB quota and limits in the console (Quota Center: ALB instances per region)"
}

// waitActive polls the instance until it is Active (paced as the
// CreateLoadBalancer work, see cloud.Waits), reporting its status. An
// instance that ends CreateFailed is returned, with a *CreateFailedError.
func (x Executor) waitActive(ctx context.Context, id string, p cloud.Progress) (resource.LoadBalancer, error) {
	var lb resource.LoadBalancer
	start := time.Now()
	err := x.c.api.Config.Waits.WaitNow(ctx, "alb/CreateLoadBalancer", func(ctx context.Context) (bool, error) {
		var err error
		if lb, err = x.c.readLB(ctx, id); err != nil {
			return false, err
		}
		switch lb.Status {
		case "Active":
			return true, nil
		case resource.LBStatusCreateFailed:
			return false, &CreateFailedError{Name: lb.Name, IDs: []string{id}}
		}
		if p != nil {
			p(lb.Status, time.Since(start))
		}
		return false, nil
	})
	if err != nil && !lbNotFound(err) {
		err = fmt.Errorf("wait for ALB %s to become Active: %w", id, err)
	}
	return lb, err
}

// RenameLB sets the instance's name (UpdateLoadBalancerAttribute, a job).
func (x Executor) RenameLB(ctx context.Context, id, name, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (job string, err error) {
		err = x.c.api.Call(ctx, "UpdateLoadBalancerAttribute", true, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.UpdateLoadBalancerAttributeWithContext(ctx, &albsdk.UpdateLoadBalancerAttributeRequest{
				LoadBalancerId: tea.String(id), LoadBalancerName: tea.String(name), ClientToken: tokenOrNil(token),
			}, x.c.api.Runtime)
			if err != nil {
				return err
			}
			job = tea.StringValue(resp.Body.JobId)
			x.c.noteJob(job, "UpdateLoadBalancerAttribute", resp.Body.RequestId)
			return nil
		})
		return job, err
	})
}

// SetDeletionProtection turns the instance's deletion protection on or off
// (Enable/DisableDeletionProtection, synchronous).
func (x Executor) SetDeletionProtection(ctx context.Context, id string, on bool, token string, _ cloud.Progress) error {
	if on {
		return x.c.api.Call(ctx, "EnableDeletionProtection", true, func(ctx context.Context, sdk *albsdk.Client) error {
			_, err := sdk.EnableDeletionProtectionWithContext(ctx, &albsdk.EnableDeletionProtectionRequest{ResourceId: tea.String(id), ClientToken: tokenOrNil(token)}, x.c.api.Runtime)
			return err
		})
	}
	return x.c.api.Call(ctx, "DisableDeletionProtection", true, func(ctx context.Context, sdk *albsdk.Client) error {
		_, err := sdk.DisableDeletionProtectionWithContext(ctx, &albsdk.DisableDeletionProtectionRequest{ResourceId: tea.String(id), ClientToken: tokenOrNil(token)}, x.c.api.Runtime)
		return err
	})
}

// DeleteLB deletes the instance and waits for the job (already gone is
// success), while a listener deleted a moment ago still holds it.
func (x Executor) DeleteLB(ctx context.Context, id, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (job string, err error) {
		err = cloud.WaitWhile(ctx, p, "still in use", func(ctx context.Context) error {
			return x.c.api.Call(ctx, "DeleteLoadBalancer", true, func(ctx context.Context, sdk *albsdk.Client) error {
				resp, err := sdk.DeleteLoadBalancerWithContext(ctx, &albsdk.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id), ClientToken: tokenOrNil(token)}, x.c.api.Runtime)
				if err != nil {
					return err
				}
				job = tea.StringValue(resp.Body.JobId)
				x.c.noteJob(job, "DeleteLoadBalancer", resp.Body.RequestId)
				return nil
			})
		}, "ResourceInUse.LoadBalancer")
		if lbNotFound(err) {
			return "", nil
		}
		return job, err
	})
}

// WaitLB waits until an ALB instance is Active (see apply.LBMaker).
func (x Executor) WaitLB(ctx context.Context, id string, p cloud.Progress) (resource.LoadBalancer, error) {
	return x.waitActive(ctx, id, p)
}
