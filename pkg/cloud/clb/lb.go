package clb

// The CLB instance itself, when the stack creates it (clb.create):
// CreateLoadBalancer with the stack's tags in the call, the wait until it is
// active, rename, deletion protection, delete, and finding the stack's
// instances by tag.
//
// Recovery. CreateLoadBalancer takes Tag.N, so an instance is the stack's
// from its first moment: there is no window between the create and the tag
// for a crash to fall into, and a re-run finds it by tag (the inventory's
// LBFinder). The API also takes a ClientToken, but how long CLB remembers
// one, and what it answers for a token whose instance was deleted since, is
// not documented: a stable token could hand a re-create after `down` the
// deleted instance. So none is sent (the API then uses the request ID), and
// a create whose answer was lost (transport error, 5xx, throttled) is never
// sent again before a lookup by tag has shown that no new instance of the
// stack exists (cloud.Retry.Create). Instances that already carried the tag
// before the create (the one a replacement replaces) are not taken for the
// result.

import (
	"context"
	"fmt"
	"time"

	slbsdk "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// API values of the create settings.
const (
	chargeBySpec = "PayBySpec"
	chargeByCLCU = "PayByCLCU"
	payOnDemand  = "PayOnDemand"
	statusActive = "active"
	// WaitCreate is the Waits kind of the wait for a new instance to be active.
	WaitCreate = "slb/CreateLoadBalancer"
)

// createRequest is the CreateLoadBalancer request for spec. payType
// PayOnDemand is pay-as-you-go by spec (InstanceChargeType PayBySpec with
// LoadBalancerSpec); PayByCLCU is pay-as-you-go by capacity units
// (InstanceChargeType PayByCLCU, no spec, and for an internet instance
// InternetChargeType paybytraffic, which the API requires with it).
func (c *Client) createRequest(spec resource.LBSpec) *slbsdk.CreateLoadBalancerRequest {
	req := &slbsdk.CreateLoadBalancerRequest{
		RegionId: c.region(), LoadBalancerName: tea.String(spec.Name), AddressType: tea.String(spec.AddressType),
		PayType: tea.String(payOnDemand), DeleteProtection: tea.String(onOff(spec.DeletionProtection)),
	}
	if spec.VSwitchID != "" {
		req.VSwitchId = tea.String(spec.VSwitchID)
	}
	if spec.PayType == config.PayByCLCU {
		req.InstanceChargeType = tea.String(chargeByCLCU)
		if spec.AddressType == config.CLBInternet {
			req.InternetChargeType = tea.String("paybytraffic")
		}
	} else {
		req.InstanceChargeType = tea.String(chargeBySpec)
		req.LoadBalancerSpec = tea.String(spec.InstanceSpec)
	}
	for _, k := range resource.SortedKeys(spec.Tags) {
		req.Tag = append(req.Tag, &slbsdk.CreateLoadBalancerRequestTag{Key: tea.String(k), Value: tea.String(spec.Tags[k])})
	}
	return req
}

// CreateLoadBalancer sends one CreateLoadBalancer (never retried: see
// Executor.CreateLB) and returns the new instance's ID and address.
func (c *Client) CreateLoadBalancer(ctx context.Context, spec resource.LBSpec) (resource.LoadBalancer, error) {
	req := c.createRequest(spec)
	var out resource.LoadBalancer
	err := c.api.Once(ctx, "CreateLoadBalancer", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		resp, err := sdk.CreateLoadBalancerWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		b := resp.Body
		out = resource.LoadBalancer{
			Type: resource.CLB, ID: tea.StringValue(b.LoadBalancerId), Name: tea.StringValue(b.LoadBalancerName),
			Address: tea.StringValue(b.Address), VpcID: tea.StringValue(b.VpcId),
		}
		return nil
	})
	return out, err
}

// ListLoadBalancersByTag lists the CLB instances of the region that carry
// tag key=value (DescribeLoadBalancers with Tag.N, every page), each with its
// tags and its create settings as read back (Spec). It is the inventory's
// LBFinder.
func (c *Client) ListLoadBalancersByTag(ctx context.Context, key, value string) ([]resource.LoadBalancer, error) {
	list, err := c.listTagged(ctx, key, value)
	out := make([]resource.LoadBalancer, 0, len(list))
	for _, t := range list {
		out = append(out, t.lb)
	}
	return out, err
}

// listedLB is a CLB instance as DescribeLoadBalancers lists it, with its
// creation time (CreateTimeStamp, in ms).
type listedLB struct {
	lb      resource.LoadBalancer
	created int64
}

