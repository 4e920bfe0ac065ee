package fakecloud

// Authentication errors carry each product's own HTTP status (errors.go,
// authStatuses), through each product's real SDK.

import (
	"fmt"
	"testing"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestAuthErrorStatusPerProduct(t *testing.T) {
	ts := NewTestServer(t, Options{Logf: func(string, ...any) {}})
	// One read per product, signed with the given key pair.
	calls := map[string]func(id, secret string) error{
		ProductALB: func(id, secret string) error {
			c, err := alb.NewClient(fcConfig(ts, id, secret))
			if err != nil {
				return err
			}
			_, err = c.ListServerGroups(&alb.ListServerGroupsRequest{})
			return err
		},
		ProductSLB: func(id, secret string) error {
			c, err := slb.NewClient(fcConfig(ts, id, secret))
			if err != nil {
				return err
			}
			_, err = c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: tea.String("cn-hangzhou")})
			return err
		},
		ProductAlidns: func(id, secret string) error {
			c, err := alidns.NewClient(fcConfig(ts, id, secret))
			if err != nil {
				return err
			}
			_, err = c.DescribeDomains(&alidns.DescribeDomainsRequest{})
			return err
		},
		ProductECS: func(id, secret string) error {
			c, err := ecs.NewClient(fcConfig(ts, id, secret))
			if err != nil {
				return err
			}
			_, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou")})
			return err
		},
	}
	versions := map[string]string{ProductALB: VersionALB, ProductSLB: VersionSLB, ProductAlidns: VersionAlidns, ProductECS: VersionECS}
	tests := []struct {
		product                  string
		badSignature, unknownKey int
	}{
		{ProductALB, 400, 404},
		{ProductSLB, 400, 404},
		{ProductECS, 400, 404},
		{ProductAlidns, 403, 400},
	}
	for _, tc := range tests {
		t.Run(tc.product, func(t *testing.T) {
			call := calls[tc.product]
			if err := call("fake-ak", "fake-secret"); err != nil {
				t.Fatalf("valid key: %v", err)
			}
			fcWantErr(t, call("fake-ak", "not-the-secret"), "SignatureDoesNotMatch", tc.badSignature)
			fcWantErr(t, call("nobody", "fake-secret"), "InvalidAccessKeyId.NotFound", tc.unknownKey)
		})
	}
	// IncompleteSignature is 400 on every product.
	for product, version := range versions {
		action := map[string]string{ProductALB: "ListServerGroups", ProductSLB: "DescribeLoadBalancers", ProductAlidns: "DescribeDomains", ProductECS: "DescribeInstances"}[product]
		resp, m := fcReq{version: version, action: action, query: map[string]string{"RegionId": "cn-hangzhou"}, noAuth: true}.do(t, ts)
		if resp.StatusCode != 400 || m["Code"] != "IncompleteSignature" {
			t.Errorf("%s without Authorization: %d %v", product, resp.StatusCode, m)
		}
	}
	// The request log records the status the client saw.
	got := map[string]bool{}
	for _, c := range ts.Calls() {
		got[fmt.Sprintf("%s %s %d", c.Product, c.Code, c.Status)] = true
	}
	for _, want := range []string{"alidns SignatureDoesNotMatch 403", "alidns InvalidAccessKeyId.NotFound 400", "alb SignatureDoesNotMatch 400", "alb InvalidAccessKeyId.NotFound 404"} {
		if !got[want] {
			t.Errorf("request log lacks %q: %v", want, got)
		}
	}
}
