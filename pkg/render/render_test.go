package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

func samplePlan() *plan.Plan {
	group := plan.Addr{Op: plan.Create, Kind: plan.KindServerGroup, Key: "wsdeploy-chat"}
	return &plan.Plan{
		FormatVersion: 1, Mode: "up", Stack: "chat", Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9",
		LB:       resource.LoadBalancer{Type: "alb", ID: "alb-1"},
		Warnings: []string{"ALB alb-1 is Provisioning, not active"},
		Actions: []plan.Action{
			{ID: group, Op: plan.Create, Kind: plan.KindServerGroup, Name: "wsdeploy-chat", Reason: "missing",
				Changes: []plan.Change{{Field: "vpc", New: "vpc-1"}, {Field: "healthCheck.enabled", New: "true"}}},
			{ID: plan.Addr{Op: plan.Create, Kind: plan.KindServers, Key: "wsdeploy-chat"}, Op: plan.Create, Kind: plan.KindServers,
				Name: "add 450 to wsdeploy-chat", Reason: "missing", DependsOn: []plan.Addr{group},
				Changes: []plan.Change{{Field: "i-1:5000 (ECS01)", New: "weight 100"}, {Field: "i-2:5000", New: "weight 50"}},
				Servers: &plan.ServersStep{Group: plan.ServerGroupRef{FromAction: group}, BatchSize: 200, Calls: 3}},
			{ID: plan.Addr{Op: plan.Update, Kind: plan.KindListener, Key: "HTTP:5000"}, Op: plan.Update, Kind: plan.KindListener,
				Name: "HTTP:5000 (lsn-1)", Reason: "drifted", Changes: []plan.Change{{Field: "idleTimeout", Old: "60", New: "30"}}},
			{ID: plan.Addr{Op: plan.Delete, Kind: plan.KindDNSRecord, Key: "chat.example.com", ID: "7"}, Op: plan.Delete, Kind: plan.KindDNSRecord,
				Name: "chat.example.com A (7)", Reason: "duplicate", Changes: []plan.Change{{Field: "value", Old: "203.0.113.1"}}},
		},
		Summary: plan.Summary{Create: 2, Update: 1, Delete: 1},
	}
}

const samplePlanText = `Stack "chat" on ALB alb-1 in cn-hangzhou, via endpoint http://127.0.0.1:9 (NOT Alibaba Cloud)

Warning: ALB alb-1 is Provisioning, not active

  + server-group wsdeploy-chat (missing)
      vpc                  vpc-1
      healthCheck.enabled  true
  + servers: add 450 to wsdeploy-chat (missing)
      i-1:5000 (ECS01)  weight 100
      i-2:5000          weight 50
      (in 3 calls of up to 200 servers)
  ~ listener HTTP:5000 (lsn-1) (drifted)
      idleTimeout  60 → 30
  - dns-record chat.example.com A (7) (duplicate)
      value  203.0.113.1 (removed)

Plan: 2 to create, 1 to update, 1 to delete.
`

