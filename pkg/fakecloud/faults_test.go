package fakecloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// faultListGroups lists the ALB server groups (names) through the SDK.
func faultListGroups(t *testing.T, c *alb.Client) ([]string, error) {
	t.Helper()
	out, err := c.ListServerGroupsWithContext(context.Background(), &alb.ListServerGroupsRequest{}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, g := range out.Body.ServerGroups {
		names = append(names, tea.StringValue(g.ServerGroupName))
	}
	return names, nil
}

// faultDNSRecords lists the RRs of example.com.
func faultDNSRecords(t *testing.T, c *alidns.Client) []string {
	t.Helper()
	out, err := c.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com")})
	if err != nil {
		t.Fatal(err)
	}
	var rrs []string
	for _, r := range out.Body.DomainRecords.Record {
		rrs = append(rrs, tea.StringValue(r.RR))
	}
	return rrs
}

func faultDescribeInstances(ctx context.Context, c *ecs.Client) error {
	_, err := c.DescribeInstancesWithContext(ctx, &ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou")}, &dara.RuntimeOptions{})
	return err
}

func TestFaultThrottleFirstCalls(t *testing.T) {
	ts, c := newALBClient(t, Options{Faults: []Fault{
		{Product: "alb", Action: "ListServerGroups", Code: "Throttling.User", Times: 2},
	}})
	for i := 0; i < 2; i++ {
		_, err := faultListGroups(t, c)
		wantSDKError(t, err, 400, "Throttling.User")
		// The real error body: {RequestId, HostId, Code, Message, Recommend}.
		var se *tea.SDKError
		errors.As(err, &se)
		var body map[string]string
		if err := json.Unmarshal([]byte(tea.StringValue(se.Data)), &body); err != nil {
			t.Fatalf("error body %q: %v", tea.StringValue(se.Data), err)
		}
		if body["HostId"] != "alb.cn-hangzhou.aliyuncs.com" || body["RequestId"] == "" || body["Message"] == "" ||
			!strings.Contains(body["Recommend"], "q=Throttling.User") || !strings.Contains(tea.StringValue(se.Message), "request id: "+body["RequestId"]) {
			t.Fatalf("error body: %v / %s", body, tea.StringValue(se.Message))
		}
	}
	if _, err := faultListGroups(t, c); err != nil {
		t.Fatalf("third call: %v", err)
	}
	// Other actions are untouched.
	if _, err := c.ListLoadBalancersWithContext(context.Background(), &alb.ListLoadBalancersRequest{}, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}

	calls := ts.Calls()
	if len(calls) != 4 {
		t.Fatalf("calls: %+v", calls)
	}
	for i, c := range calls {
		injected := i < 2
		if c.Injected != injected || (injected && (c.Status != 400 || c.Code != "Throttling.User" || fmt.Sprint(c.Faults) != "[faults[0]]")) ||
			(!injected && c.Status != 200) {
			t.Errorf("call %d: %+v", i, c)
		}
	}
	st := ts.Faults()
	if len(st) != 1 || st[0].Matched != 3 || st[0].Fired != 2 {
		t.Fatalf("counters: %+v", st)
	}
}

func TestFaultDefaultStatuses(t *testing.T) {
	tests := []struct {
		product, code string
		status        int
		ok            bool
	}{
		{"alb", "Throttling.User", 400, true},
		{"", "Throttling.Api", 400, true},
		{"ecs", "Throttling", 400, true},
		{"alb", "ServiceUnavailable", 503, true},
		{"alidns", "InternalError", 500, true},
		{"alb", "SystemBusy", 400, true},
		{"slb", "SystemBusy", 449, true},
		{"alb", "IncorrectStatus.Listener", 400, true},
		{"alb", "IncorrectStatus.", 0, false},
		{"alb", "Conflict.Lock", 400, true},
		{"alb", "NoSuchCode", 0, false},
		{"alb", "Throttling.Userx", 0, false},
	}
	for _, tt := range tests {
		status, ok := DefaultErrorStatus(tt.product, tt.code)
		if status != tt.status || ok != tt.ok {
			t.Errorf("DefaultErrorStatus(%q, %q) = %d, %t; want %d, %t", tt.product, tt.code, status, ok, tt.status, tt.ok)
		}
	}

	// Through the SDK: one product-less rule answers 449 on CLB, 400 on ALB.
	e := newCLBEnv(t, Options{Faults: []Fault{{Code: "SystemBusy", Times: 2}}})
	_, err := e.c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: clbRegion})
	wantSDKError(t, err, 449, "SystemBusy")
	ac, err := alb.NewClient(fcConfig(e.ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = faultListGroups(t, ac)
	wantSDKError(t, err, 400, "SystemBusy")
}

// faultPattern runs n ECS calls and returns "x" for a failed one, "." for a success.
func faultPattern(t *testing.T, opts Options, n int) string {
	t.Helper()
	ts := NewTestServer(t, opts)
	c := fcECS(t, ts)
	var b strings.Builder
	for i := 0; i < n; i++ {
		err := faultDescribeInstances(context.Background(), c)
		switch {
		case err == nil:
			b.WriteByte('.')
		default:
			fcWantErr(t, err, "ServiceUnavailable", 503)
			b.WriteByte('x')
		}
	}
	return b.String()
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	rules := []Fault{{Product: "ecs", HTTPStatus: 503, Probability: 0.5}}
	a := faultPattern(t, Options{Faults: rules, FaultSeed: 42}, 40)
	b := faultPattern(t, Options{Faults: rules, FaultSeed: 42}, 40)
	if a != b {
		t.Fatalf("same seed, different sequences:\n%s\n%s", a, b)
	}
	if n := strings.Count(a, "x"); n < 8 || n > 32 {
		t.Fatalf("probability 0.5 failed %d of 40: %s", n, a)
	}
	if c := faultPattern(t, Options{Faults: rules, FaultSeed: 43}, 40); c == a {
		t.Fatalf("seeds 42 and 43 give the same sequence %s", a)
	}
	// A rule's draws do not depend on other rules: a second probabilistic
	// rule after it leaves its sequence alone.
	withOther := append(append([]Fault(nil), rules...), Fault{Product: "ecs", Delay: time.Microsecond, Probability: 0.5})
	if got := faultPattern(t, Options{Faults: withOther, FaultSeed: 42}, 40); got != a {
		t.Fatalf("with a second rule: %s, want %s", got, a)
	}
	// SetFaults restarts the sources: the same sequence again.
	ts3 := NewTestServer(t, Options{FaultSeed: 42})
	if err := ts3.SetFaults(rules); err != nil {
		t.Fatal(err)
	}
	c3 := fcECS(t, ts3)
	var third strings.Builder
	for i := 0; i < 40; i++ {
		if err := faultDescribeInstances(context.Background(), c3); err != nil {
			third.WriteByte('x')
		} else {
			third.WriteByte('.')
		}
	}
	if third.String() != a {
		t.Fatalf("SetFaults with seed 42: %s, want %s", third.String(), a)
	}
}

func TestFaultAfterAndTimes(t *testing.T) {
	got := faultPattern(t, Options{Faults: []Fault{{Product: "ecs", Action: "DescribeInstances", Code: "ServiceUnavailable", After: 2, Times: 3}}}, 8)
	if got != "..xxx..." {
		t.Fatalf("after 2, times 3: %s", got)
	}
	got = faultPattern(t, Options{Faults: []Fault{{Product: "ecs", HTTPStatus: 503, After: 1}}}, 4)
	if got != ".xxx" {
		t.Fatalf("after 1, times 0 (always): %s", got)
	}
}

func TestFaultCommitThenFailALBCreateServerGroup(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now, Faults: []Fault{
		{Name: "lost create", Product: "alb", Action: "CreateServerGroup", CommitThenFail: true, Times: 1},
	}})
	ctx := context.Background()
	rt := &dara.RuntimeOptions{}
	req := &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("wsdeploy-web"), VpcId: tea.String("vpc-fake01"), Protocol: tea.String("HTTP"),
		HealthCheckConfig: sdkHealthCheck(), ClientToken: tea.String("wsdeploy-web-create-1"),
	}
	_, err := c.CreateServerGroupWithContext(ctx, req, rt)
	wantSDKError(t, err, 503, "ServiceUnavailable")

	// The write happened.
	out, err := c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{ServerGroupNames: []*string{tea.String("wsdeploy-web")}}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Body.ServerGroups) != 1 {
		t.Fatalf("groups after a lost create: %v", out.Body.ServerGroups)
	}
	id := tea.StringValue(out.Body.ServerGroups[0].ServerGroupId)

	// A retry with the same ClientToken while the job runs is told to wait,
	// afterwards it returns the first group.
	_, err = c.CreateServerGroupWithContext(ctx, req, rt)
	wantSDKError(t, err, 400, "IdempotenceProcessing")
	clock.Add(albTestAsync)
	again, err := c.CreateServerGroupWithContext(ctx, req, rt)
	if err != nil {
		t.Fatal(err)
	}
	if got := tea.StringValue(again.Body.ServerGroupId); got != id {
		t.Fatalf("retry with the same token created %s, want %s", got, id)
	}
	if names, err := faultListGroups(t, c); err != nil || strings.Count(strings.Join(names, " "), "wsdeploy-web") != 1 {
		t.Fatalf("groups: %v %v", names, err)
	}

	calls := ts.Calls()
	first := calls[0]
	if !first.Injected || !first.Committed || first.Dropped || first.Status != 503 || first.Code != "ServiceUnavailable" ||
		!first.Write || fmt.Sprint(first.Faults) != "[lost create]" {
		t.Fatalf("request log of the lost create: %+v", first)
	}
	for _, c := range calls[1:] {
		if c.Injected || c.Committed {
			t.Fatalf("later call marked: %+v", c)
		}
	}
}

