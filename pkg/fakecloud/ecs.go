package fakecloud

// ECS, API version 2014-05-26 (facts §5). Only what wsdeploy needs to look up
// backends: DescribeInstances.

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// ECSInstance is an ECS instance in the fake world (read by ECS DescribeInstances,
// and by ALB/CLB when servers are attached: they must exist and sit in the right VPC).
type ECSInstance struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	VpcID     string `json:"vpcId"`
	VSwitchID string `json:"vSwitchId,omitempty"`
	ZoneID    string `json:"zoneId,omitempty"`
	PrivateIP string `json:"privateIp"`
	Status    string `json:"status"` // Running, Stopped, ...
	Health    string `json:"health"` // healthy | unhealthy (the LB health-check result)
	// Ports maps instance ports to where the app really listens (host:port):
	// the data plane proxies to and health-checks those addresses.
	Ports map[int]string `json:"ports,omitempty"`
	// CloudAssistantOff: the Cloud Assistant Agent does not run on the
	// instance (seed cloudAssistant: false).
	CloudAssistantOff bool  `json:"cloudAssistantOff,omitempty"`
	Tags              []Tag `json:"tags,omitempty"`
	// CommandOutcomes decide how Cloud Assistant commands end on the
	// instance (seed commands; faults_command.go).
	CommandOutcomes []CommandOutcome `json:"commandOutcomes,omitempty"`
	// SecurityGroupIDs are the instance's security groups (ecs_securitygroups.go).
	SecurityGroupIDs []string `json:"securityGroupIds,omitempty"`
}

// Instance returns the ECS instance with that ID.
func (st *State) Instance(id string) (*ECSInstance, bool) {
	for i := range st.ECS.Instances {
		if st.ECS.Instances[i].ID == id {
			return &st.ECS.Instances[i], true
		}
	}
	return nil, false
}

// ECSState is the ECS part of the world.
type ECSState struct {
	VPCs      []string      `json:"vpcs"`
	Instances []ECSInstance `json:"instances"`
	// Invocations are the Cloud Assistant tasks RunCommand started, oldest
	// first (ecs_commands.go).
	Invocations []ECSInvocation `json:"invocations,omitempty"`
	// Commands are the kept Cloud Assistant commands (CreateCommand,
	// RunCommand with KeepCommand=true).
	Commands []ECSCommand `json:"commands,omitempty"`
	// SecurityGroups (ecs_securitygroups.go).
	SecurityGroups []ECSSecurityGroup `json:"securityGroups,omitempty"`
	// RuleSeq numbers security group rules (ruleID).
	RuleSeq int64 `json:"ruleSeq,omitempty"`
}

func registerECS(reg registry) {
	reg.add(VersionECS, "DescribeInstances", false, ecsDescribeInstances)
	registerECSCommands(reg)
	registerECSTags(reg)
	registerECSSecurityGroups(reg)
}

// seedECS fills the ECS part of the world.
func seedECS(st *State, seed *Seed) error {
	for _, v := range seed.VPCs {
		st.ECS.VPCs = append(st.ECS.VPCs, v.ID)
	}
	for _, in := range seed.Instances {
		st.ECS.Instances = append(st.ECS.Instances, ECSInstance{
			ID:    in.ID,
			Name:  in.Name,
			VpcID: in.VpcID,
			// VSwitchID and ZoneID: placeInstances (vpc.go), once the
			// vSwitches exist.
			VSwitchID: in.VSwitchID,
			PrivateIP: in.PrivateIP,
			Status:    in.Status,
			Health:    in.Health,
			Ports:     maps.Clone(in.Ports),
			// The agent runs unless the seed says it does not.
			CloudAssistantOff: in.CloudAssistant != nil && !*in.CloudAssistant,
			CommandOutcomes:   append([]CommandOutcome(nil), in.Commands...),
		})
	}
	return nil
}

// jsonStringList decodes a parameter holding a JSON array of strings.
func jsonStringList(r *Request, name string, max int, code string) ([]string, bool, error) {
	raw, ok := r.Str(name)
	if !ok {
		return nil, false, nil
	}
	var list []string
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, true, Errorf(http.StatusBadRequest, code, "The specified parameter %s is not a JSON array of strings: %s", name, raw)
	}
	if len(list) > max {
		return nil, true, Errorf(http.StatusBadRequest, code, "The specified parameter %s holds %d values; at most %d are allowed.", name, len(list), max)
	}
	return list, true, nil
}

