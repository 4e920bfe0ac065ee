package fakecloud

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// cmdWorld is the demo world at a hand-moved clock, AsyncDuration 2s, with
// the ACS3 ECS client.
type cmdWorld struct {
	ts    *TestServer
	clock *testClock
	ecs   *ecs.Client
}

const cmdAsync = 2 * time.Second

func newCmdWorld(t *testing.T, seed *Seed, faults ...Fault) *cmdWorld {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	ts := NewTestServer(t, Options{Seed: seed, AsyncDuration: cmdAsync, Now: clock.Now, Faults: faults})
	return &cmdWorld{ts: ts, clock: clock, ecs: fcECS(t, ts)}
}

// run sends a shell command (plain text) to instances.
func (w *cmdWorld) run(t *testing.T, name, content string, ids ...string) string {
	t.Helper()
	out, err := w.ecs.RunCommand(&ecs.RunCommandRequest{
		RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"), Name: tea.String(name),
		CommandContent: tea.String(content), InstanceId: tea.StringSlice(ids),
	})
	if err != nil {
		t.Fatalf("RunCommand %s: %v", name, err)
	}
	return tea.StringValue(out.Body.InvokeId)
}

// results reads one task's per-instance results, by instance.
func (w *cmdWorld) results(t *testing.T, invokeID string) map[string]*ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult {
	t.Helper()
	out, err := w.ecs.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{RegionId: tea.String("cn-hangzhou"), InvokeId: tea.String(invokeID)})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult{}
	for _, r := range out.Body.Invocation.InvocationResults.InvocationResult {
		m[tea.StringValue(r.InstanceId)] = r
	}
	return m
}