func TestPlanText(t *testing.T) {
	var b strings.Builder
	if err := Plan(&b, samplePlan(), Text, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != samplePlanText {
		t.Errorf("plan text:\n%s\nwant:\n%s", b.String(), samplePlanText)
	}
}

func TestPlanTextEmpty(t *testing.T) {
	for mode, want := range map[string]string{
		"up":   "No changes. The stack matches wsdeploy.yaml.\n",
		"down": "No changes. Nothing owned by this stack exists.\n",
	} {
		var b strings.Builder
		p := &plan.Plan{Mode: mode, Stack: "chat", Region: "cn-hangzhou", LB: resource.LoadBalancer{Type: "clb", ID: "lb-1"},
			Also: []resource.LoadBalancer{{Type: "alb", ID: "alb-1"}}}
		if err := Plan(&b, p, Text, nil); err != nil {
			t.Fatal(err)
		}
		head := `Stack "chat" on CLB lb-1 and ALB alb-1 in cn-hangzhou, via Alibaba Cloud` + "\n\n"
		if b.String() != head+want {
			t.Errorf("%s: %q, want %q", mode, b.String(), head+want)
		}
	}
}

// TestPlanJSON: the JSON form is the plan value itself, addresses as text.
func TestPlanJSON(t *testing.T) {
	var b strings.Builder
	if err := Plan(&b, samplePlan(), JSON, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id": "create:servers/wsdeploy-chat"`, `"dependsOn": [` + "\n" + `        "create:server-group/wsdeploy-chat"`,
		`"fromAction": "create:server-group/wsdeploy-chat"`, `"id": "delete:dns-record/chat.example.com/7"`, `"batchSize": 200`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
	var back plan.Plan
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil || back.Actions[1].DependsOn[0] != samplePlan().Actions[0].ID {
		t.Errorf("read back: %v, %+v", err, back.Actions)
	}
}

func sampleReport() *status.Report {
	return &status.Report{
		Stack: "chat", Region: "cn-hangzhou", Endpoint: "http://127.0.0.1:9",
		LB: status.LB{Type: "clb", ID: "lb-1", Address: "203.0.113.10", Status: "active"},
		Listeners: []status.Listener{
			{Protocol: "HTTPS", Port: 443, ID: "lb-1_https_443", Status: "running", IdleTimeout: 60, RequestTimeout: 60},
			{Protocol: "HTTP", Port: 5000, ID: "lb-1_http_5000", Status: "stopped", IdleTimeout: 30, RequestTimeout: 120},
		},
		ServerGroup: &status.ServerGroup{ID: "rsp-1", Name: "wsdeploy-chat", Backends: []status.Backend{
			{InstanceID: "i-1", Name: "ECS01", Port: 5000, Weight: 100, Health: "healthy"},
			{InstanceID: "i-2", Port: 5000, Weight: 0, Health: "unused"},
			{InstanceID: "i-3", Port: 5000, Weight: 50, Health: "unhealthy", Reason: "health check failed on HTTP:5000"},
		}},
		DNS: &status.DNS{FQDN: "chat.example.com", Type: "A", Value: "198.51.100.1", TTL: 600, RecordID: "7", Exists: true},
		Drift: status.Drift{Summary: plan.Summary{Update: 1}, Changes: []status.DriftChange{
			{Op: plan.Update, Kind: plan.KindServers, Name: "reweight 1 in wsdeploy-chat", Reason: "drifted", Changes: []plan.Change{{Field: "i-2:5000 weight", Old: "100", New: "0"}}},
		}},
	}
}

const sampleStatusText = `Stack "chat" on CLB lb-1 (203.0.113.10) in cn-hangzhou: active
via endpoint http://127.0.0.1:9 (NOT Alibaba Cloud)

Listeners
  HTTPS:443  lb-1_https_443               running  idle 60s, request 60s
  HTTP:5000  lb-1_http_5000               stopped  idle 30s, request 120s

Server group
  wsdeploy-chat (rsp-1), 3 backend(s)
  ✔ i-1:5000 (ECS01)               weight 100 healthy
  ✘ i-2:5000                       weight 0   unused
  ✘ i-3:5000                       weight 50  unhealthy: health check failed on HTTP:5000

DNS
  ✘ chat.example.com A → 198.51.100.1 (record 7, ttl 600): does NOT point at the load balancer

Drift
  ` + "`wsdeploy up`" + ` would make 1 change(s): 0 to create, 1 to update, 0 to delete
    ~ servers: reweight 1 in wsdeploy-chat (drifted)
        i-2:5000 weight: 100 → 0
`

func TestStatusText(t *testing.T) {
	var b strings.Builder
	if err := Status(&b, sampleReport(), Text, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != sampleStatusText {
		t.Errorf("status text:\n%s\nwant:\n%s", b.String(), sampleStatusText)
	}

	r := &status.Report{Stack: "chat", Region: "r", LB: status.LB{Type: "alb", ID: "alb-1", DNSName: "alb-1.example", Status: "Active"},
		Drift: status.Drift{Problems: []string{"1 conflict(s):", "dns: taken"}}}
	b.Reset()
	if err := Status(&b, r, Text, nil); err != nil {
		t.Fatal(err)
	}
	want := "Stack \"chat\" on ALB alb-1 (alb-1.example) in r: Active\n\nListeners\n  (none)\n\nServer group\n  (none)\n\nDrift\n  `wsdeploy up` cannot plan:\n    1 conflict(s):\n    dns: taken\n"
	if b.String() != want {
		t.Errorf("empty status:\n%q\nwant:\n%q", b.String(), want)
	}
}

func TestStatusJSON(t *testing.T) {
	var b strings.Builder
	if err := Status(&b, sampleReport(), JSON, nil); err != nil {
		t.Fatal(err)
	}
	var back status.Report
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatal(err)
	}
	if back.ServerGroup.Backends[2].Reason != "health check failed on HTTP:5000" || back.Drift.Changes[0].Kind != plan.KindServers || !strings.Contains(b.String(), `"apiEndpoint": "http://127.0.0.1:9"`) {
		t.Errorf("status JSON:\n%s", b.String())
	}
}

func TestSavedPlan(t *testing.T) {
	f := &planfile.File{
		Kind: "wsdeploy-plan", FormatVersion: 1, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), WsdeployVersion: "test",
		Target: planfile.Target{Kind: planfile.Endpoint, Endpoint: "http://127.0.0.1:9"}, Account: "1234567890123456",
		Source: planfile.Source{Path: "prod.yaml", SHA256: strings.Repeat("ab", 32), LB: "alb"},
		Plan:   samplePlan(),
	}
	var b strings.Builder
	if err := SavedPlan(&b, f, "plan.json", Text, nil); err != nil {
		t.Fatal(err)
	}
	head := "Saved plan plan.json\n" +
		"  made     2026-01-02T03:04:05Z by wsdeploy test\n" +
		"  against  " + f.Target.String() + ", account 1234567890123456\n" +
		"  from     prod.yaml (sha256 abababababab…), --lb alb\n" +
		"  apply    " + f.ApplyCommand("plan.json") + "\n\n"
	if b.String() != head+samplePlanText {
		t.Errorf("saved plan:\n%s\nwant:\n%s", b.String(), head+samplePlanText)
	}
	b.Reset()
	if err := SavedPlan(&b, f, "plan.json", JSON, nil); err != nil {
		t.Fatal(err)
	}
	var back planfile.File
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil || back.Plan.Actions[0].ID != f.Plan.Actions[0].ID || back.Source != f.Source {
		t.Errorf("saved plan JSON: %v\n%s", err, b.String())
	}
}

func TestConfirmTextAndCounts(t *testing.T) {
	p := samplePlan()
	if got := ConfirmText(p); got != "This plan deletes what can carry traffic or a name: dns-record chat.example.com A (7) (2 to create, 1 to update, 1 to delete)." {
		t.Errorf("confirm up: %q", got)
	}
	p.Mode = "down"
	if got := ConfirmText(p); got != `This destroys stack "chat": 2 to create, 1 to update, 1 to delete.` {
		t.Errorf("confirm down: %q", got)
	}
	if got := Done(p.Summary); got != "2 created, 1 updated, 1 deleted" {
		t.Errorf("done: %q", got)
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("-o yaml accepted")
	}
}