// listTagged is ListLoadBalancersByTag with each instance's creation time.
func (c *Client) listTagged(ctx context.Context, key, value string) ([]listedLB, error) {
	const size = 100
	var out []listedLB
	for page := int32(1); ; page++ {
		var n, total int
		err := c.api.Call(ctx, "DescribeLoadBalancers", false, func(ctx context.Context, sdk *slbsdk.Client) error {
			resp, err := sdk.DescribeLoadBalancersWithContext(ctx, &slbsdk.DescribeLoadBalancersRequest{
				RegionId: c.region(), PageNumber: tea.Int32(page), PageSize: tea.Int32(size),
				Tag: []*slbsdk.DescribeLoadBalancersRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			n, total = 0, int(tea.Int32Value(resp.Body.TotalCount))
			if resp.Body.LoadBalancers == nil {
				return nil
			}
			for _, lb := range resp.Body.LoadBalancers.LoadBalancer {
				out = append(out, listedLB{lb: lbFromList(lb), created: tea.Int64Value(lb.CreateTimeStamp)})
				n++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if n < size || len(out) >= total {
			return out, nil
		}
	}
}

// lbFromList reads one DescribeLoadBalancers entry.
func lbFromList(b *slbsdk.DescribeLoadBalancersResponseBodyLoadBalancersLoadBalancer) resource.LoadBalancer {
	lb := resource.LoadBalancer{
		Type: resource.CLB, ID: tea.StringValue(b.LoadBalancerId), Name: tea.StringValue(b.LoadBalancerName),
		Address: tea.StringValue(b.Address), VpcID: tea.StringValue(b.VpcId), Status: tea.StringValue(b.LoadBalancerStatus),
		Tags: map[string]string{},
	}
	if b.Tags != nil {
		for _, t := range b.Tags.Tag {
			lb.Tags[tea.StringValue(t.TagKey)] = tea.StringValue(t.TagValue)
		}
	}
	spec := &resource.LBSpec{
		Type: resource.CLB, Name: lb.Name, AddressType: tea.StringValue(b.AddressType),
		VSwitchID: tea.StringValue(b.VSwitchId), PayType: config.PayOnDemand,
		DeletionProtection: tea.StringValue(b.DeleteProtection) == "on", Tags: lb.Tags,
	}
	if tea.StringValue(b.InstanceChargeType) == chargeByCLCU {
		spec.PayType = config.PayByCLCU
	} else {
		spec.InstanceSpec = tea.StringValue(b.LoadBalancerSpec)
	}
	lb.Spec = spec
	return lb
}

// SetName renames an instance (SetLoadBalancerName; repeating it is harmless).
func (c *Client) SetName(ctx context.Context, id, name string) error {
	return c.api.Call(ctx, "SetLoadBalancerName", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.SetLoadBalancerNameWithContext(ctx, &slbsdk.SetLoadBalancerNameRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(id), LoadBalancerName: tea.String(name),
		}, c.api.Runtime)
		return err
	})
}

// SetDeleteProtection turns an instance's deletion protection on or off
// (SetLoadBalancerDeleteProtection; repeating it is harmless).
func (c *Client) SetDeleteProtection(ctx context.Context, id string, on bool) error {
	return c.api.Call(ctx, "SetLoadBalancerDeleteProtection", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.SetLoadBalancerDeleteProtectionWithContext(ctx, &slbsdk.SetLoadBalancerDeleteProtectionRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(id), DeleteProtection: tea.String(onOff(on)),
		}, c.api.Runtime)
		return err
	})
}

// DeleteLoadBalancer deletes an instance; one already gone is success.
func (c *Client) DeleteLoadBalancer(ctx context.Context, id string) error {
	err := c.api.Call(ctx, "DeleteLoadBalancer", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.DeleteLoadBalancerWithContext(ctx, &slbsdk.DeleteLoadBalancerRequest{RegionId: c.region(), LoadBalancerId: tea.String(id)}, c.api.Runtime)
		return err
	})
	if cloud.IsNotFound(err) {
		return nil
	}
	return err
}

// ProtectedError is a delete the cloud refused because the instance's
// deletion protection is on.
type ProtectedError struct {
	ID  string
	Err error
}

func (e *ProtectedError) Error() string {
	return fmt.Sprintf("CLB %s has deletion protection on: %v", e.ID, e.Err)
}

func (e *ProtectedError) Unwrap() error { return e.Err }

// Hint says how to release it.
func (e *ProtectedError) Hint() string {
	return "set clb.create.deletionProtection: false in the file and run `wsdeploy up` (it turns the protection off), then run `wsdeploy down` again; or keep the CLB with `wsdeploy down --keep-lb`"
}

// Fix is the hint without running the command again (see cloud.Error.Fix).
func (e *ProtectedError) Fix() string {
	return "to delete the CLB, set clb.create.deletionProtection: false in the file and run `wsdeploy up` (it turns the protection off); to keep it, add --keep-lb"
}

// protectedCodes are the answers of a delete refused by deletion protection.
var protectedCodes = []string{"OperationDenied.DeleteProtection", "DeleteProtectionEnabled", "OperationDenied.DeletionProtection"}