func (w *cmdWorld) invocation(t *testing.T, invokeID string) *ecs.DescribeInvocationsResponseBodyInvocationsInvocation {
	t.Helper()
	out, err := w.ecs.DescribeInvocations(&ecs.DescribeInvocationsRequest{RegionId: tea.String("cn-hangzhou"), InvokeId: tea.String(invokeID), IncludeOutput: tea.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.Body.Invocations.Invocation); n != 1 {
		t.Fatalf("DescribeInvocations %s: %d tasks", invokeID, n)
	}
	return out.Body.Invocations.Invocation[0]
}

func decode64(t *testing.T, s *string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(tea.StringValue(s))
	if err != nil {
		t.Fatalf("not Base64: %q", tea.StringValue(s))
	}
	return string(b)
}

// apiCode is an SDK error's code and HTTP status.
func apiCode(err error) (string, int) {
	var e *tea.SDKError
	if errors.As(err, &e) {
		return tea.StringValue(e.Code), tea.IntValue(e.StatusCode)
	}
	return "", 0
}

// TestRunCommandStatusesFollowTheClock: Pending, then Running, then the
// outcome, as the world's clock moves; output Base64; the content recorded.
func TestRunCommandStatusesFollowTheClock(t *testing.T) {
	seed := DemoSeed()
	seed.Instances[0].Commands = []CommandOutcome{{Match: "install", Output: "redis installed\n"}}
	w := newCmdWorld(t, seed)
	id := w.run(t, "install-redis", "apt-get install -y redis-server", "i-fake01", "i-fake02")

	want := func(phase, overall, legacy string) {
		t.Helper()
		inv := w.invocation(t, id)
		if got := tea.StringValue(inv.InvocationStatus); got != overall {
			t.Errorf("%s: InvocationStatus %s, want %s", phase, got, overall)
		}
		if got := tea.StringValue(inv.InvokeStatus); got != legacy {
			t.Errorf("%s: InvokeStatus %s, want %s", phase, got, legacy)
		}
		if got := decode64(t, inv.CommandContent); got != "apt-get install -y redis-server" {
			t.Errorf("%s: CommandContent %q", phase, got)
		}
	}
	want("at once", "Pending", "Running")
	if r := w.results(t, id)["i-fake01"]; tea.StringValue(r.InvocationStatus) != "Pending" || r.ExitCode != nil || tea.StringValue(r.Output) != "" {
		t.Errorf("pending result: %v", r)
	}
	w.clock.Add(cmdAsync / 2)
	want("half way", "Running", "Running")
	w.clock.Add(cmdAsync / 2)
	want("at the end", "Success", "Finished")
	res := w.results(t, id)
	r1, r2 := res["i-fake01"], res["i-fake02"]
	if tea.StringValue(r1.InvocationStatus) != "Success" || tea.Int64Value(r1.ExitCode) != 0 || r1.ExitCode == nil ||
		tea.StringValue(r1.InvokeRecordStatus) != "Finished" || decode64(t, r1.Output) != "redis installed\n" {
		t.Errorf("i-fake01 (seeded output): %v", r1)
	}
	if tea.StringValue(r2.InvocationStatus) != "Success" || decode64(t, r2.Output) != "" {
		t.Errorf("i-fake02 (default outcome): %v", r2)
	}
	plain, err := w.ecs.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{
		RegionId: tea.String("cn-hangzhou"), InvokeId: tea.String(id), InstanceId: tea.String("i-fake01"), ContentEncoding: tea.String("PlainText"),
	})
	if err != nil || tea.StringValue(plain.Body.Invocation.InvocationResults.InvocationResult[0].Output) != "redis installed\n" {
		t.Errorf("PlainText output: %v %v", plain, err)
	}

	// The control plane sees what ran, in order.
	w.run(t, "start-wschat", "systemctl restart wschat", "i-fake02")
	st := w.ts.Snapshot()
	if n := len(st.ECS.Invocations); n != 2 {
		t.Fatalf("Snapshot: %d invocations", n)
	}
	if a, b := st.ECS.Invocations[0], st.ECS.Invocations[1]; a.Name != "install-redis" || a.DecodedContent() != "apt-get install -y redis-server" ||
		b.Name != "start-wschat" || len(b.Instances) != 1 || b.Instances[0].InstanceID != "i-fake02" || b.Instances[0].Status != "Success" {
		t.Errorf("Snapshot invocations: %+v", st.ECS.Invocations)
	}
	var runs []string
	for _, c := range w.ts.Calls() {
		if c.Action == "RunCommand" {
			runs = append(runs, c.Params["Name"]+":"+c.Params["CommandContent"])
		}
	}
	if strings.Join(runs, "|") != "install-redis:apt-get install -y redis-server|start-wschat:systemctl restart wschat" {
		t.Errorf("request log RunCommand calls: %q", runs)
	}
}

