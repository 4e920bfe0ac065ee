package fakecloud

// The Alidns and ECS conformance scenarios (see conformance_test.go).

import (
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	v1dns "github.com/aliyun/alibaba-cloud-sdk-go/services/alidns"
	v1ecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// record picks the scenario's record, or a made-up one.
func record(e *confEnv, id string) string {
	if id == "" {
		return e.v("rec")
	}
	return id
}

// confStr is the ACS3 SDK's *string ("" is nil).
func confStr(s string) *string {
	if s == "" {
		return nil
	}
	return tea.String(s)
}

func init() { confScenarios[ProductAlidns] = confScenario{steps: dnsConformance} }

func dnsConformance() []confStep {
	const P = ProductAlidns
	g := func(action string, c confCall) confStep { return ok(P, action, c[0], c[1]) }
	b := func(status int, code, action string, c confCall) confStep {
		return fails(status, code, P, action, c[0], c[1])
	}

	domains := func(pageSize string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDescribeDomainsRequest()
			req.PageSize = requests.Integer(pageSize)
			return v1(e.v1DNS.DescribeDomains(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DescribeDomains(&alidns.DescribeDomainsRequest{PageSize: confInt64(pageSize)}))
		})
	}
	domainInfo := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDescribeDomainInfoRequest()
			req.DomainName = name
			return v1(e.v1DNS.DescribeDomainInfo(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DescribeDomainInfo(&alidns.DescribeDomainInfoRequest{DomainName: tea.String(name)}))
		})
	}
	add := func(rr, value, ttl string, keep bool) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateAddDomainRecordRequest()
			req.DomainName, req.RR, req.Type, req.Value, req.TTL = "example.com", rr, "CNAME", value, requests.Integer(ttl)
			out, err := e.v1DNS.AddDomainRecord(req)
			if err == nil && keep {
				e.vars["rec"] = out.RecordId
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := e.dns.AddDomainRecord(&alidns.AddDomainRecordRequest{
				DomainName: tea.String("example.com"), RR: tea.String(rr), Type: tea.String("CNAME"), Value: tea.String(value), TTL: confInt64(ttl),
			})
			if err == nil && keep {
				e.vars["rec"] = tea.StringValue(out.Body.RecordId)
			}
			return acs3(out, err)
		})
	}
	records := func(domain string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDescribeDomainRecordsRequest()
			req.DomainName = domain
			return v1(e.v1DNS.DescribeDomainRecords(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String(domain)}))
		})
	}
	subRecords := func(sub string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDescribeSubDomainRecordsRequest()
			req.SubDomain = sub
			return v1(e.v1DNS.DescribeSubDomainRecords(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DescribeSubDomainRecords(&alidns.DescribeSubDomainRecordsRequest{SubDomain: tea.String(sub)}))
		})
	}
	recordInfo := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDescribeDomainRecordInfoRequest()
			req.RecordId = record(e, id)
			return v1(e.v1DNS.DescribeDomainRecordInfo(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(record(e, id))}))
		})
	}
	update := func(value, ttl string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateUpdateDomainRecordRequest()
			req.RecordId, req.RR, req.Type, req.Value, req.TTL = e.v("rec"), "chat", "CNAME", value, requests.Integer(ttl)
			return v1(e.v1DNS.UpdateDomainRecord(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.UpdateDomainRecord(&alidns.UpdateDomainRecordRequest{
				RecordId: tea.String(e.v("rec")), RR: tea.String("chat"), Type: tea.String("CNAME"), Value: tea.String(value), TTL: confInt64(ttl),
			}))
		})
	}
	remark := func(id, text string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateUpdateDomainRecordRemarkRequest()
			req.RecordId, req.Remark = record(e, id), text
			return v1(e.v1DNS.UpdateDomainRecordRemark(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.UpdateDomainRecordRemark(&alidns.UpdateDomainRecordRemarkRequest{RecordId: tea.String(record(e, id)), Remark: tea.String(text)}))
		})
	}
	status := func(s string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateSetDomainRecordStatusRequest()
			req.RecordId, req.Status = e.v("rec"), s
			return v1(e.v1DNS.SetDomainRecordStatus(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.SetDomainRecordStatus(&alidns.SetDomainRecordStatusRequest{RecordId: tea.String(e.v("rec")), Status: tea.String(s)}))
		})
	}
	del := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDeleteDomainRecordRequest()
			req.RecordId = record(e, id)
			return v1(e.v1DNS.DeleteDomainRecord(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DeleteDomainRecord(&alidns.DeleteDomainRecordRequest{RecordId: tea.String(record(e, id))}))
		})
	}
	delSub := func(rr, typ string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1dns.CreateDeleteSubDomainRecordsRequest()
			req.DomainName, req.RR, req.Type = "example.com", rr, typ
			return v1(e.v1DNS.DeleteSubDomainRecords(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.dns.DeleteSubDomainRecords(&alidns.DeleteSubDomainRecordsRequest{DomainName: tea.String("example.com"), RR: tea.String(rr), Type: confStr(typ)}))
		})
	}

	return []confStep{
		g("DescribeDomains", domains("")),
		b(400, "InvalidParameter", "DescribeDomains", domains("101")),
		g("DescribeDomainInfo", domainInfo("example.com")),
		b(400, "InvalidDomainName.NoExist", "DescribeDomainInfo", domainInfo("example.org")),
		g("AddDomainRecord", add("chat", "alb-fake01.cn-hangzhou.alb.aliyuncs.com", "600", true)),
		b(400, "DomainRecordDuplicate", "AddDomainRecord", add("chat", "alb-fake01.cn-hangzhou.alb.aliyuncs.com", "600", false)),
		g("AddDomainRecord", add("www", "chat.example.com", "", false)),
		g("DescribeDomainRecords", records("example.com")),
		b(400, "InvalidDomainName.NoExist", "DescribeDomainRecords", records("example.org")),
		g("DescribeSubDomainRecords", subRecords("chat.example.com")),
		b(400, "InvalidDomainName.NoExist", "DescribeSubDomainRecords", subRecords("chat.example.org")),
		g("DescribeDomainRecordInfo", recordInfo("")),
		b(400, "DomainRecordNotBelongToUser", "DescribeDomainRecordInfo", recordInfo("999999")),
		g("UpdateDomainRecord", update("lb.example.net", "900")),
		b(400, "QuotaExceeded.TTL", "UpdateDomainRecord", update("lb.example.net", "1")),
		g("UpdateDomainRecordRemark", remark("", "wsdeploy")),
		b(400, "DomainRecordNotBelongToUser", "UpdateDomainRecordRemark", remark("999999", "x")),
		g("SetDomainRecordStatus", status("Disable")),
		b(400, "InvalidParameter", "SetDomainRecordStatus", status("Bogus")),
		g("DescribeDomainRecordInfo", recordInfo("")),
		g("DeleteDomainRecord", del("")),
		b(400, "DomainRecordNotBelongToUser", "DeleteDomainRecord", del("")),
		g("DeleteSubDomainRecords", delSub("www", "CNAME")),
		b(400, "InvalidRR.NoExist", "DeleteSubDomainRecords", delSub("www", "")),
		g("DescribeDomainRecords", records("example.com")),
	}
}

func init() {
	confScenarios[ProductECS] = confScenario{steps: func() []confStep { return append(ecsConformance(), ecsCloudAssistantConformance()...) }}
}

func ecsConformance() []confStep {
	const P = ProductECS
	instances := func(ids string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeInstancesRequest()
			req.VpcId, req.InstanceIds = "vpc-fake01", ids
			return v1(e.v1ECS.DescribeInstances(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), VpcId: tea.String("vpc-fake01"), InstanceIds: confStr(ids)}))
		})
	}
	steps := []confStep{
		ok(P, "DescribeInstances", instances("")[0], instances("")[1]),
		ok(P, "DescribeInstances", instances(`["i-fake02","i-other01"]`)[0], instances(`["i-fake02","i-other01"]`)[1]),
		fails(400, "InvalidInstanceIds.Malformed", P, "DescribeInstances", instances(`["i-fake01"`)[0], instances(`["i-fake01"`)[1]),
	}
	for _, more := range ecsConfMore {
		steps = append(steps, more()...)
	}
	return steps
}

// ecsConfMore holds the ECS steps of other conformance files (one per ECS
// object), run after these on the same world.
var ecsConfMore []func() []confStep