func ecsDescribeInstances(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	ids, haveIDs, err := jsonStringList(r, "InstanceIds", 100, "InvalidInstanceIds.Malformed")
	if err != nil {
		return nil, err
	}
	ips, haveIPs, err := jsonStringList(r, "PrivateIpAddresses", 100, "InvalidPrivateIpAddresses.Malformed")
	if err != nil {
		return nil, err
	}
	status := r.Get("Status")
	if status != "" && !contains(instanceStatuses, status) {
		return nil, InvalidParameter("Status", status, strings.Join(instanceStatuses, ", "))
	}
	netType := r.Get("InstanceNetworkType")
	if netType != "" && netType != "vpc" && netType != "classic" {
		return nil, InvalidParameter("InstanceNetworkType", netType, "vpc or classic")
	}
	tagFilters, err := ecsTagParams(r)
	if err != nil {
		return nil, err
	}
	name := r.Get("InstanceName")

	var matched []*ECSInstance
	for i := range st.ECS.Instances {
		in := &st.ECS.Instances[i]
		switch {
		case haveIDs && !contains(ids, in.ID),
			haveIPs && !contains(ips, in.PrivateIP),
			name != "" && !matchWildcard(name, in.Name),
			r.Get("VpcId") != "" && r.Get("VpcId") != in.VpcID,
			r.Get("VSwitchId") != "" && r.Get("VSwitchId") != in.VSwitchID,
			r.Get("ZoneId") != "" && r.Get("ZoneId") != in.ZoneID,
			status != "" && status != in.Status,
			netType == "classic",
			!tagsMatch(in.Tags, tagFilters):
			continue
		}
		matched = append(matched, in)
	}

	body := &ecs.DescribeInstancesResponseBody{
		TotalCount: dara.Int32(int32(len(matched))),
	}
	var p page
	_, hasMax := r.Str("MaxResults")
	_, hasToken := r.Str("NextToken")
	if hasMax || hasToken {
		// MaxResults 1-100; below 10 counts as 10 (facts §5).
		if p, err = tokenPage(st, r, len(matched), 10, 10, 100); err != nil {
			return nil, err
		}
	} else {
		if p, err = numberPage(r, len(matched), pageNumberMax, 10, 100); err != nil {
			return nil, err
		}
		body.PageNumber = dara.Int32(int32(p.number))
		body.PageSize = dara.Int32(int32(p.size))
		// A first call without paging parameters also gets a NextToken, so a
		// NextToken loop works from the start.
		if p.number == 1 && p.end < p.total {
			p.next = st.pageToken(r, p.end)
		}
	}
	if p.next != "" {
		body.NextToken = dara.String(p.next)
	}

	list := make([]*ecs.DescribeInstancesResponseBodyInstancesInstance, 0, p.end-p.start)
	for _, in := range pageOf(matched, p) {
		list = append(list, ecsInstanceBody(st, in))
	}
	body.Instances = &ecs.DescribeInstancesResponseBodyInstances{Instance: list}
	return body, nil
}

func ecsInstanceBody(st *State, in *ECSInstance) *ecs.DescribeInstancesResponseBodyInstancesInstance {
	suffix := strings.TrimPrefix(in.ID, "i-")
	return &ecs.DescribeInstancesResponseBodyInstancesInstance{
		InstanceId:          dara.String(in.ID),
		InstanceName:        dara.String(in.Name),
		HostName:            dara.String(in.Name),
		Status:              dara.String(in.Status),
		InstanceNetworkType: dara.String("vpc"),
		InstanceType:        dara.String("ecs.g7.large"),
		Cpu:                 dara.Int32(2),
		Memory:              dara.Int32(8192),
		OSType:              dara.String("linux"),
		RegionId:            dara.String(st.Region),
		ZoneId:              dara.String(in.ZoneID),
		CreationTime:        dara.String("2024-01-01T00:00Z"),
		VpcAttributes: &ecs.DescribeInstancesResponseBodyInstancesInstanceVpcAttributes{
			VpcId:        dara.String(in.VpcID),
			VSwitchId:    dara.String(in.VSwitchID),
			NatIpAddress: dara.String(""),
			PrivateIpAddress: &ecs.DescribeInstancesResponseBodyInstancesInstanceVpcAttributesPrivateIpAddress{
				IpAddress: []*string{dara.String(in.PrivateIP)},
			},
		},
		NetworkInterfaces: &ecs.DescribeInstancesResponseBodyInstancesInstanceNetworkInterfaces{
			NetworkInterface: []*ecs.DescribeInstancesResponseBodyInstancesInstanceNetworkInterfacesNetworkInterface{{
				NetworkInterfaceId: dara.String("eni-" + suffix),
				PrimaryIpAddress:   dara.String(in.PrivateIP),
				Type:               dara.String("Primary"),
				PrivateIpSets: &ecs.DescribeInstancesResponseBodyInstancesInstanceNetworkInterfacesNetworkInterfacePrivateIpSets{
					PrivateIpSet: []*ecs.DescribeInstancesResponseBodyInstancesInstanceNetworkInterfacesNetworkInterfacePrivateIpSetsPrivateIpSet{{
						Primary:          dara.Bool(true),
						PrivateIpAddress: dara.String(in.PrivateIP),
					}},
				},
			}},
		},
		PublicIpAddress:  &ecs.DescribeInstancesResponseBodyInstancesInstancePublicIpAddress{IpAddress: []*string{}},
		InnerIpAddress:   &ecs.DescribeInstancesResponseBodyInstancesInstanceInnerIpAddress{IpAddress: []*string{}},
		EipAddress:       &ecs.DescribeInstancesResponseBodyInstancesInstanceEipAddress{},
		SecurityGroupIds: &ecs.DescribeInstancesResponseBodyInstancesInstanceSecurityGroupIds{SecurityGroupId: dara.StringSlice(append([]string{}, in.SecurityGroupIDs...))},
		Tags:             ecsInstanceTags(in.Tags),
	}
}

// matchWildcard matches ECS name filters: "*" stands for any run of characters.
func matchWildcard(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return strings.HasSuffix(name, last)
}
