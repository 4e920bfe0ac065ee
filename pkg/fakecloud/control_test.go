package fakecloud

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// ctl sends an unsigned control request and returns the status and body.
func ctl(t *testing.T, ts *TestServer, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(out)
}

func ctlFaults(t *testing.T, ts *TestServer, method, body string) FaultsView {
	t.Helper()
	status, out := ctl(t, ts, method, "/_fake/faults", body)
	if status != http.StatusOK {
		t.Fatalf("%s /_fake/faults: %d %s", method, status, out)
	}
	var v FaultsView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s /_fake/faults: %v\n%s", method, err, out)
	}
	return v
}

func TestControlFaults(t *testing.T) {
	ts, c := newALBClient(t, Options{FaultSeed: 5})
	list := func() error { _, err := faultListGroups(t, c); return err }

	if v := ctlFaults(t, ts, "GET", ""); v.Seed != 5 || len(v.Faults) != 0 {
		t.Fatalf("initial: %+v", v)
	}
	if err := list(); err != nil {
		t.Fatal(err)
	}

	// PUT replaces the rules (YAML body).
	v := ctlFaults(t, ts, "PUT", `seed: 9
faults:
  - {name: throttle, product: alb, action: ListServerGroups, code: Throttling.User, times: 1}
`)
	if v.Seed != 9 || len(v.Faults) != 1 || v.Faults[0].Rule.Code != "Throttling.User" {
		t.Fatalf("after PUT: %+v", v)
	}
	wantSDKError(t, list(), 400, "Throttling.User")
	if err := list(); err != nil {
		t.Fatalf("times 1: %v", err)
	}
	v = ctlFaults(t, ts, "GET", "")
	if v.Faults[0].Matched != 2 || v.Faults[0].Fired != 1 || v.Faults[0].Rule.Name != "throttle" {
		t.Fatalf("counters: %+v", v)
	}

	// POST appends (JSON body), keeping the counters of the others.
	v = ctlFaults(t, ts, "POST", `[{"product": "alb", "code": "SystemBusy", "delay": "10ms"}]`)
	if len(v.Faults) != 2 || v.Faults[0].Matched != 2 || v.Faults[1].Rule.Delay != 10*time.Millisecond {
		t.Fatalf("after POST: %+v", v)
	}
	wantSDKError(t, list(), 400, "SystemBusy")

	// Bad bodies are refused with the reason, and leave the rules alone.
	for _, tt := range []struct{ method, body, want string }{
		{"PUT", "faults:\n  - {product: alb, cod: X}\n", "line 2: field cod not found"},
		{"PUT", "- {product: alb, action: CreateListner, code: SystemBusy}\n", "CreateListner"},
		{"POST", "seed: 3\nfaults: []\n", "seed can only be set with PUT"},
	} {
		status, out := ctl(t, ts, tt.method, "/_fake/faults", tt.body)
		if status != http.StatusBadRequest || !strings.Contains(out, tt.want) {
			t.Errorf("%s %q: %d %s, want 400 with %q", tt.method, tt.body, status, out, tt.want)
		}
	}
	if v := ctlFaults(t, ts, "GET", ""); len(v.Faults) != 2 {
		t.Fatalf("a refused PUT changed the rules: %+v", v)
	}

	// DELETE clears them.
	if v := ctlFaults(t, ts, "DELETE", ""); len(v.Faults) != 0 || v.Seed != 9 {
		t.Fatalf("after DELETE: %+v", v)
	}
	if err := list(); err != nil {
		t.Fatal(err)
	}

	// The Go API sees the same rules.
	ctlFaults(t, ts, "PUT", `[{"product": "ecs", "httpStatus": 503}]`)
	if st := ts.Faults(); len(st) != 1 || st[0].Rule.HTTPStatus != 503 {
		t.Fatalf("Faults(): %+v", st)
	}
}

