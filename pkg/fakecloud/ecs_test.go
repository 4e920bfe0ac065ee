package fakecloud

import (
	"fmt"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// ecsSeed15 is a world with 15 instances: web01..web12 in vpc-a (web12
// stopped), db01..db03 in vpc-b.
func ecsSeed15() *Seed {
	s := &Seed{
		Region:     "cn-hangzhou",
		AccessKeys: []Key{{ID: "fake-ak", Secret: "fake-secret"}},
		VPCs:       []SeedVPC{{ID: "vpc-a"}, {ID: "vpc-b"}},
	}
	for i := 1; i <= 12; i++ {
		in := SeedInstance{ID: fmt.Sprintf("i-web%02d", i), Name: fmt.Sprintf("web%02d", i), VpcID: "vpc-a", PrivateIP: fmt.Sprintf("10.0.0.%d", i)}
		if i == 12 {
			in.Status = "Stopped"
		}
		s.Instances = append(s.Instances, in)
	}
	for i := 1; i <= 3; i++ {
		s.Instances = append(s.Instances, SeedInstance{ID: fmt.Sprintf("i-db%02d", i), Name: fmt.Sprintf("db%02d", i), VpcID: "vpc-b", PrivateIP: fmt.Sprintf("10.1.0.%d", i)})
	}
	return s
}

func ecsIDs(b *ecs.DescribeInstancesResponseBody) []string {
	var out []string
	for _, in := range b.Instances.Instance {
		out = append(out, tea.StringValue(in.InstanceId))
	}
	return out
}

func TestECSPagingWithNextToken(t *testing.T) {
	ts := NewTestServer(t, Options{Seed: ecsSeed15()})
	c := fcECS(t, ts)
	var all []string
	req := &ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou")}
	pages := 0
	for {
		resp, err := c.DescribeInstances(req)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		ids := ecsIDs(resp.Body)
		if pages == 1 && len(ids) != 10 {
			t.Fatalf("default page size: got %d", len(ids))
		}
		all = append(all, ids...)
		next := tea.StringValue(resp.Body.NextToken)
		if next == "" {
			break
		}
		req = &ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), NextToken: tea.String(next)}
	}
	if pages != 2 || len(all) != 15 || all[0] != "i-web01" || all[14] != "i-db03" {
		t.Fatalf("pages %d, ids %v", pages, all)
	}

	// MaxResults below 10 counts as 10; above 100 is rejected.
	resp, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resp.Body.Instances.Instance); n != 10 || tea.StringValue(resp.Body.NextToken) == "" {
		t.Fatalf("MaxResults 5: %d instances, next %q", n, tea.StringValue(resp.Body.NextToken))
	}
	resp, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(5), NextToken: resp.Body.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resp.Body.Instances.Instance); n != 5 || resp.Body.NextToken != nil {
		t.Fatalf("MaxResults 5, page 2: %d instances, next %q", n, tea.StringValue(resp.Body.NextToken))
	}
	resp, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(100)})
	if err != nil || len(resp.Body.Instances.Instance) != 15 || resp.Body.NextToken != nil {
		t.Fatalf("MaxResults 100: %v %v", err, resp)
	}
	_, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(101)})
	fcWantErr(t, err, "InvalidParameter", 400)
	_, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), NextToken: tea.String("garbage")})
	fcWantErr(t, err, "InvalidParameter.NextToken", 400)
}

func TestECSPageNumber(t *testing.T) {
	ts := NewTestServer(t, Options{Seed: ecsSeed15()})
	c := fcECS(t, ts)
	resp, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), PageNumber: tea.Int32(2), PageSize: tea.Int32(4)})
	if err != nil {
		t.Fatal(err)
	}
	b := resp.Body
	if got := fmt.Sprint(ecsIDs(b)); got != "[i-web05 i-web06 i-web07 i-web08]" ||
		tea.Int32Value(b.PageNumber) != 2 || tea.Int32Value(b.PageSize) != 4 || tea.Int32Value(b.TotalCount) != 15 {
		t.Fatalf("got %s %v", got, b)
	}
	resp, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), PageNumber: tea.Int32(9)})
	if err != nil || len(resp.Body.Instances.Instance) != 0 {
		t.Fatalf("past the end: %v %v", err, resp)
	}
	_, err = c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), PageSize: tea.Int32(101)})
	fcWantErr(t, err, "InvalidParameter", 400)
}

