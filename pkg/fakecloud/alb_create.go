package fakecloud

// ALB instances made through the API: CreateLoadBalancer (asynchronous:
// Provisioning until the write's AsyncDuration has passed, then Active),
// DeleteLoadBalancer (a job; the instance goes when it ends) and
// DescribeZones. A created instance is a normal ALB: listeners, server
// groups, tags and the data plane serve it like a seeded one.

import (
	"fmt"
	"net/http"
	"strconv"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// albZones are the zones of the region where ALB can be created (the
// seeded instances use the first two).
func albZones(region string) []string {
	return []string{region + "-h", region + "-i", region + "-j"}
}

func albDescribeZones(st *State, r *Request) (any, error) {
	if _, err := r.Enum("AcceptLanguage", "", "zh-CN", "en-US", "ja"); err != nil {
		return nil, err
	}
	body := &alb.DescribeZonesResponseBody{Zones: []*alb.DescribeZonesResponseBodyZones{}}
	for _, z := range albZones(st.Region) {
		body.Zones = append(body.Zones, &alb.DescribeZonesResponseBodyZones{
			ZoneId: tea.String(z), LocalName: tea.String(z),
		})
	}
	return body, nil
}

func albCreateLoadBalancer(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		lb := &ALBLoadBalancer{AddressIPVersion: "IPv4", ResourceGroupID: "rg-fake", CreateTime: r.Now}
		var err error
		if lb.VpcID, err = r.Required("VpcId"); err != nil {
			return albWrite{}, err
		}
		if lb.AddressType, err = r.Enum("AddressType", "", "Internet", "Intranet"); err != nil {
			return albWrite{}, err
		}
		if lb.AddressType == "" {
			return albWrite{}, MissingParameter("AddressType")
		}
		if lb.Edition, err = r.Enum("LoadBalancerEdition", "", "Basic", "Standard", "StandardWithWaf"); err != nil {
			return albWrite{}, err
		}
		if lb.Edition == "" {
			return albWrite{}, MissingParameter("LoadBalancerEdition")
		}
		pay, err := r.Enum("LoadBalancerBillingConfig.PayType", "", "PostPay")
		if err != nil {
			return albWrite{}, err
		}
		if pay == "" {
			return albWrite{}, MissingParameter("LoadBalancerBillingConfig.PayType")
		}
		if _, err = r.Enum("AddressAllocatedMode", "", "Fixed", "Dynamic"); err != nil {
			return albWrite{}, err
		}
		if lb.AddressIPVersion, err = r.Enum("AddressIpVersion", "IPv4", "IPv4", "DualStack"); err != nil {
			return albWrite{}, err
		}
		lb.Name = r.Get("LoadBalancerName")
		if lb.Name != "" && !albNameRE.MatchString(lb.Name) {
			return albWrite{}, InvalidParameter("LoadBalancerName", lb.Name, "2-128 letters, digits, '.', '_' or '-', starting with a letter")
		}
		if lb.DeletionProtection, _, err = r.Bool("DeletionProtectionEnabled"); err != nil {
			return albWrite{}, err
		}
		if lb.Tags, err = albNewTags(r); err != nil {
			return albWrite{}, err
		}
		if !contains(st.ECS.VPCs, lb.VpcID) {
			return albWrite{}, albNotFound("Vpc", lb.VpcID)
		}
		for i := 1; ; i++ {
			p := "ZoneMappings." + strconv.Itoa(i) + "."
			zone, vsw := r.Get(p+"ZoneId"), r.Get(p+"VSwitchId")
			if zone == "" && vsw == "" {
				break
			}
			if zone == "" {
				return albWrite{}, MissingParameter(p + "ZoneId")
			}
			if vsw == "" {
				return albWrite{}, MissingParameter(p + "VSwitchId")
			}
			if !contains(albZones(st.Region), zone) {
				return albWrite{}, Errorf(http.StatusBadRequest, "OperationDenied.ZoneNotSupport",
					"The zone %s does not support ALB.", zone)
			}
			switch w := st.VPC.vswitch(vsw); {
			case w == nil:
				return albWrite{}, albNotFound("VSwitch", vsw)
			case w.VpcID != lb.VpcID:
				return albWrite{}, Errorf(http.StatusBadRequest, "Mismatch.VpcId",
					"The vSwitch %s is not in the VPC %s.", vsw, lb.VpcID)
			case w.ZoneID != zone:
				return albWrite{}, Errorf(http.StatusBadRequest, "Mismatch.ZoneId",
					"The vSwitch %s is not in the zone %s.", vsw, zone)
			}
			if contains(lb.Zones, zone) {
				return albWrite{}, InvalidParameter(p+"ZoneId", zone, "each zone at most once")
			}
			lb.Zones = append(lb.Zones, zone)
			lb.VSwitchIDs = append(lb.VSwitchIDs, vsw)
		}
		if len(lb.Zones) < 2 {
			return albWrite{}, InvalidParameter("ZoneMappings", strconv.Itoa(len(lb.Zones)), "at least two zones")
		}
		if err := albQuotaCheck(st); err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "loadbalancer", operate: "Create", apply: func() string {
			lb.ID = fmt.Sprintf("alb-fake%04d", st.NextSeq())
			lb.DNSName = fmt.Sprintf("%s.%s.alb.aliyuncs.com", lb.ID, st.Region)
			lb.ProvisionedAt = r.Now.Add(r.AsyncDuration)
			st.ALB.LoadBalancers = append(st.ALB.LoadBalancers, lb)
			return lb.ID
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.CreateLoadBalancerResponseBody{LoadBalancerId: tea.String(res.ResourceID)}, nil
}

func albDeleteLoadBalancer(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		id, err := r.Required("LoadBalancerId")
		if err != nil {
			return albWrite{}, err
		}
		lb := st.ALB.loadBalancer(id)
		if lb == nil {
			return albWrite{}, albNotFound("LoadBalancer", id)
		}
		if st := lb.status(r.Now); st != "Active" && st != "CreateFailed" {
			return albWrite{}, albIncorrectStatus("LoadBalancer", id, st)
		}
		if lb.DeletionProtection {
			return albWrite{}, Errorf(http.StatusBadRequest, "OperationDenied.DeletionProtectionEnabled",
				"The operation is not allowed because deletion protection of %s is enabled.", id)
		}
		for _, l := range st.ALB.Listeners {
			if l.LoadBalancerID == id {
				return albWrite{}, Errorf(http.StatusBadRequest, "ResourceInUse.LoadBalancer",
					"The specified resource %s of LoadBalancer is in use by listener %s.", id, l.ID)
			}
		}
		return albWrite{resourceType: "loadbalancer", resourceID: id, operate: "Delete", apply: func() string {
			lb.DeletedAt = r.Now.Add(r.AsyncDuration)
			return id
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.DeleteLoadBalancerResponseBody{JobId: tea.String(res.JobID)}, nil
}

// albSetDeletionProtection is EnableDeletionProtection /
// DisableDeletionProtection: synchronous, on ResourceId (the instance).
func albSetDeletionProtection(on bool) handler {
	return func(st *State, r *Request) (any, error) {
		id, err := r.Required("ResourceId")
		if err != nil {
			return nil, err
		}
		if token, has := r.Str("ClientToken"); has && (len(token) > 64 || !albASCII(token)) {
			return nil, InvalidParameter("ClientToken", token, "at most 64 ASCII characters")
		}
		dry, _, err := r.Bool("DryRun")
		if err != nil {
			return nil, err
		}
		lb := st.ALB.loadBalancer(id)
		if lb == nil {
			return nil, albNotFound("LoadBalancer", id)
		}
		if dry {
			return nil, albDryRun()
		}
		lb.DeletionProtection = on
		if on {
			return &alb.EnableDeletionProtectionResponseBody{}, nil
		}
		return &alb.DisableDeletionProtectionResponseBody{}, nil
	}
}

func albUpdateLoadBalancerAttribute(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		id, err := r.Required("LoadBalancerId")
		if err != nil {
			return albWrite{}, err
		}
		name, hasName := r.Str("LoadBalancerName")
		if hasName && !albNameRE.MatchString(name) {
			return albWrite{}, InvalidParameter("LoadBalancerName", name, "2-128 letters, digits, '.', '_' or '-', starting with a letter")
		}
		if _, err := r.Enum("ModificationProtectionConfig.Status", "", "NonProtection", "ConsoleProtection"); err != nil {
			return albWrite{}, err
		}
		lb := st.ALB.loadBalancer(id)
		if lb == nil {
			return albWrite{}, albNotFound("LoadBalancer", id)
		}
		if s := lb.status(r.Now); s != "Active" {
			return albWrite{}, albIncorrectStatus("LoadBalancer", id, s)
		}
		return albWrite{resourceType: "loadbalancer", resourceID: id, operate: "Update", apply: func() string {
			if hasName {
				lb.Name = name
			}
			lb.BusyUntil = r.Now.Add(r.AsyncDuration)
			return id
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateLoadBalancerAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}