func TestControlCallsAndState(t *testing.T) {
	ts, c := newALBClient(t, Options{Faults: []Fault{{Product: "alb", Action: "ListServerGroups", Code: "Throttling.User", Times: 1}}})
	faultListGroups(t, c)
	if _, err := faultListGroups(t, c); err != nil {
		t.Fatal(err)
	}
	status, out := ctl(t, ts, "GET", "/_fake/calls", "")
	if status != http.StatusOK {
		t.Fatalf("GET /_fake/calls: %d %s", status, out)
	}
	var calls []map[string]any
	if err := json.Unmarshal([]byte(out), &calls); err != nil {
		t.Fatal(err)
	}
	// Control requests are not logged; the calls are, with "injected".
	if len(calls) != 2 || calls[0]["injected"] != true || calls[0]["code"] != "Throttling.User" ||
		calls[1]["injected"] != nil || calls[1]["action"] != "ListServerGroups" || calls[1]["status"] != float64(200) {
		t.Fatalf("calls: %s", out)
	}
	if status, _ := ctl(t, ts, "DELETE", "/_fake/calls", ""); status != http.StatusNoContent {
		t.Fatalf("DELETE /_fake/calls: %d", status)
	}
	if _, out := ctl(t, ts, "GET", "/_fake/calls", ""); strings.TrimSpace(out) != "[]" {
		t.Fatalf("calls after DELETE: %s", out)
	}

	status, out = ctl(t, ts, "GET", "/_fake/state", "")
	var st State
	if err := json.Unmarshal([]byte(out), &st); status != http.StatusOK || err != nil || st.Region != "cn-hangzhou" || len(st.ECS.Instances) != 4 {
		t.Fatalf("GET /_fake/state: %d %v %s", status, err, out)
	}
	if strings.Contains(out, "fake-secret") || st.Keys[0].ID != "fake-ak" {
		t.Fatalf("GET /_fake/state shows the secret: %s", out)
	}

	for _, tt := range []struct{ method, path string }{
		{"GET", "/_fake/nope"}, {"PUT", "/_fake/calls"}, {"GET", "/_fake/instances/i-fake01/health"},
	} {
		status, out := ctl(t, ts, tt.method, tt.path, "")
		if status != http.StatusNotFound || !strings.Contains(out, "GET /_fake/faults") {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, status, out)
		}
	}
	if n := len(ts.Calls()); n != 0 {
		t.Fatalf("control requests were logged: %+v", ts.Calls())
	}
}

func TestControlInstanceHealth(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"},{"ServerId":"i-fake02","Port":"5000"}]`)
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	e.settle()
	health := func() string {
		t.Helper()
		out, err := e.c.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80)})
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, b := range out.Body.BackendServers.BackendServer {
			s = append(s, tea.StringValue(b.ServerId)+"="+tea.StringValue(b.ServerHealthStatus))
		}
		return strings.Join(s, " ")
	}
	if got := health(); got != "i-fake01=normal i-fake02=normal" {
		t.Fatalf("before: %s", got)
	}
	if status, out := ctl(t, e.ts, "PUT", "/_fake/instances/i-fake02/health", "unhealthy\n"); status != http.StatusOK || !strings.Contains(out, `"health": "unhealthy"`) {
		t.Fatalf("PUT health: %d %s", status, out)
	}
	if got := health(); got != "i-fake01=normal i-fake02=abnormal" {
		t.Fatalf("after unhealthy: %s", got)
	}
	if status, out := ctl(t, e.ts, "PUT", "/_fake/instances/i-fake02/health", `"healthy"`); status != http.StatusOK {
		t.Fatalf("PUT health (JSON string): %d %s", status, out)
	}
	if got := health(); got != "i-fake01=normal i-fake02=normal" {
		t.Fatalf("after healthy: %s", got)
	}
	if status, out := ctl(t, e.ts, "PUT", "/_fake/instances/i-fake02/health", "sick"); status != http.StatusBadRequest || !strings.Contains(out, "healthy, unhealthy") {
		t.Fatalf("bad health: %d %s", status, out)
	}
	if status, out := ctl(t, e.ts, "PUT", "/_fake/instances/i-nope/health", "healthy"); status != http.StatusNotFound || !strings.Contains(out, "i-nope") {
		t.Fatalf("unknown instance: %d %s", status, out)
	}
	if err := e.ts.SetInstanceHealth("i-fake01", "ok"); err == nil {
		t.Fatal("SetInstanceHealth accepted ok")
	}
}