func TestFaultCommitThenFailCustomCodeOnFailedHandler(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Product: "alidns", Action: "AddDomainRecord", CommitThenFail: true, Code: "InternalError"},
	}})
	c := fcDNS(t, ts)
	_, err := dnsAdd(c, "api", "A", "203.0.113.10")
	fcWantErr(t, err, "InternalError", 500)
	// A call the handler rejects changes nothing and is not "committed"; the
	// client still sees the injected answer.
	_, err = dnsAdd(c, "api", "A", "not-an-ip")
	fcWantErr(t, err, "InternalError", 500)
	calls := ts.Calls()
	if !calls[0].Committed || calls[1].Committed {
		t.Fatalf("committed flags: %+v", calls)
	}
	if rrs := faultDNSRecords(t, c); fmt.Sprint(rrs) != "[api]" {
		t.Fatalf("records: %v", rrs)
	}
}

func TestFaultCommitThenFailDropAlidns(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Product: "alidns", Action: "AddDomainRecord", CommitThenFail: true, Drop: true, Times: 1},
	}})
	c := fcDNS(t, ts)
	_, err := dnsAdd(c, "ws", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com")
	if err == nil {
		t.Fatal("dropped AddDomainRecord succeeded")
	}
	var se *tea.SDKError
	if errors.As(err, &se) && se.StatusCode != nil {
		t.Fatalf("want a transport error, got an API error %v", err)
	}
	if rrs := faultDNSRecords(t, c); fmt.Sprint(rrs) != "[ws]" {
		t.Fatalf("records after a dropped create: %v", rrs)
	}
	// Without a ClientToken a blind retry is a duplicate: the real answer.
	_, err = dnsAdd(c, "ws", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com")
	fcWantErr(t, err, "DomainRecordDuplicate", 400)

	calls := ts.Calls()
	if c := calls[0]; !c.Injected || !c.Committed || !c.Dropped || c.Status != 0 || c.Code != "" {
		t.Fatalf("request log of the dropped create: %+v", c)
	}
}

func TestFaultDropBeforeHandler(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{{Product: "alidns", Action: "AddDomainRecord", Drop: true, Times: 1}}})
	c := fcDNS(t, ts)
	if _, err := dnsAdd(c, "api", "A", "203.0.113.10"); err == nil {
		t.Fatal("dropped call succeeded")
	}
	if rrs := faultDNSRecords(t, c); len(rrs) != 0 {
		t.Fatalf("a drop without commit changed the world: %v", rrs)
	}
	if c := ts.Calls()[0]; !c.Dropped || c.Committed || c.Status != 0 {
		t.Fatalf("log: %+v", c)
	}
	if _, err := dnsAdd(c, "api", "A", "203.0.113.10"); err != nil {
		t.Fatalf("retry: %v", err)
	}
}