// TestRunCommandFaultRuleDecidesOutcome: a Command rule makes the matching
// command fail (or time out) on one instance; the others succeed.
func TestRunCommandFaultRuleDecidesOutcome(t *testing.T) {
	w := newCmdWorld(t, nil,
		Fault{Name: "wschat-breaks", Product: ProductECS, Command: &CommandFault{Instance: "i-fake02", CommandOutcome: CommandOutcome{Match: "wschat", ExitCode: 3, Output: "unit failed"}}},
		Fault{Name: "slow", Product: ProductECS, Command: &CommandFault{Instance: "i-fake01", CommandOutcome: CommandOutcome{Match: "sleep", Status: "Timeout"}}},
	)
	id := w.run(t, "deploy", "systemctl restart wschat", "i-fake01", "i-fake02")
	other := w.run(t, "other", "echo hi", "i-fake02")
	slow := w.run(t, "slow", "sleep 999", "i-fake01")
	w.clock.Add(cmdAsync)

	res := w.results(t, id)
	if r := res["i-fake02"]; tea.StringValue(r.InvocationStatus) != "Failed" || tea.Int64Value(r.ExitCode) != 3 ||
		tea.StringValue(r.ErrorCode) != "ExitCodeNonzero" || decode64(t, r.Output) != "unit failed" || tea.StringValue(r.InvokeRecordStatus) != "Finished" {
		t.Errorf("i-fake02: %v", r)
	}
	if r := res["i-fake01"]; tea.StringValue(r.InvocationStatus) != "Success" {
		t.Errorf("i-fake01: %v", r)
	}
	if inv := w.invocation(t, id); tea.StringValue(inv.InvocationStatus) != "PartialFailed" {
		t.Errorf("overall: %s", tea.StringValue(inv.InvocationStatus))
	}
	if r := w.results(t, other)["i-fake02"]; tea.StringValue(r.InvocationStatus) != "Success" {
		t.Errorf("a command the rule does not match: %v", r)
	}
	r := w.results(t, slow)["i-fake01"]
	if tea.StringValue(r.InvocationStatus) != "Timeout" || tea.StringValue(r.ErrorCode) != "ExecutionTimeout" || tea.StringValue(r.InvokeRecordStatus) != "Failed" {
		t.Errorf("timeout: %v", r)
	}
	if inv := w.invocation(t, slow); tea.StringValue(inv.InvocationStatus) != "Failed" || tea.StringValue(inv.InvokeStatus) != "Failed" {
		t.Errorf("timed-out task: %s %s", tea.StringValue(inv.InvocationStatus), tea.StringValue(inv.InvokeStatus))
	}
	fs := w.ts.Faults()
	if fs[0].Fired != 1 || fs[1].Fired != 1 {
		t.Errorf("rules fired %d and %d times, want 1 each (only on matching commands)", fs[0].Fired, fs[1].Fired)
	}
}

