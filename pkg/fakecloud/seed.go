package fakecloud

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed demo-seed.yaml
var demoSeedYAML []byte

// DemoSeed returns the built-in demo world used by `wsdeploy --local`
// (demo-seed.yaml next to this file). Each call returns a fresh copy.
func DemoSeed() *Seed {
	s, err := ParseSeed(demoSeedYAML)
	if err != nil {
		panic("fakecloud: embedded demo-seed.yaml: " + err.Error())
	}
	return s
}

// LoadSeed reads and validates a seed file.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fakecloud: %w", err)
	}
	s, err := ParseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSeed decodes a seed strictly (an unknown key is an error naming its
// line), fills defaults and validates it.
func ParseSeed(data []byte) (*Seed, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Seed
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("fakecloud: seed is empty")
		}
		return nil, fmt.Errorf("fakecloud: seed: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("fakecloud: seed: only one YAML document is allowed")
	}
	return normalizeSeed(&s)
}

var (
	regionRE = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	labelRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// albNameRE is the rule for LoadBalancerName (ALB SDK model).
	albNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{1,127}$`)
)

// Values allowed in seeds.
var (
	instanceStatuses = []string{"Pending", "Running", "Starting", "Stopping", "Stopped"}
	healthValues     = []string{"healthy", "unhealthy"}
)

// normalizeSeed returns a validated copy of s with defaults filled in:
// instance name = ID, status Running, health healthy; ALB dnsName
// <id>.<region>.alb.aliyuncs.com.
func normalizeSeed(in *Seed) (*Seed, error) {
	if in == nil {
		return nil, errors.New("fakecloud: no seed")
	}
	s := *in
	s.AccessKeys = append([]Key(nil), in.AccessKeys...)
	s.VPCs = append([]SeedVPC(nil), in.VPCs...)
	s.VSwitches = append([]SeedVSwitch(nil), in.VSwitches...)
	s.Instances = append([]SeedInstance(nil), in.Instances...)
	s.ALBs = append([]SeedALB(nil), in.ALBs...)
	s.CLBs = append([]SeedCLB(nil), in.CLBs...)
	s.Domains = append([]string(nil), in.Domains...)

	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !regionRE.MatchString(s.Region) {
		bad("region %q is not a region ID like cn-hangzhou", s.Region)
	}
	if len(s.AccessKeys) == 0 {
		bad("accessKeys: at least one key is required")
	}
	keys := map[string]bool{}
	for i, k := range s.AccessKeys {
		switch {
		case k.ID == "" || k.Secret == "":
			bad("accessKeys[%d]: id and secret are required", i)
		case keys[k.ID]:
			bad("accessKeys[%d]: duplicate id %q", i, k.ID)
		}
		keys[k.ID] = true
	}
	// checkID checks that an object's id has its kind's prefix and is new in seen.
	checkID := func(seen map[string]bool, where, id, prefix string) {
		switch {
		case !strings.HasPrefix(id, prefix) || len(id) <= len(prefix):
			bad("%s: id %q must look like %sxxxx", where, id, prefix)
		case seen[id]:
			bad("%s: duplicate id %q", where, id)
		}
		seen[id] = true
	}
	vpcs := map[string]bool{}
	for i, v := range s.VPCs {
		checkID(vpcs, fmt.Sprintf("vpcs[%d]", i), v.ID, "vpc-")
	}
	checkVPCSeed(&s, vpcs, bad)
	checkQuotaSeed(&s, bad)
	checkVPC := func(where, id string) {
		if !vpcs[id] {
			bad("%s: vpcId %q is not declared under vpcs", where, id)
		}
	}
	ids := map[string]bool{}
	ips := map[string]string{}
	for i := range s.Instances {
		in := &s.Instances[i]
		where := fmt.Sprintf("instances[%d]", i)
		checkID(ids, where, in.ID, "i-")
		if in.Name == "" {
			in.Name = in.ID
		}
		checkVPC(where, in.VpcID)
		if !isIPv4(in.PrivateIP) {
			bad("%s: privateIp %q is not an IPv4 address", where, in.PrivateIP)
		} else if prev, dup := ips[in.VpcID+"/"+in.PrivateIP]; dup {
			bad("%s: privateIp %s is already used by %s in %s", where, in.PrivateIP, prev, in.VpcID)
		} else {
			ips[in.VpcID+"/"+in.PrivateIP] = in.ID
		}
		if in.Status == "" {
			in.Status = "Running"
		} else if !contains(instanceStatuses, in.Status) {
			bad("%s: status %q is not one of %s", where, in.Status, strings.Join(instanceStatuses, ", "))
		}
		for j, o := range in.Commands {
			if msg := o.check(); msg != "" {
				bad("%s: commands[%d]: %s", where, j, msg)
			}
		}
		if in.Health == "" {
			in.Health = "healthy"
		} else if !contains(healthValues, in.Health) {
			bad("%s: health %q is not one of %s", where, in.Health, strings.Join(healthValues, ", "))
		}
		if err := checkPortMap(in.Ports); err != nil {
			bad("%s: ports: %w", where, err)
		}
	}
	for i := range s.ALBs {
		a := &s.ALBs[i]
		where := fmt.Sprintf("albs[%d]", i)
		checkID(ids, where, a.ID, "alb-")
		checkVPC(where, a.VpcID)
		if a.Name != "" && !albNameRE.MatchString(a.Name) {
			bad("%s: name %q is not 2-128 letters, digits, '.', '_' or '-' starting with a letter", where, a.Name)
		}
		if a.DNSName == "" {
			a.DNSName = a.ID + "." + s.Region + ".alb.aliyuncs.com"
		} else if !isHostname(a.DNSName) {
			bad("%s: dnsName %q is not a host name", where, a.DNSName)
		}
	}
	for i, c := range s.CLBs {
		where := fmt.Sprintf("clbs[%d]", i)
		checkID(ids, where, c.ID, "lb-")
		checkVPC(where, c.VpcID)
		if !isIPv4(c.Address) {
			bad("%s: address %q is not an IPv4 address", where, c.Address)
		}
		checkCLBSeedBilling(where, c, bad)
	}
	doms := map[string]bool{}
	for i, d := range s.Domains {
		switch {
		case !isHostname(d) || !strings.Contains(d, "."):
			bad("domains[%d]: %q is not a lowercase domain name like example.com", i, d)
		case doms[d]:
			bad("domains[%d]: duplicate domain %q", i, d)
		}
		doms[d] = true
	}
	errs = append(errs, normalizeSecurityGroupSeed(&s, vpcs)...)
	errs = append(errs, normalizeSTSSeed(&s)...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("fakecloud: invalid seed: %w", errors.Join(errs...))
	}
	return &s, nil
}

// stateFromSeed builds a new world from a seed.
func stateFromSeed(seed *Seed) (*State, error) {
	s, err := normalizeSeed(seed)
	if err != nil {
		return nil, err
	}
	st := &State{Region: s.Region, Keys: append([]Key(nil), s.AccessKeys...)}
	for _, f := range []func(*State, *Seed) error{seedECS, seedVPC, seedSecurityGroups, seedALB, seedCLB, seedAlidns, seedSTS, seedQuotas} {
		if err := f(st, s); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func isIPv4(s string) bool {
	ip := net.ParseIP(s)
	return ip != nil && ip.To4() != nil && !strings.Contains(s, ":")
}

func isIPv6(s string) bool {
	ip := net.ParseIP(s)
	return ip != nil && strings.Contains(s, ":")
}

// isHostname reports whether s is a lowercase DNS name (no trailing dot).
func isHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !labelRE.MatchString(l) {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Seed is the starting world of a fake cloud (wsdeploy fakecloud --seed seed.yaml).
// The YAML names are part of wsdeploy's public contract.
type Seed struct {
	Region     string    `yaml:"region"`
	AccessKeys []Key     `yaml:"accessKeys"`
	VPCs       []SeedVPC `yaml:"vpcs"`
	// VSwitches (vpc.go); a VPC with none declared gets two.
	VSwitches []SeedVSwitch  `yaml:"vswitches,omitempty"`
	Instances []SeedInstance `yaml:"instances"`
	ALBs      []SeedALB      `yaml:"albs"`
	CLBs      []SeedCLB      `yaml:"clbs"`
	Domains   []string       `yaml:"domains"`
	// SecurityGroups (ecs_securitygroups.go); without any, each VPC gets one
	// group holding its instances that accepts traffic from the VPC's CIDR.
	SecurityGroups []SeedSecurityGroup `yaml:"securityGroups,omitempty"`
	// STS (sts_state.go): the account of the roles and OIDC providers
	// (default DefaultAccountID), RAM roles and OIDC identity providers.
	AccountID     string             `yaml:"accountId,omitempty"`
	RAMRoles      []SeedRAMRole      `yaml:"ramRoles,omitempty"`
	OIDCProviders []SeedOIDCProvider `yaml:"oidcProviders,omitempty"`
	// Quotas (lb_quotas.go): the account's load balancer quotas.
	Quotas *SeedQuotas `yaml:"quotas,omitempty"`
}

// SeedVPC is a VPC.
type SeedVPC struct {
	ID string `yaml:"id"`
	// CIDR is the VPC's IPv4 CIDR block; default: the private range that
	// holds all its instances (defaultVPCCIDR).
	CIDR string `yaml:"cidr,omitempty"`
}

// SeedInstance is an ECS instance.
type SeedInstance struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	VpcID     string `yaml:"vpcId"`
	PrivateIP string `yaml:"privateIp"`
	// Status defaults to Running.
	Status string `yaml:"status,omitempty"`
	// Health is the load balancer's view of the backend: "healthy" (default) or "unhealthy".
	Health string `yaml:"health,omitempty"`
	// Ports maps instance ports to where the app really listens, e.g.
	// {5000: "127.0.0.1:5101"}: the data plane proxies to and health-checks
	// those addresses (and the health APIs report the checks' verdicts).
	Ports map[int]string `yaml:"ports,omitempty"`
	// CloudAssistant: whether the Cloud Assistant Agent runs (default true).
	CloudAssistant *bool `yaml:"cloudAssistant,omitempty"`
	// Commands decide how Cloud Assistant commands end on the instance: the
	// first whose match is in the command's name or content (default:
	// success, exit code 0, no output).
	Commands []CommandOutcome `yaml:"commands,omitempty"`
	// SecurityGroupIDs are the instance's security groups (required when the
	// seed declares securityGroups).
	SecurityGroupIDs []string `yaml:"securityGroupIds,omitempty"`
	// VSwitchID is the instance's vSwitch, one of its VPC's (vpc.go); by
	// default the VPC's first vSwitch whose block holds the private IP, else
	// its first. The instance's zone is the vSwitch's.
	VSwitchID string `yaml:"vSwitchId,omitempty"`
}

// SeedALB is an existing ALB instance.
type SeedALB struct {
	ID      string `yaml:"id"`
	VpcID   string `yaml:"vpcId"`
	DNSName string `yaml:"dnsName"`
	// Name is the LoadBalancerName; none if empty.
	Name string `yaml:"name,omitempty"`
}

// SeedCLB is an existing CLB instance.
type SeedCLB struct {
	ID      string `yaml:"id"`
	VpcID   string `yaml:"vpcId"`
	Address string `yaml:"address"`
	Name    string `yaml:"name,omitempty"`
	// InternetChargeType is paybytraffic (default) or paybybandwidth, which
	// needs Bandwidth (1-5120 Mbit/s) and an internet address.
	InternetChargeType string `yaml:"internetChargeType,omitempty"`
	Bandwidth          int    `yaml:"bandwidth,omitempty"`
}