func TestFaultDelay(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Product: "ecs", Delay: 150 * time.Millisecond},
		{Product: "alb", Action: "CreateServerGroup", Delay: 20 * time.Second},
	}})
	ec := fcECS(t, ts)
	start := time.Now()
	if err := faultDescribeInstances(context.Background(), ec); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("delayed call took %s", d)
	}

	// The client gives up: the call never runs.
	ac, err := alb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = ac.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("slow"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, &dara.RuntimeOptions{})
	if err == nil {
		t.Fatal("canceled call succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancel took %s", d)
	}
	// The server notices the closed connection and logs the call as canceled.
	deadline := time.Now().Add(5 * time.Second)
	for {
		calls := ts.Calls()
		if len(calls) == 2 {
			if c := calls[1]; !c.Canceled || c.Status != 0 || !c.Injected || c.Committed {
				t.Fatalf("log of the canceled call: %+v", c)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("canceled call not logged: %+v", calls)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if names, err := faultListGroups(t, ac); err != nil || len(names) != 0 {
		t.Fatalf("canceled create left %v (%v)", names, err)
	}
}

func TestFaultParamsMatch(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Product: "alidns", Action: "AddDomainRecord", Params: map[string]string{"RR": "api", "Type": "A"}, Code: "Conflict.Lock"},
	}})
	c := fcDNS(t, ts)
	_, err := dnsAdd(c, "api", "A", "203.0.113.10")
	fcWantErr(t, err, "Conflict.Lock", 400)
	if _, err := dnsAdd(c, "api", "TXT", "hello"); err != nil {
		t.Fatalf("other type: %v", err)
	}
	if _, err := dnsAdd(c, "www", "A", "203.0.113.10"); err != nil {
		t.Fatalf("other RR: %v", err)
	}
	if st := ts.Faults(); st[0].Matched != 1 || st[0].Fired != 1 {
		t.Fatalf("counters: %+v", st)
	}
}