// TestControlFaultsUnderLoad changes rules while calls run (for -race).
func TestControlFaultsUnderLoad(t *testing.T) {
	ts, c := newALBClient(t, Options{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 30; i++ {
			c.ListLoadBalancersWithContext(context.Background(), &alb.ListLoadBalancersRequest{}, &dara.RuntimeOptions{})
		}
	}()
	for i := 0; i < 10; i++ {
		ctlFaults(t, ts, "PUT", fmt.Sprintf(`[{"product": "alb", "code": "SystemBusy", "probability": 0.5, "name": "r%d"}]`, i))
		ctlFaults(t, ts, "GET", "")
	}
	<-done
}

// TestControlRefusesBrowsers: a web page must not reach the control side, by
// DNS rebinding (its own name in Host) or by a cross-site request (Origin,
// Sec-Fetch-Site); programs on the machine still can.
func TestControlRefusesBrowsers(t *testing.T) {
	ts := NewTestServer(t, Options{})
	port := ts.URL()[strings.LastIndex(ts.URL(), ":")+1:]
	const rule = `[{"product": "alb", "code": "SystemBusy"}]`
	tests := []struct {
		name   string
		host   string
		header map[string]string
		ok     bool
		want   string
	}{
		{name: "127.0.0.1", host: "127.0.0.1:" + port, ok: true},
		{name: "localhost", host: "localhost:" + port, ok: true},
		{name: "localhost without port", host: "localhost", ok: true},
		{name: "::1", host: "[::1]:" + port, ok: true},
		{name: "127.0.0.2", host: "127.0.0.2:" + port, ok: true},
		{name: "same origin", host: "localhost:" + port, header: map[string]string{"Origin": "http://localhost:" + port, "Sec-Fetch-Site": "same-origin"}, ok: true},
		{name: "typed by the user", host: "127.0.0.1:" + port, header: map[string]string{"Sec-Fetch-Site": "none"}, ok: true},
		{name: "rebinding", host: "attacker.example:" + port, want: `not Host "attacker.example:` + port},
		{name: "name ending in localhost", host: "localhost.attacker.example", want: "Host"},
		{name: "private address", host: "10.0.0.5:" + port, want: "Host"},
		{name: "unspecified", host: "0.0.0.0:" + port, want: "Host"},
		{name: "cross-site origin", host: "127.0.0.1:" + port, header: map[string]string{"Origin": "https://attacker.example"}, want: `Origin "https://attacker.example"`},
		{name: "other local port", host: "127.0.0.1:" + port, header: map[string]string{"Origin": "http://127.0.0.1:3000"}, want: "Origin"},
		{name: "null origin", host: "127.0.0.1:" + port, header: map[string]string{"Origin": "null"}, want: "Origin"},
		{name: "same-site fetch", host: "127.0.0.1:" + port, header: map[string]string{"Sec-Fetch-Site": "same-site"}, want: "Sec-Fetch-Site"},
		{name: "cross-site fetch", host: "127.0.0.1:" + port, header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: "Sec-Fetch-Site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ts.SetFaultSet(FaultSet{}); err != nil {
				t.Fatal(err)
			}
			for _, method := range []string{"POST", "GET"} {
				var body io.Reader
				if method == "POST" {
					body = strings.NewReader(rule)
				}
				req, err := http.NewRequest(method, ts.URL()+"/_fake/faults", body)
				if err != nil {
					t.Fatal(err)
				}
				req.Host = tt.host
				for k, v := range tt.header {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if tt.ok {
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("%s: %d %s, want 200", method, resp.StatusCode, out)
					}
					continue
				}
				var e struct{ Error string }
				_ = json.Unmarshal(out, &e)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(e.Error, tt.want) {
					t.Fatalf("%s: %d %s, want 403 naming %q", method, resp.StatusCode, out, tt.want)
				}
			}
			// What the fake's own state says: a refused POST added nothing.
			if n := len(ts.Faults()); (n == 1) != tt.ok {
				t.Fatalf("%d fault rule(s) after the POST (accepted: %v)", n, tt.ok)
			}
		})
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:18080": true, "localhost": true, "LOCALHOST.:80": true, "[::1]:80": true, "::1": true, "[::ffff:127.0.0.1]:1": true,
		"0.0.0.0:18080": false, "[::]:18080": false, ":18080": false, "10.0.0.5": false, "localhost.example": false, "": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestInFlight: a call the server has not answered yet is in the in-flight
// view (Go and GET /_fake/calls?inflight=1), not in the request log; once
// answered it is in the log and no longer in flight.
func TestInFlight(t *testing.T) {
	ts, c := newALBClient(t, Options{Faults: []Fault{{Name: "hold", Product: "alb", Action: "CreateServerGroup", Delay: time.Hour}}})
	if got := ts.InFlight(); len(got) != 0 {
		t.Fatalf("in flight before any call: %+v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
			ServerGroupName: tea.String("held"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
		}, &dara.RuntimeOptions{})
		done <- err
	}()
	var held Call
	for deadline := time.Now().Add(10 * time.Second); ; {
		if got := ts.InFlight(); len(got) == 1 {
			held = got[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the delayed call never showed in flight")
		}
		time.Sleep(time.Millisecond)
	}
	if held.Product != "alb" || held.Action != "CreateServerGroup" || !held.Write || !held.InFlight || held.Status != 0 ||
		held.Params["ServerGroupName"] != "held" || held.RequestID == "" || held.Canceled || held.Injected {
		t.Fatalf("in-flight entry: %+v", held)
	}
	if calls := ts.Calls(); len(calls) != 0 {
		t.Fatalf("an unanswered call is in the request log: %+v", calls)
	}
	// The same over the control side; a read answered meanwhile is in the log only.
	if _, err := faultListGroups(t, c); err != nil {
		t.Fatal(err)
	}
	status, out := ctl(t, ts, "GET", "/_fake/calls?inflight=1", "")
	var view []Call
	if err := json.Unmarshal([]byte(out), &view); status != http.StatusOK || err != nil || len(view) != 1 ||
		view[0].RequestID != held.RequestID || !view[0].InFlight || !strings.Contains(out, `"inFlight": true`) {
		t.Fatalf("GET /_fake/calls?inflight=1: %d %v %s", status, err, out)
	}
	if calls := ts.Calls(); len(calls) != 1 || calls[0].Action != "ListServerGroups" || calls[0].InFlight {
		t.Fatalf("request log while a call is held: %+v", calls)
	}
	if status, out := ctl(t, ts, "GET", "/_fake/calls?inflight=yes", ""); status != http.StatusBadRequest || !strings.Contains(out, "use inflight=1") {
		t.Fatalf("inflight=yes: %d %s", status, out)
	}

	// The client goes away: the call leaves the view and enters the log, canceled.
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the canceled call succeeded")
	}
	for deadline := time.Now().Add(10 * time.Second); len(ts.Calls()) != 2; {
		if time.Now().After(deadline) {
			t.Fatalf("the canceled call was not logged: %+v", ts.Calls())
		}
		time.Sleep(time.Millisecond)
	}
	if got := ts.InFlight(); len(got) != 0 {
		t.Fatalf("still in flight after the answer: %+v", got)
	}
	if c := ts.Calls()[1]; c.RequestID != held.RequestID || !c.Canceled || c.InFlight || !c.Injected {
		t.Fatalf("log of the held call: %+v", c)
	}
	if _, out := ctl(t, ts, "GET", "/_fake/calls", ""); strings.Contains(out, "inFlight") {
		t.Fatalf("the request log mentions inFlight:\n%s", out)
	}
}
