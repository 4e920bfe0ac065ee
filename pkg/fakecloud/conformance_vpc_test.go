package fakecloud

// The VPC conformance scenario (see conformance_test.go): DescribeVpcs and
// DescribeVSwitches over the demo seed's VPC and its default vSwitches.

import (
	"github.com/alibabacloud-go/tea/tea"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	v1vpc "github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

func init() { confScenarios[ProductVPC] = confScenario{steps: vpcConformance} }

func vpcV1(e *confEnv) *v1vpc.Client {
	return v1Client(e.t, e.ts, func(r string, c *sdk.Config, k *credentials.AccessKeyCredential) (*v1vpc.Client, error) {
		return v1vpc.NewClientWithOptions(r, c, k)
	}, func(c *v1vpc.Client) *string { return &c.Domain })
}

func vpcACS3(e *confEnv) *vpc.Client {
	c, err := vpc.NewClient(fcConfig(e.ts, "fake-ak", "fake-secret"))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func vpcConformance() []confStep {
	const P = ProductVPC
	vpcs := func(size string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1vpc.CreateDescribeVpcsRequest()
				req.RegionId, req.VpcId, req.PageSize = "cn-hangzhou", "vpc-fake01", requests.Integer(size)
				return v1(vpcV1(e).DescribeVpcs(req))
			}, func(e *confEnv) (any, error) {
				req := &vpc.DescribeVpcsRequest{RegionId: tea.String("cn-hangzhou"), VpcId: tea.String("vpc-fake01")}
				if size != "" {
					req.PageSize = confInt32(size)
				}
				return acs3(vpcACS3(e).DescribeVpcs(req))
			}
	}
	vsws := func(zone, size string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1vpc.CreateDescribeVSwitchesRequest()
				req.RegionId, req.VpcId, req.ZoneId, req.PageSize = "cn-hangzhou", "vpc-fake01", zone, requests.Integer(size)
				return v1(vpcV1(e).DescribeVSwitches(req))
			}, func(e *confEnv) (any, error) {
				req := &vpc.DescribeVSwitchesRequest{RegionId: tea.String("cn-hangzhou"), VpcId: tea.String("vpc-fake01")}
				if zone != "" {
					req.ZoneId = tea.String(zone)
				}
				if size != "" {
					req.PageSize = confInt32(size)
				}
				return acs3(vpcACS3(e).DescribeVSwitches(req))
			}
	}
	g := func(action string, f [2]func(*confEnv) (any, error)) confStep { return ok(P, action, f[0], f[1]) }
	b := func(status int, code, action string, f [2]func(*confEnv) (any, error)) confStep {
		return fails(status, code, P, action, f[0], f[1])
	}
	return []confStep{
		g("DescribeVpcs", pair(vpcs(""))),
		b(400, "InvalidParameter", "DescribeVpcs", pair(vpcs("51"))),
		g("DescribeVSwitches", pair(vsws("", ""))),
		g("DescribeVSwitches", pair(vsws("cn-hangzhou-i", "1"))),
		b(400, "InvalidParameter", "DescribeVSwitches", pair(vsws("", "0"))),
	}
}