// TestCloudAssistantStatus: an instance seeded without the agent is
// reported not running, and RunCommand on it fails.
func TestCloudAssistantStatus(t *testing.T) {
	seed := DemoSeed()
	seed.Instances[2].CloudAssistant = tea.Bool(false) // i-fake03
	w := newCmdWorld(t, seed)
	out, err := w.ecs.DescribeCloudAssistantStatus(&ecs.DescribeCloudAssistantStatusRequest{
		RegionId: tea.String("cn-hangzhou"), InstanceId: tea.StringSlice([]string{"i-fake01", "i-fake03"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range out.Body.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus {
		got[tea.StringValue(s.InstanceId)] = tea.StringValue(s.CloudAssistantStatus) + "/" + tea.StringValue(s.CloudAssistantVersion)
	}
	if got["i-fake01"] != "true/"+cloudAssistantVer || got["i-fake03"] != "false/" || len(got) != 2 {
		t.Errorf("DescribeCloudAssistantStatus: %v", got)
	}
	_, err = w.ecs.RunCommand(&ecs.RunCommandRequest{
		RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"), CommandContent: tea.String("echo"),
		InstanceId: tea.StringSlice([]string{"i-fake01", "i-fake03"}),
	})
	if code, status := apiCode(err); code != "InvalidInstance.NotMatch" || status != 400 || !strings.Contains(err.Error(), "i-fake03") {
		t.Errorf("RunCommand on an instance without the agent: %v", err)
	}
	if n := len(w.ts.Snapshot().ECS.Invocations); n != 0 {
		t.Errorf("a refused RunCommand left %d invocations", n)
	}
}

// TestRunCommandLimits: the documented refusals.
func TestRunCommandLimits(t *testing.T) {
	w := newCmdWorld(t, nil)
	base := func() *ecs.RunCommandRequest {
		return &ecs.RunCommandRequest{RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"),
			CommandContent: tea.String("echo hi"), InstanceId: tea.StringSlice([]string{"i-fake01"})}
	}
	big := base()
	big.CommandContent = tea.String(strings.Repeat("x", 18*1024+1)) // over 24 KB of Base64
	kept := base()
	kept.CommandContent, kept.KeepCommand = tea.String(strings.Repeat("x", 14*1024)), tea.Bool(true) // > 18 KB Base64
	params := base()
	params.Parameters = map[string]any{"name": "x"}
	missing := base()
	missing.CommandContent, missing.EnableParameter = tea.String("echo {{name}}"), tea.Bool(true)
	tooMany := base()
	tooMany.EnableParameter = tea.Bool(true)
	var sb strings.Builder
	for i := 0; i < 21; i++ {
		sb.WriteString("{{p" + string(rune('a'+i)) + "}}")
	}
	tooMany.CommandContent = tea.String(sb.String())
	unknown := base()
	unknown.InstanceId = tea.StringSlice([]string{"i-nope"})
	noInstance := base()
	noInstance.InstanceId = nil
	timeout := base()
	timeout.Timeout = tea.Int64(5)
	windows := base()
	windows.Type = tea.String("RunPowerShellScript")
	for _, tc := range []struct {
		name   string
		req    *ecs.RunCommandRequest
		code   string
		status int
	}{
		{"content over 24 KB", big, "CmdContent.ExceedLimit", 403},
		{"kept content over 18 KB", kept, "CmdContent.ExceedLimit", 403},
		{"parameters without EnableParameter", params, "Parameter.Disabled", 404},
		{"a custom parameter without a value", missing, "Parameter.MissingValue", 400},
		{"21 parameters", tooMany, "ParameterCount.ExceedLimit", 403},
		{"unknown instance", unknown, "InvalidInstance.NotFound", 404},
		{"no instance", noInstance, "MissingParam.InstanceId", 400},
		{"timeout below 10 s", timeout, "InvalidTimeout.ExceedLimit", 403},
		{"PowerShell on Linux", windows, "InvalidInstance.NotMatch", 400},
	} {
		_, err := w.ecs.RunCommand(tc.req)
		if code, status := apiCode(err); code != tc.code || status != tc.status {
			t.Errorf("%s: got %d %s (%v), want %d %s", tc.name, status, code, err, tc.status, tc.code)
		}
	}
	// Just under the limit passes.
	ok := base()
	ok.CommandContent = tea.String(strings.Repeat("x", 18*1024-3))
	if _, err := w.ecs.RunCommand(ok); err != nil {
		t.Errorf("content just under 24 KB of Base64: %v", err)
	}
	p := base()
	p.CommandContent, p.EnableParameter, p.Parameters = tea.String("echo {{ Name }} {{ACS::InstanceId}}"), tea.Bool(true), map[string]any{"name": "x"}
	if _, err := w.ecs.RunCommand(p); err != nil {
		t.Errorf("custom parameter (names are case-insensitive) and a built-in one: %v", err)
	}
}

// TestRunCommandClientToken: a repeat with the same token answers the same
// task; the same token with other parameters is refused.
func TestRunCommandClientToken(t *testing.T) {
	w := newCmdWorld(t, nil)
	req := &ecs.RunCommandRequest{RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"), ClientToken: tea.String("tok-1"),
		CommandContent: tea.String("echo hi"), InstanceId: tea.StringSlice([]string{"i-fake01"})}
	a, err := w.ecs.RunCommand(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.ecs.RunCommand(req)
	if err != nil || tea.StringValue(b.Body.InvokeId) != tea.StringValue(a.Body.InvokeId) {
		t.Errorf("replay: %v %v", b, err)
	}
	req.CommandContent = tea.String("echo other")
	_, err = w.ecs.RunCommand(req)
	if code, status := apiCode(err); code != "IdempotentParameterMismatch" || status != 403 {
		t.Errorf("same token, other content: %v", err)
	}
	if n := len(w.ts.Snapshot().ECS.Invocations); n != 1 {
		t.Errorf("%d invocations, want 1", n)
	}
}

// TestECSInstanceTags: TagResources, DescribeInstances' Tags and Tag.N
// filter, ListTagResources, UntagResources.
func TestECSInstanceTags(t *testing.T) {
	w := newCmdWorld(t, nil)
	region := tea.String("cn-hangzhou")
	_, err := w.ecs.TagResources(&ecs.TagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"),
		ResourceId: tea.StringSlice([]string{"i-fake01", "i-fake02"}),
		Tag:        []*ecs.TagResourcesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("chat")}, {Key: tea.String("wsdeploy:app"), Value: tea.String("abc123")}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := w.ecs.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: region,
		Tag: []*ecs.DescribeInstancesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("chat")}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids := ecsIDs(out.Body); strings.Join(ids, ",") != "i-fake01,i-fake02" {
		t.Errorf("DescribeInstances by tag: %v", ids)
	}
	if tags := out.Body.Instances.Instance[0].Tags.Tag; len(tags) != 2 || tea.StringValue(tags[1].TagValue) != "abc123" {
		t.Errorf("DescribeInstances Tags: %v", tags)
	}
	_, err = w.ecs.UntagResources(&ecs.UntagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"),
		ResourceId: tea.StringSlice([]string{"i-fake02"}), TagKey: tea.StringSlice([]string{"wsdeploy:app"})})
	if err != nil {
		t.Fatal(err)
	}
	list, err := w.ecs.ListTagResources(&ecs.ListTagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"),
		Tag: []*ecs.ListTagResourcesRequestTag{{Key: tea.String("wsdeploy:stack")}}})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range list.Body.TagResources.TagResource {
		rows = append(rows, tea.StringValue(r.ResourceId)+" "+tea.StringValue(r.TagKey)+"="+tea.StringValue(r.TagValue))
	}
	if strings.Join(rows, "|") != "i-fake01 wsdeploy:stack=chat|i-fake01 wsdeploy:app=abc123|i-fake02 wsdeploy:stack=chat" {
		t.Errorf("ListTagResources: %q", rows)
	}
	_, err = w.ecs.TagResources(&ecs.TagResourcesRequest{RegionId: region, ResourceType: tea.String("instance"),
		ResourceId: tea.StringSlice([]string{"i-nope"}), Tag: []*ecs.TagResourcesRequestTag{{Key: tea.String("k"), Value: tea.String("v")}}})
	if code, status := apiCode(err); code != "InvalidResourceId.NotFound" || status != 404 {
		t.Errorf("unknown instance: %v", err)
	}
	if tags := w.ts.Snapshot().ECS.Instances[1].Tags; len(tags) != 1 || tags[0] != (Tag{"wsdeploy:stack", "chat"}) {
		t.Errorf("Snapshot tags of i-fake02: %v", tags)
	}
}

// TestSecretParameterNeverLeaks: a secret created through OOS and used by
// RunCommand as {{oos-secret:name}} is in no request log entry, no command
// content, no invocation output, not in GET /_fake/state and not in a
// printed Snapshot.
func TestSecretParameterNeverLeaks(t *testing.T) {
	const secret = "s3cr3t-Redis-pw-7f2c"
	w := newCmdWorld(t, nil)
	oc := fcGeneric(t, w.ts)
	if _, err := oosCall(oc, "CreateSecretParameter", map[string]string{"RegionId": "cn-hangzhou", "Name": "wsdeploy-chat-redis", "Value": secret, "Type": "Secret"}); err != nil {
		t.Fatal(err)
	}
	got, err := oosCall(oc, "GetSecretParameter", map[string]string{"RegionId": "cn-hangzhou", "Name": "wsdeploy-chat-redis", "WithDecryption": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if v := got["body"].(map[string]any)["Parameter"].(map[string]any)["Value"]; v != secret {
		t.Errorf("GetSecretParameter WithDecryption: Value %v", v)
	}
	content := "echo 'requirepass {{oos-secret:wsdeploy-chat-redis}}' >> /etc/redis/redis.conf"
	out, err := w.ecs.RunCommand(&ecs.RunCommandRequest{RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"), Name: tea.String("redis"),
		CommandContent: tea.String(content), EnableParameter: tea.Bool(true), InstanceId: tea.StringSlice([]string{"i-fake03"})})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(cmdAsync)
	inv := w.invocation(t, tea.StringValue(out.Body.InvokeId))
	if decode64(t, inv.CommandContent) != content {
		t.Errorf("recorded content %q, want the placeholder kept", decode64(t, inv.CommandContent))
	}
	_, err = w.ecs.RunCommand(&ecs.RunCommandRequest{RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"),
		CommandContent: tea.String("echo {{oos-secret:nope}}"), EnableParameter: tea.Bool(true), InstanceId: tea.StringSlice([]string{"i-fake03"})})
	if code, status := apiCode(err); code != "ParameterStore.InvalidParameters" || status != 403 {
		t.Errorf("unknown secret: %v", err)
	}
	snap := w.ts.Snapshot()
	if s := snap.ECS.Invocations[0].SecretParameters; len(s) != 1 || s[0] != "wsdeploy-chat-redis" {
		t.Errorf("invocation's secret parameters: %v", s)
	}
	if p := snap.OOS.SecretParameters; len(p) != 1 || p[0].Value().Reveal() != secret {
		t.Errorf("the world lost the secret: %v", p)
	}

	// Search every record for it.
	var where []string
	for _, c := range w.ts.Calls() {
		for k, v := range c.Params {
			if strings.Contains(v, secret) {
				where = append(where, "request log "+c.Action+" "+k)
			}
		}
	}
	for _, printed := range []string{fmtSnapshot(snap, "%v"), fmtSnapshot(snap, "%+v"), fmtSnapshot(snap, "%#v")} {
		if strings.Contains(printed, secret) {
			where = append(where, "printed Snapshot")
		}
	}
	resp, err := http.Get(w.ts.URL() + "/_fake/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), secret) || !strings.Contains(string(body), "wsdeploy-chat-redis") {
		where = append(where, "GET /_fake/state")
	}
	for _, r := range w.results(t, tea.StringValue(out.Body.InvokeId)) {
		if strings.Contains(decode64(t, r.Output), secret) {
			where = append(where, "invocation output")
		}
	}
	if len(where) > 0 {
		t.Errorf("the secret leaked into: %v", where)
	}
}

// TestDescribeInvocationsPaging: NextToken pages to the end, newest first;
// PageNumber/PageSize too; MaxResults above 50 is refused.
func TestDescribeInvocationsPaging(t *testing.T) {
	w := newCmdWorld(t, nil)
	var want []string
	for i := 0; i < 12; i++ {
		want = append([]string{w.run(t, "n", "echo", "i-fake01")}, want...)
	}
	var got []string
	req := &ecs.DescribeInvocationsRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(5)}
	for pages := 0; pages < 10; pages++ {
		out, err := w.ecs.DescribeInvocations(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range out.Body.Invocations.Invocation {
			got = append(got, tea.StringValue(inv.InvokeId))
		}
		if tea.StringValue(out.Body.NextToken) == "" {
			break
		}
		req.NextToken = out.Body.NextToken
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("by NextToken: %v, want %v", got, want)
	}
	page2, err := w.ecs.DescribeInvocationResults(&ecs.DescribeInvocationResultsRequest{RegionId: tea.String("cn-hangzhou"), PageNumber: tea.Int64(2), PageSize: tea.Int64(10)})
	if err != nil {
		t.Fatal(err)
	}
	if r := page2.Body.Invocation; tea.Int64Value(r.TotalCount) != 12 || len(r.InvocationResults.InvocationResult) != 2 ||
		tea.StringValue(r.InvocationResults.InvocationResult[1].InvokeId) != want[11] {
		t.Errorf("results page 2: %v", r)
	}
	_, err = w.ecs.DescribeInvocations(&ecs.DescribeInvocationsRequest{RegionId: tea.String("cn-hangzhou"), MaxResults: tea.Int32(51)})
	if code, status := apiCode(err); code != "InvalidParameter" || status != 400 {
		t.Errorf("MaxResults 51: %v", err)
	}
}