func TestECSFilters(t *testing.T) {
	ts := NewTestServer(t, Options{Seed: ecsSeed15()})
	c := fcECS(t, ts)
	tests := []struct {
		name string
		req  ecs.DescribeInstancesRequest
		want string
	}{
		{"ids", ecs.DescribeInstancesRequest{InstanceIds: tea.String(`["i-db02","i-web03","i-missing"]`)}, "[i-web03 i-db02]"},
		{"empty ids", ecs.DescribeInstancesRequest{InstanceIds: tea.String(`[]`)}, "[]"},
		{"name exact", ecs.DescribeInstancesRequest{InstanceName: tea.String("db01")}, "[i-db01]"},
		{"name is exact without *", ecs.DescribeInstancesRequest{InstanceName: tea.String("db")}, "[]"},
		{"name wildcard", ecs.DescribeInstancesRequest{InstanceName: tea.String("db*")}, "[i-db01 i-db02 i-db03]"},
		{"name inner wildcard", ecs.DescribeInstancesRequest{InstanceName: tea.String("w*1*")}, "[i-web01 i-web10 i-web11 i-web12]"},
		{"vpc", ecs.DescribeInstancesRequest{VpcId: tea.String("vpc-b")}, "[i-db01 i-db02 i-db03]"},
		{"status", ecs.DescribeInstancesRequest{Status: tea.String("Stopped")}, "[i-web12]"},
		{"private ips", ecs.DescribeInstancesRequest{PrivateIpAddresses: tea.String(`["10.1.0.3"]`)}, "[i-db03]"},
		{"vpc and name", ecs.DescribeInstancesRequest{VpcId: tea.String("vpc-a"), InstanceName: tea.String("db*")}, "[]"},
		{"tag", ecs.DescribeInstancesRequest{Tag: []*ecs.DescribeInstancesRequestTag{{Key: tea.String("k"), Value: tea.String("v")}}}, "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			req.RegionId = tea.String("cn-hangzhou")
			req.MaxResults = tea.Int32(100)
			resp, err := c.DescribeInstances(&req)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(ecsIDs(resp.Body)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestECSErrors(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcECS(t, ts)
	tests := []struct {
		name   string
		req    ecs.DescribeInstancesRequest
		code   string
		status int
	}{
		{"missing region", ecs.DescribeInstancesRequest{}, "MissingParameter", 400},
		{"other region", ecs.DescribeInstancesRequest{RegionId: tea.String("cn-beijing")}, "InvalidRegionId.NotFound", 404},
		{"malformed ids", ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String("i-fake01")}, "InvalidInstanceIds.Malformed", 400},
		{"too many ids", ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String(manyIDs(101))}, "InvalidInstanceIds.Malformed", 400},
		{"bad status", ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), Status: tea.String("running")}, "InvalidParameter", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DescribeInstances(&tc.req)
			fcWantErr(t, err, tc.code, tc.status)
		})
	}
	if _, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String(manyIDs(100))}); err != nil {
		t.Fatalf("100 ids: %v", err)
	}
}

func manyIDs(n int) string {
	s := "["
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprintf(`"i-%d"`, i)
	}
	return s + "]"
}

func TestECSInstanceFields(t *testing.T) {
	ts := NewTestServer(t, Options{})
	resp, err := fcECS(t, ts).DescribeInstances(&ecs.DescribeInstancesRequest{
		RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String(`["i-fake02"]`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body.Instances.Instance) != 1 {
		t.Fatalf("got %v", resp.Body)
	}
	in := resp.Body.Instances.Instance[0]
	va := in.VpcAttributes
	if tea.StringValue(in.InstanceName) != "ECS02" || tea.StringValue(in.Status) != "Running" ||
		tea.StringValue(in.InstanceNetworkType) != "vpc" || tea.StringValue(in.RegionId) != "cn-hangzhou" ||
		tea.StringValue(va.VpcId) != "vpc-fake01" || tea.StringValue(va.PrivateIpAddress.IpAddress[0]) != "192.168.0.12" ||
		tea.StringValue(in.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress) != "192.168.0.12" ||
		tea.StringValue(in.ZoneId) == "" || tea.StringValue(va.VSwitchId) == "" {
		t.Fatalf("instance %v", in)
	}
}