// CreateLB creates the stack's CLB instance with spec (its tags in the
// call; the plan's ClientToken is not sent, see the top of this file),
// waits until it is active and returns it (apply.LBMaker). A create
// whose answer was lost is recovered by looking the instance up by the
// stack's tag before anything is sent again; instances tagged before the
// create (one being replaced) are never taken for it.
func (x Executor) CreateLB(ctx context.Context, spec resource.LBSpec, _ string, p cloud.Progress) (resource.LoadBalancer, error) {
	stack := spec.Tags[resource.OwnerTagKey]
	if stack == "" {
		return resource.LoadBalancer{}, fmt.Errorf("create CLB %s: the spec carries no %s tag (a bug: the create would not be found again)", spec.Name, resource.OwnerTagKey)
	}
	before, err := x.c.listTagged(ctx, resource.OwnerTagKey, stack)
	if err != nil {
		return resource.LoadBalancer{}, fmt.Errorf("list the stack's CLBs first: %w", err)
	}
	if rival, ok := firstMatching(before, spec); ok {
		// Another run created it since this run's plan (race.go).
		if p != nil {
			p("another run of the stack created "+rival.ID+" with these settings: using it", 0)
		}
		return x.adopt(ctx, rival.ID, spec, p)
	}
	old := map[string]bool{}
	for _, lb := range before {
		old[lb.lb.ID] = true
	}
	var lb resource.LoadBalancer
	// found: after a create whose answer was lost, the stack's new instances
	// with spec's settings, earliest first. Another run may have created one
	// too, so which one is this run's is known only when there is one.
	var found []string
	err = x.create(ctx, func(ctx context.Context) (err error) {
		lb, err = x.c.CreateLoadBalancer(ctx, spec)
		if err == nil {
			found = nil // this answer names this run's instance
		}
		return err
	}, func(ctx context.Context) (bool, error) {
		list, err := x.c.listTagged(ctx, resource.OwnerTagKey, stack)
		if err != nil {
			return false, err
		}
		var news []listedLB
		for _, l := range list {
			if !old[l.lb.ID] && sameSettings(l.lb, spec) {
				news = append(news, l)
			}
		}
		if len(news) == 0 {
			return false, nil
		}
		sortByCreation(news)
		lb, found = news[0].lb, nil
		for _, l := range news {
			found = append(found, l.lb.ID)
		}
		return true, nil
	})
	if err != nil {
		return resource.LoadBalancer{}, err
	}
	if p != nil {
		p("created "+lb.ID+", waiting until it is active", 0)
	}
	var id string
	if len(found) > 1 {
		id, err = x.raceCheckUnknown(ctx, found, old, spec, p)
	} else {
		id, err = x.raceCheck(ctx, lb.ID, old, spec, p)
	}
	if err != nil {
		return resource.LoadBalancer{ID: lb.ID}, err
	}
	return x.adopt(ctx, id, spec, p)
}

// adopt waits until the stack's new instance id is active and returns it.
func (x Executor) adopt(ctx context.Context, id string, spec resource.LBSpec, p cloud.Progress) (resource.LoadBalancer, error) {
	got, err := x.WaitLB(ctx, id, p)
	if err != nil {
		return resource.LoadBalancer{ID: id}, fmt.Errorf("wait until the new %s is active: %w", id, err)
	}
	got.Type, got.Tags = resource.CLB, spec.Tags
	s := spec
	got.Spec = &s
	return got, nil
}

// WaitLB waits until a CLB instance is active (a new one may be inactive,
// or not visible yet, for a moment), reporting its status (apply.LBMaker:
// also for one an interrupted run created).
func (x Executor) WaitLB(ctx context.Context, id string, p cloud.Progress) (resource.LoadBalancer, error) {
	var lb resource.LoadBalancer
	begin := time.Now()
	err := x.c.api.Config.Waits.WaitNow(ctx, WaitCreate, func(ctx context.Context) (bool, error) {
		got, err := x.c.GetLoadBalancer(ctx, id)
		status := got.Status
		switch {
		case cloud.IsNotFound(err):
			status = "not visible yet"
		case err != nil:
			return false, err
		case got.Status == statusActive:
			lb = got
			return true, nil
		}
		if p != nil {
			p(status, time.Since(begin))
		}
		return false, nil
	})
	return lb, err
}

// RenameLB renames the instance (apply.LBMaker).
func (x Executor) RenameLB(ctx context.Context, id, name, _ string, _ cloud.Progress) error {
	return x.c.SetName(ctx, id, name)
}

// SetDeletionProtection turns the instance's deletion protection on or off
// (apply.LBMaker).
func (x Executor) SetDeletionProtection(ctx context.Context, id string, on bool, _ string, _ cloud.Progress) error {
	return x.c.SetDeleteProtection(ctx, id, on)
}

// DeleteLB deletes the instance and waits until it is gone (apply.LBMaker).
// A refusal because its deletion protection is on is a *ProtectedError.
func (x Executor) DeleteLB(ctx context.Context, id, _ string, p cloud.Progress) error {
	err := x.c.DeleteLoadBalancer(ctx, id)
	if cloud.HasCode(err, protectedCodes...) {
		return &ProtectedError{ID: id, Err: err}
	}
	if err != nil {
		return err
	}
	begin := time.Now()
	err = x.c.api.Config.Waits.WaitNow(ctx, "slb/DeleteLoadBalancer", func(ctx context.Context) (bool, error) {
		got, err := x.c.GetLoadBalancer(ctx, id)
		if cloud.IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if p != nil {
			p(got.Status, time.Since(begin))
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("wait until it is gone: %w", err)
	}
	return nil
}
