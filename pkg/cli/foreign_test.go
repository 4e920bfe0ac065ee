package cli_test

// Someone else's resources, put straight into the fake's world as another
// tool or person would have left them (fakecloud.Server.Update). Arranging
// a test this way needs none of wsdeploy's own client code, so a bug there
// cannot shape the world a test starts from. The objects carry the values
// the fake's own create handlers give them (defaults included).

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

type foreign struct {
	groupID, listenerID, recordID string
}

// addForeign puts someone else's ALB server group and HTTP listener (on
// listenerPort of alb-fake01) and an A record at recordRR.example.com into the world.
func (e *env) addForeign(listenerPort int, recordRR string) foreign {
	e.t.Helper()
	var f foreign
	e.arrange(func(st *fakecloud.State) error {
		now := time.Now()
		f.groupID = fmt.Sprintf("sgp-fake%04d", st.NextSeq())
		st.ALB.ServerGroups = append(st.ALB.ServerGroups, &fakecloud.ALBServerGroup{
			ID: f.groupID, Name: "someone-else", Type: "Instance", VpcID: "vpc-fake01", Protocol: "HTTP",
			Scheduler: "Wrr", ResourceGroupID: "rg-fake", HealthCheck: fakecloud.ALBHealthCheck{Enabled: false},
			ConnectionDrainTimeout: 300, SlowStartDuration: 30, CrossZoneEnabled: true,
			Tags: []fakecloud.Tag{{Key: "team", Value: "payments"}}, CreateTime: now,
		})
		doneJob(st, "CreateServerGroup", "servergroup", f.groupID, now)
		f.listenerID = fmt.Sprintf("lsn-fake%04d", st.NextSeq())
		st.ALB.Listeners = append(st.ALB.Listeners, &fakecloud.ALBListener{
			ID: f.listenerID, LoadBalancerID: "alb-fake01", Protocol: "HTTP", Port: listenerPort,
			Description: "payments-api", IdleTimeout: 15, RequestTimeout: 60, GzipEnabled: true,
			DefaultServerGroups: []string{f.groupID}, Status: "Running", CreateTime: now,
		})
		doneJob(st, "CreateListener", "listener", f.listenerID, now)
		var err error
		f.recordID, err = putRecord(st, recordRR, "A", "198.51.100.7")
		return err
	})
	return f
}

// doneJob records the finished job of an ALB create, as the API leaves one
// (numbered from the same sequence as the resources).
func doneJob(st *fakecloud.State, api, resourceType, id string, at time.Time) {
	st.ALB.Jobs = append(st.ALB.Jobs, &fakecloud.ALBJob{
		ID: fmt.Sprintf("job-fake%04d", st.NextSeq()), APIName: api, ResourceType: resourceType,
		ResourceID: id, OperateType: "Create", CreateTime: at, DoneAt: at,
	})
}

// addForeignCLB puts a vServer group named name, tagged tags, and an HTTP
// listener on port of lb-fake01 forwarding to it, into the world; it returns
// the group's ID.
func (e *env) addForeignCLB(port int, name string, tags map[string]string) string {
	e.t.Helper()
	var id string
	e.arrange(func(st *fakecloud.State) error {
		now := time.Now()
		var tt []fakecloud.Tag
		for k, v := range tags {
			tt = append(tt, fakecloud.Tag{Key: k, Value: v})
		}
		id = fmt.Sprintf("rsp-fake%04d", st.NextSeq())
		st.CLB.VServerGroups = append(st.CLB.VServerGroups, &fakecloud.CLBVServerGroup{
			ID: id, Name: name, LoadBalancerID: "lb-fake01", CreateTime: now, Tags: tt,
		})
		st.CLB.Listeners = append(st.CLB.Listeners, &fakecloud.CLBListener{
			LoadBalancerID: "lb-fake01", Protocol: "http", Port: port, Status: "running",
			VServerGroupID: id, Bandwidth: -1, Description: name + "-http-" + strconv.Itoa(port), Scheduler: "wrr",
			IdleTimeout: 15, RequestTimeout: 60,
			Flags: map[string]string{
				"XForwardedFor": "on", "XForwardedFor_SLBIP": "off", "XForwardedFor_SLBID": "off", "XForwardedFor_proto": "off",
				"XForwardedFor_SLBPORT": "off", "XForwardedFor_ClientSrcPort": "off", "Gzip": "on", "ListenerForward": "off",
			},
			Tags: tt, CreateTime: now,
		})
		return nil
	})
	return id
}

// addForeignRecord puts someone else's record rr.example.com into the world and returns its ID.
func (e *env) addForeignRecord(rr, typ, value string) string {
	e.t.Helper()
	var id string
	e.arrange(func(st *fakecloud.State) error {
		var err error
		id, err = putRecord(st, rr, typ, value)
		return err
	})
	return id
}

// putRecord adds a record to example.com, numbered as AddDomainRecord numbers them.
func putRecord(st *fakecloud.State, rr, typ, value string) (string, error) {
	for i := range st.DNS.Domains {
		d := &st.DNS.Domains[i]
		if d.Name != "example.com" {
			continue
		}
		now := time.Now()
		st.DNS.LastRecord++
		id := strconv.FormatInt(1900000000000000000+st.DNS.LastRecord, 10)
		d.Records = append(d.Records, fakecloud.DNSRecord{
			ID: id, RR: rr, Type: typ, Value: value, TTL: 600, Line: "default", Status: "ENABLE", Created: now, Updated: now,
		})
		return id, nil
	}
	return "", fmt.Errorf("no zone example.com in the world")
}

// arrange changes the fake's world directly, failing the test if it cannot.
func (e *env) arrange(fn func(st *fakecloud.State) error) {
	e.t.Helper()
	if err := e.fc.Update(fn); err != nil {
		e.t.Fatalf("arrange the fake's world: %v", err)
	}
}

// setWeight sets, by hand, the weight of backend (instance, port) in the
// stack's ALB server group.
func (e *env) setWeight(t *testing.T, instance string, port, w int) {
	t.Helper()
	groupID := ownedGroupID(t, e.fc.Snapshot())
	e.arrange(func(st *fakecloud.State) error {
		for _, g := range st.ALB.ServerGroups {
			if g.ID != groupID {
				continue
			}
			for _, s := range g.Servers {
				if s.ServerID == instance && s.Port == port {
					s.Weight = w
					return nil
				}
			}
		}
		return fmt.Errorf("no backend %s:%d in server group %s", instance, port, groupID)
	})
}
