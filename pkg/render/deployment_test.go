package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// DeploymentOf takes what the apply created from the plan's actions and
// the result, whatever the actions' IDs look like: it never rebuilds an ID.
func TestDeploymentOfCreated(t *testing.T) {
	t.Parallel()
	s := config.Demo() // HTTP:5000 and HTTPS:443, chat.example.com
	snap := &inventory.Snapshot{
		LB:       resource.LoadBalancer{Type: "alb", ID: "alb-1", DNSName: "alb-1.example.net"},
		Backends: []resource.Backend{{InstanceID: "i-1", Port: 5000, Weight: 100}},
	}
	// Addresses unlike the planner's: DeploymentOf must match actions, not rebuild addresses.
	id := func(k string) plan.Addr { return plan.Addr{Op: plan.Create, Kind: "test", Key: k} }
	p := &plan.Plan{Endpoint: "http://fake", Summary: plan.Summary{Create: 4}, Actions: []plan.Action{
		{ID: id("a1"), Op: plan.Create, Kind: plan.KindServerGroup, ServerGroup: &plan.ServerGroupStep{}},
		{ID: id("a2"), Op: plan.Create, Kind: plan.KindListener, Listener: &plan.ListenerStep{Spec: resource.Listener{Protocol: "HTTPS", Port: 443}}},
		{ID: id("a3"), Op: plan.Create, Kind: plan.KindListener, Listener: &plan.ListenerStep{Spec: resource.Listener{Protocol: "HTTP", Port: 5000}}},
		{ID: id("a4"), Op: plan.Create, Kind: plan.KindDNSRecord, Record: &plan.RecordStep{Record: resource.Record{Domain: "example.com", RR: "chat", Type: "CNAME"}}},
	}}
	res := &apply.Result{Created: map[plan.Addr]string{id("a1"): "sgp-1", id("a2"): "lsn-https", id("a3"): "lsn-http", id("a4"): "rec-1"}}

	d := DeploymentOf(s, snap, p, res)
	if d.ServerGroup.ID != "sgp-1" || d.ServerGroup.Name != "wsdeploy-demo" || len(d.ServerGroup.Servers) != 1 {
		t.Errorf("server group %+v", d.ServerGroup)
	}
	if len(d.Listeners) != 2 || d.Listeners[0].ID != "lsn-http" || d.Listeners[1].ID != "lsn-https" {
		t.Errorf("listeners %+v", d.Listeners)
	}
	if d.DNS == nil || d.DNS.RecordID != "rec-1" || d.DNS.Type != "CNAME" || d.DNS.Value != "alb-1.example.net" || d.DNS.FQDN != "chat.example.com" {
		t.Errorf("dns %+v", d.DNS)
	}
	if got := strings.Join(d.Endpoints, " "); got != "ws://chat.example.com:5000 wss://chat.example.com" {
		t.Errorf("endpoints %s", got)
	}
	if d.Endpoint != "http://fake" || d.Changes.Create != 4 {
		t.Errorf("endpoint %q, changes %+v", d.Endpoint, d.Changes)
	}
}

// With nothing applied, what exists is shown: the owned listeners and
// record, and the group the owned listeners forward to.
func TestDeploymentOfExisting(t *testing.T) {
	t.Parallel()
	s := config.Demo()
	s.LB = config.LBCLB
	owned := map[string]string{resource.OwnerTagKey: s.Stack}
	snap := &inventory.Snapshot{
		LB:           resource.LoadBalancer{Type: "clb", ID: "lb-1", Address: "203.0.113.10"},
		ServerGroups: []resource.ServerGroup{{ID: "rsp-old"}},
		Listeners: []resource.Listener{
			{ID: "lb-1-5000", Protocol: "HTTP", Port: 5000, ServerGroupID: "rsp-1", Tags: owned},
			{ID: "lb-1-8080", Protocol: "HTTP", Port: 443, ServerGroupID: "rsp-other"}, // not the stack's
		},
		Records: []resource.Record{{ID: "rec-9", Remark: resource.RecordRemark(s.Stack)}},
	}
	d := DeploymentOf(s, snap, &plan.Plan{}, nil)
	if d.ServerGroup.ID != "rsp-1" || d.Listeners[0].ID != "lb-1-5000" || d.Listeners[1].ID != "" {
		t.Errorf("group %q, listeners %+v", d.ServerGroup.ID, d.Listeners)
	}
	if d.DNS.Type != "A" || d.DNS.Value != "203.0.113.10" || d.DNS.RecordID != "rec-9" {
		t.Errorf("dns %+v", d.DNS)
	}
	var b strings.Builder
	if err := DeploymentText(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Stack "demo" is up on CLB lb-1 (203.0.113.10)`, "listener HTTP:5000 (lb-1-5000)", "dns chat.example.com A → 203.0.113.10 (record rec-9, ttl 600)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

// `up --verify` prints the deployment, a blank line, then the report; with
// -o json the report is a field of the deployment.
func TestDeployed(t *testing.T) {
	t.Parallel()
	d := DeploymentOf(config.Demo(), &inventory.Snapshot{LB: resource.LoadBalancer{Type: "alb", ID: "alb-1"}}, &plan.Plan{}, nil)
	var plain bytes.Buffer
	if err := Deployed(&plain, d, Text); err != nil {
		t.Fatal(err)
	}
	d.Verify = &verify.Report{OK: true, Targets: []verify.TargetReport{{URL: "ws://chat.example.com:5000/ws"}}}
	var text, js bytes.Buffer
	if err := Deployed(&text, d, Text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text.String(), plain.String()+"\nVerifying ws://chat.example.com:5000/ws\n") {
		t.Fatalf("text:\n%s", text.String())
	}
	if err := Deployed(&js, d, JSON); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"verify": {`) || strings.Contains(js.String(), "Verifying") {
		t.Fatalf("json:\n%s", js.String())
	}
}