func TestFaultNeverHidesAuthFailure(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{{Code: "Throttling.User"}, {Delay: time.Hour}}})
	bad, err := alidns.NewClient(fcConfig(ts, "fake-ak", "wrong-secret"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.DescribeDomainRecords(&alidns.DescribeDomainRecordsRequest{DomainName: tea.String("example.com")})
	fcWantErr(t, err, "SignatureDoesNotMatch", 403)
	for _, st := range ts.Faults() {
		if st.Matched != 0 || st.Fired != 0 {
			t.Fatalf("a rule saw an unauthenticated call: %+v", st)
		}
	}
	if c := ts.Calls()[0]; c.Injected {
		t.Fatalf("log: %+v", c)
	}
}

func TestFaultRuleOrder(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Name: "slow", Product: "ecs", Delay: 30 * time.Millisecond},
		{Name: "busy", Product: "ecs", Code: "SystemBusy", Times: 1},
		{Name: "throttle", Product: "ecs", Code: "Throttling.Api", Times: 1},
	}})
	c := fcECS(t, ts)
	start := time.Now()
	fcWantErr(t, faultDescribeInstances(context.Background(), c), "SystemBusy", 400)
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("delay of the first rule not applied")
	}
	fcWantErr(t, faultDescribeInstances(context.Background(), c), "Throttling.Api", 400)
	if err := faultDescribeInstances(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, st := range ts.Faults() {
		got += fmt.Sprintf("%s %d/%d ", st.Rule.Name, st.Matched, st.Fired)
	}
	if got != "slow 3/3 busy 3/1 throttle 3/1 " {
		t.Fatalf("counters: %s", got)
	}
	if c := ts.Calls()[0]; fmt.Sprint(c.Faults) != "[slow busy]" {
		t.Fatalf("fired: %v", c.Faults)
	}
}

func TestFaultMessageAndStatusOverride(t *testing.T) {
	ts := NewTestServer(t, Options{Faults: []Fault{
		{Product: "ecs", Code: "Custom.Code", HTTPStatus: 409, Message: "custom message", Times: 1},
		{Product: "ecs", HTTPStatus: 500, Times: 1},
	}})
	c := fcECS(t, ts)
	err := faultDescribeInstances(context.Background(), c)
	fcWantErr(t, err, "Custom.Code", 409)
	if !strings.Contains(err.Error(), "custom message") {
		t.Fatalf("message: %v", err)
	}
	fcWantErr(t, faultDescribeInstances(context.Background(), c), "InternalError", 500)
}

