package fakecloud

import (
	"net/http"
	"reflect"
	"testing"
	"time"
)

// The list and struct parameters of the served actions travel only in flat
// form (paramstyle.go). The aliyun CLI 3.4.11 sends ALB Array and Struct
// parameters as JSON text; the real API answers 400 Invalid<Name> "Illegal
// parameter serialization format. Flat format is required." (aliyun-cli
// issues #1393, #420), so the fake must too, and change nothing.

const flatRequired = "Illegal parameter serialization format. Flat format is required."

// TestFlatFormOnlyALB sends each ALB write the CLI sends as JSON text, hand
// signed with v1, first as JSON (rejected, the world unchanged, the call
// logged with its code) and then in flat form (accepted, the world changed).
func TestFlatFormOnlyALB(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts := NewTestServer(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	post := func(action string, form map[string]string) (int, map[string]any) {
		t.Helper()
		return v1Req{method: http.MethodPost, version: VersionALB, action: action, form: form}.send(t, ts)
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	// rejected checks that a JSON-form call fails as the real API does and
	// leaves the world as it was.
	rejected := func(action, param string, form map[string]string) {
		t.Helper()
		before := ts.Snapshot().ALB
		status, m := post(action, form)
		if status != 400 || m["Code"] != "Invalid"+param || m["Message"] != "Specified parameter "+param+" is not valid. "+flatRequired {
			t.Errorf("%s with %s as JSON: %d %v, want 400 Invalid%s", action, param, status, m, param)
		}
		if after := ts.Snapshot().ALB; !reflect.DeepEqual(before, after) {
			t.Errorf("%s with %s as JSON changed the world:\nbefore %+v\nafter  %+v", action, param, before, after)
			clock.Add(albTestAsync) // let the unwanted write settle before the next call
		}
		calls := ts.Calls()
		last := calls[len(calls)-1]
		if last.Action != action || last.Status != 400 || last.Code != "Invalid"+param || last.Params[param] != form[param] {
			t.Errorf("request log: %+v", last)
		}
	}
	accepted := func(action string, form map[string]string) map[string]any {
		t.Helper()
		status, m := post(action, form)
		if status != 200 {
			t.Fatalf("%s in flat form: %d %v", action, status, m)
		}
		clock.Add(albTestAsync)
		return m
	}

	sg := map[string]string{"ServerGroupName": "ws-cli", "VpcId": "vpc-fake01", "Protocol": "HTTP"}
	rejected("CreateServerGroup", "HealthCheckConfig", with(sg,
		"HealthCheckConfig", `{"HealthCheckEnabled":true,"HealthCheckPath":"/healthz","HealthCheckCodes":["http_2xx"]}`))
	m := accepted("CreateServerGroup", with(sg, "HealthCheckConfig.HealthCheckEnabled", "true",
		"HealthCheckConfig.HealthCheckPath", "/healthz", "HealthCheckConfig.HealthCheckCodes.1", "http_2xx"))
	sgID, _ := m["ServerGroupId"].(string)
	if g := albOf(ts).serverGroup(sgID); g == nil || g.HealthCheck.Path != "/healthz" || !reflect.DeepEqual(g.HealthCheck.Codes, []string{"http_2xx"}) {
		t.Fatalf("server group %s: %+v", sgID, g)
	}

	add := map[string]string{"ServerGroupId": sgID}
	rejected("AddServersToServerGroup", "Servers", with(add,
		"Servers", `[{"ServerId":"i-fake01","ServerType":"Ecs","Port":8080,"Weight":100}]`))
	accepted("AddServersToServerGroup", with(add, "Servers.1.ServerId", "i-fake01", "Servers.1.ServerType", "Ecs",
		"Servers.1.Port", "8080", "Servers.1.Weight", "100"))
	if g := albOf(ts).serverGroup(sgID); len(g.Servers) != 1 || g.Servers[0].ServerID != "i-fake01" || g.Servers[0].Port != 8080 {
		t.Fatalf("servers: %+v", g.Servers)
	}

	lsn := map[string]string{"LoadBalancerId": "alb-fake01", "ListenerProtocol": "HTTP", "ListenerPort": "80"}
	rejected("CreateListener", "DefaultActions", with(lsn,
		"DefaultActions", `[{"Type":"ForwardGroup","ForwardGroupConfig":{"ServerGroupTuples":[{"ServerGroupId":"`+sgID+`"}]}}]`))
	m = accepted("CreateListener", with(lsn, "DefaultActions.1.Type", "ForwardGroup",
		"DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", sgID))
	lsnID, _ := m["ListenerId"].(string)

	// The Update calls answer 200 on a fake that ignores what it cannot read.
	rejected("UpdateListenerAttribute", "DefaultActions", map[string]string{"ListenerId": lsnID,
		"DefaultActions": `[{"Type":"ForwardGroup","ForwardGroupConfig":{"ServerGroupTuples":[{"ServerGroupId":"` + sgID + `"}]}}]`})
	accepted("UpdateListenerAttribute", map[string]string{"ListenerId": lsnID, "IdleTimeout": "30",
		"DefaultActions.1.Type": "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId": sgID})
	if l := albOf(ts).listener(lsnID); l == nil || l.IdleTimeout != 30 || !reflect.DeepEqual(l.DefaultServerGroups, []string{sgID}) {
		t.Fatalf("listener %s: %+v", lsnID, l)
	}

	rejected("UpdateServerGroupAttribute", "HealthCheckConfig", map[string]string{"ServerGroupId": sgID,
		"HealthCheckConfig": `{"HealthCheckEnabled":true,"HealthCheckPath":"/ready"}`})
	accepted("UpdateServerGroupAttribute", map[string]string{"ServerGroupId": sgID,
		"HealthCheckConfig.HealthCheckEnabled": "true", "HealthCheckConfig.HealthCheckPath": "/ready"})
	if g := albOf(ts).serverGroup(sgID); g.HealthCheck.Path != "/ready" {
		t.Fatalf("health check after update: %+v", g.HealthCheck)
	}
}

func albOf(ts *TestServer) *ALBState {
	st := ts.Snapshot()
	return &st.ALB
}

// TestFlatFormNested: an element or a nested list sent whole is refused
// too, naming its path; so is an empty list (an SDK that sends Tag= with no
// tags gets InvalidTag from the real API), and a read with a list filter.
func TestFlatFormNested(t *testing.T) {
	ts := NewTestServer(t, Options{})
	cases := []struct {
		version, action string
		params          map[string]string
		code, path      string
	}{
		{VersionALB, "AddServersToServerGroup", map[string]string{"ServerGroupId": "sgp-x",
			"Servers.1": `{"ServerId":"i-fake01","ServerType":"Ecs","Port":8080}`}, "InvalidServers", "Servers.1"},
		{VersionALB, "CreateServerGroup", map[string]string{"ServerGroupName": "ws-cli", "VpcId": "vpc-fake01",
			"HealthCheckConfig.HealthCheckEnabled": "true", "HealthCheckConfig.HealthCheckCodes": `["http_2xx"]`},
			"InvalidHealthCheckConfig", "HealthCheckConfig.HealthCheckCodes"},
		{VersionALB, "CreateServerGroup", map[string]string{"ServerGroupName": "ws-cli", "VpcId": "vpc-fake01",
			"HealthCheckConfig.HealthCheckEnabled": "false", "Tag": ""}, "InvalidTag", "Tag"},
		{VersionALB, "ListServerGroups", map[string]string{"ServerGroupIds": `["sgp-x"]`}, "InvalidServerGroupIds", "ServerGroupIds"},
		{VersionSLB, "DescribeLoadBalancers", map[string]string{"RegionId": "cn-hangzhou", "Tag": `[{"Key":"app","Value":"ws"}]`},
			"InvalidTag", "Tag"},
		{VersionSLB, "DescribeLoadBalancerListeners", map[string]string{"RegionId": "cn-hangzhou", "LoadBalancerId": `["lb-fake01"]`},
			"InvalidLoadBalancerId", "LoadBalancerId"},
	}
	for _, c := range cases {
		status, m := v1Req{version: c.version, action: c.action, query: c.params}.send(t, ts)
		if status != 400 || m["Code"] != c.code || m["Message"] != "Specified parameter "+c.path+" is not valid. "+flatRequired {
			t.Errorf("%s %v: %d %v, want 400 %s on %s", c.action, c.params, status, m, c.code, c.path)
		}
	}
	if st := ts.Snapshot(); len(st.ALB.ServerGroups) != 0 {
		t.Errorf("a refused call created %+v", st.ALB.ServerGroups)
	}
}

// TestEveryActionHasItsRequestType: the check reads each action's list and
// struct parameters from the SDK's request type; an action without one would
// go unchecked.
func TestEveryActionHasItsRequestType(t *testing.T) {
	for k := range builtinRegistry() {
		if !scalarOnly[k.version] && requestType(k.version, k.action) == nil {
			t.Errorf("%s %s: no %sWithOptions request type in the SDK client", k.version, k.action, k.action)
		}
	}
	rt := requestType(VersionALB, "CreateServerGroup")
	for name, want := range map[string]bool{
		"HealthCheckConfig": true, "HealthCheckConfig.HealthCheckCodes": true, "HealthCheckConfig.HealthCheckCodes.1": false,
		"HealthCheckConfig.HealthCheckPath": false, "Tag": true, "Tag.1": true, "Tag.1.Key": false, "ServerGroupName": false,
		"RegionId": false, "Tag.x": false, "Tag.0": false,
	} {
		if _, got := wholeValue(rt, name); got != want {
			t.Errorf("wholeValue(CreateServerGroup, %s) = %v, want %v", name, got, want)
		}
	}
}