func TestParseFaults(t *testing.T) {
	fs, err := ParseFaults([]byte(`seed: 7
faults:
  - name: throttle listeners
    product: alb
    action: CreateListener
    code: Throttling.User
    times: 2
  - product: clb
    action: CreateVServerGroup
    params: {VServerGroupName: web}
    commitThenFail: true
    probability: 0.25
    after: 1
  - {product: alidns, action: AddDomainRecord, commitThenFail: true, drop: true}
  - {delay: 250ms}
`))
	if err != nil {
		t.Fatal(err)
	}
	if fs.Seed == nil || *fs.Seed != 7 || len(fs.Faults) != 4 {
		t.Fatalf("parsed: %+v", fs)
	}
	want := Fault{Product: "slb", Action: "CreateVServerGroup", Params: map[string]string{"VServerGroupName": "web"}, CommitThenFail: true, Probability: 0.25, After: 1}
	if got := fs.Faults[1]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rule 1 = %+v, want %+v", got, want)
	}
	if fs.Faults[3].Delay != 250*time.Millisecond || fs.Faults[0].Name != "throttle listeners" {
		t.Fatalf("rules: %+v", fs.Faults)
	}

	// A bare list, JSON (also tab-indented), and an empty document.
	for _, doc := range []string{
		"- {product: ecs, httpStatus: 503}\n",
		`[{"product": "ecs", "httpStatus": 503, "delay": "1s"}]`,
		"{\n\t\"faults\": [{\"product\": \"ecs\", \"httpStatus\": 503}]\n}",
	} {
		fs, err := ParseFaults([]byte(doc))
		if err != nil || len(fs.Faults) != 1 || fs.Faults[0].HTTPStatus != 503 || fs.Seed != nil {
			t.Fatalf("%q: %+v %v", doc, fs, err)
		}
	}
	if fs, err := ParseFaults([]byte("# nothing\n")); err != nil || len(fs.Faults) != 0 {
		t.Fatalf("empty: %+v %v", fs, err)
	}

	bad := []struct{ doc, want string }{
		{"faults:\n  - product: alb\n    cod: Throttling.User\n", "line 3: field cod not found"},
		{"seed: 1\nfault: []\n", "line 2: field fault not found"},
		{`[{"product": "alb", "cod": "X"}]`, `unknown field "cod"`},
		{`[{"product": "ecs", "delay": 5}]`, "delay"},
		{"- {product: ecs, delay: 5}\n", "line 1"},
		{"- {product: s3, code: Throttling}\n", `line 1: faults[0]: product "s3" is not one of alb, slb (clb), alidns, ecs, sts, oos`},
		{"- {product: alb, action: CreateListner, code: Throttling}\n", `action "CreateListner" is not implemented for alb`},
		{"- {action: Nope, code: Throttling}\n", `action "Nope" is not implemented for any product`},
		{"- {product: alb, action: AddDomainRecord, code: Throttling}\n", "not implemented for alb"},
		{"- {code: Throttling, probability: 1.5}\n", "probability 1.5 is out of range"},
		{"- {code: Throttling, times: -1}\n", "times -1 is negative"},
		{"- {code: Throttling, after: -1}\n", "after -1 is negative"},
		{"- {code: Throttling, delay: -1s}\n", "delay -1s is negative"},
		{"- {code: Made.Up}\n", `code "Made.Up" has no default HTTP status; set httpStatus`},
		{"- {httpStatus: 418}\n", "httpStatus 418 needs a code"},
		{"- {code: X, httpStatus: 200}\n", "httpStatus 200 is not an error status"},
		{"- {commitThenFail: true, drop: true, code: Throttling}\n", "drop sends no answer"},
		{"- {product: alb}\n", "the rule does nothing"},
		{"- {message: hi}\n", "message needs a code"},
		{"- {code: Throttling}\n---\n- {code: Throttling}\n", "only one YAML document"},
		{"42\n", "want a list of rules"},
		{"- {code: Throttling}\n- {product: x, code: Throttling}\n- {code: Made.Up}\n", "line 3: faults[2]"},
	}
	for _, tt := range bad {
		_, err := ParseFaults([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFaults(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
		}
	}
}

func TestLoadFaults(t *testing.T) {
	if _, err := LoadFaults(t.TempDir() + "/missing.yaml"); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestFaultJSONRoundTrip(t *testing.T) {
	f := Fault{Name: "n", Product: "alb", Action: "CreateListener", Params: map[string]string{"ListenerPort": "443"},
		After: 1, Times: 2, Probability: 0.5, Code: "SystemBusy", HTTPStatus: 400, Message: "m", Delay: 1500 * time.Millisecond,
		CommitThenFail: true}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"delay":"1.5s"`) || !strings.Contains(string(data), `"commitThenFail":true`) {
		t.Fatalf("json: %s", data)
	}
	var back Fault
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(f) {
		t.Fatalf("round trip: %+v, want %+v", back, f)
	}
	if err := json.Unmarshal([]byte(`{"delay": "soon"}`), &back); err == nil {
		t.Fatal("bad delay accepted")
	}
}

func TestFaultsOptionsValidated(t *testing.T) {
	if _, err := New(Options{Seed: DemoSeed(), Faults: []Fault{{Product: "alb"}}}); err == nil || !strings.Contains(err.Error(), "does nothing") {
		t.Fatalf("New with a bad rule: %v", err)
	}
	if _, err := New(Options{Seed: DemoSeed(), Latency: Latency{Base: -time.Second}}); err == nil {
		t.Fatal("negative latency accepted")
	}
	ts := NewTestServer(t, Options{})
	if err := ts.SetFaults([]Fault{{Probability: 2, Code: "Throttling"}}); err == nil {
		t.Fatal("SetFaults accepted probability 2")
	}
	if err := ts.AddFaults(Fault{Product: "clb", Code: "SystemBusy"}); err != nil {
		t.Fatal(err)
	}
	if st := ts.Faults(); len(st) != 1 || st[0].Rule.Product != "slb" {
		t.Fatalf("clb alias: %+v", st)
	}
}

func TestLatency(t *testing.T) {
	m := newLatencyModel(Latency{Base: 10 * time.Millisecond, Jitter: 5 * time.Millisecond, Seed: 3, Overrides: []LatencyOverride{
		{Product: "alb", Action: "CreateListener", Base: time.Second},
		{Product: "alidns", Base: 2 * time.Millisecond},
	}})
	m2 := newLatencyModel(Latency{Base: 10 * time.Millisecond, Jitter: 5 * time.Millisecond, Seed: 3})
	varied := false
	var first time.Duration
	for i := 0; i < 20; i++ {
		d, d2 := m.delay("ecs", "DescribeInstances"), m2.delay("ecs", "DescribeInstances")
		if d != d2 {
			t.Fatalf("same seed, delays %s and %s", d, d2)
		}
		if d < 10*time.Millisecond || d > 15*time.Millisecond {
			t.Fatalf("delay %s outside base+jitter", d)
		}
		if i == 0 {
			first = d
		} else if d != first {
			varied = true
		}
	}
	if !varied {
		t.Fatal("jitter never varied")
	}
	if d := m.delay("alb", "CreateListener"); d != time.Second {
		t.Fatalf("override: %s", d)
	}
	if d := m.delay("alidns", "AddDomainRecord"); d != 2*time.Millisecond {
		t.Fatalf("product override: %s", d)
	}
	if d := newLatencyModel(Latency{}).delay("alb", "X"); d != 0 {
		t.Fatalf("off: %s", d)
	}
	if _, err := (Latency{Overrides: []LatencyOverride{{Base: time.Second}}}).validate(); err == nil {
		t.Fatal("override without product or action accepted")
	}

	// Through the server.
	ts := NewTestServer(t, Options{Latency: Latency{Base: 60 * time.Millisecond}})
	c := fcECS(t, ts)
	start := time.Now()
	if err := faultDescribeInstances(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("call with 60ms latency took %s", d)
	}
	if c := ts.Calls()[0]; c.Injected || c.DurationMS < 60 {
		t.Fatalf("log: %+v", c)
	}
}

func TestFaultDelayEndsOnShutdown(t *testing.T) {
	srv, err := New(Options{Seed: DemoSeed(), Faults: []Fault{{Product: "ecs", Delay: time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := serveLoopback(t, srv)
	c, err := ecs.NewClient(&openapiutil.Config{
		Endpoint: tea.String(addr), Protocol: tea.String("HTTP"),
		AccessKeyId: tea.String("fake-ak"), AccessKeySecret: tea.String("fake-secret"), RegionId: tea.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	called := make(chan error, 1)
	go func() { called <- faultDescribeInstances(context.Background(), c) }()
	for deadline := time.Now().Add(5 * time.Second); srv.Faults()[0].Matched == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("call never arrived")
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if err := <-called; err == nil {
		t.Fatal("a call stopped by shutdown looked like a success")
	}
	if calls := srv.Calls(); len(calls) != 1 || !calls[0].Canceled {
		t.Fatalf("log: %+v", calls)
	}
}
