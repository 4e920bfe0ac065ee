package fakecloud

import (
	"encoding/base64"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestKeptCommandLifecycle: CreateCommand (Base64 content by default),
// DescribeCommands, InvokeCommand with parameters and a secret, the
// invocation's outcome from a fault rule, DeleteCommand.
func TestKeptCommandLifecycle(t *testing.T) {
	w := newCmdWorld(t, nil, Fault{Product: ProductECS, Command: &CommandFault{Instance: "i-fake02", CommandOutcome: CommandOutcome{Match: "redis", ExitCode: 7}}})
	region := tea.String("cn-hangzhou")
	if _, err := oosCall(fcGeneric(t, w.ts), "CreateSecretParameter", map[string]string{"Name": "pw", "Value": "hunter2-secret"}); err != nil {
		t.Fatal(err)
	}
	content := "redis-cli -a {{oos-secret:pw}} config set maxclients {{ MaxClients }}"
	created, err := w.ecs.CreateCommand(&ecs.CreateCommandRequest{RegionId: region, Name: tea.String("tune-redis"), Type: tea.String("RunShellScript"),
		CommandContent: tea.String(base64.StdEncoding.EncodeToString([]byte(content))), EnableParameter: tea.Bool(true), Timeout: tea.Int64(120)})
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(created.Body.CommandId)
	list, err := w.ecs.DescribeCommands(&ecs.DescribeCommandsRequest{RegionId: region, CommandId: tea.String(id), ContentEncoding: tea.String("PlainText")})
	if err != nil {
		t.Fatal(err)
	}
	if cs := list.Body.Commands.Command; len(cs) != 1 || tea.StringValue(cs[0].CommandContent) != content || tea.Int64Value(cs[0].Timeout) != 120 ||
		len(cs[0].ParameterNames.ParameterName) != 1 || tea.StringValue(cs[0].ParameterNames.ParameterName[0]) != "MaxClients" {
		t.Errorf("DescribeCommands: %v", list.Body.Commands)
	}

	_, err = w.ecs.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: region, CommandId: tea.String(id), InstanceId: tea.StringSlice([]string{"i-fake02"})})
	if code, status := apiCode(err); code != "Parameter.MissingValue" || status != 400 {
		t.Errorf("InvokeCommand without the parameter: %v", err)
	}
	inv, err := w.ecs.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: region, CommandId: tea.String(id), InstanceId: tea.StringSlice([]string{"i-fake01", "i-fake02"}),
		Parameters: map[string]any{"MaxClients": "1000"}})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(cmdAsync)
	res := w.results(t, tea.StringValue(inv.Body.InvokeId))
	if tea.StringValue(res["i-fake01"].InvocationStatus) != "Success" || tea.StringValue(res["i-fake02"].InvocationStatus) != "Failed" || tea.Int64Value(res["i-fake02"].ExitCode) != 7 {
		t.Errorf("results: %v", res)
	}
	got := w.invocation(t, tea.StringValue(inv.Body.InvokeId))
	if tea.StringValue(got.CommandId) != id || decode64(t, got.CommandContent) != content || tea.StringValue(got.Parameters) != `{"MaxClients":"1000"}` {
		t.Errorf("invocation: %v", got)
	}
	if s := w.ts.Snapshot(); s.ECS.Commands[0].InvokeTimes != 1 || s.ECS.Invocations[0].SecretParameters[0] != "pw" {
		t.Errorf("snapshot: %+v", s.ECS)
	}

	if _, err := w.ecs.DeleteCommand(&ecs.DeleteCommandRequest{RegionId: region, CommandId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = w.ecs.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: region, CommandId: tea.String(id), InstanceId: tea.StringSlice([]string{"i-fake01"})})
	if code, status := apiCode(err); code != "InvalidCmdId.NotFound" || status != 404 {
		t.Errorf("InvokeCommand after delete: %v", err)
	}
	_, err = w.ecs.CreateCommand(&ecs.CreateCommandRequest{RegionId: region, Name: tea.String("bad"), Type: tea.String("RunShellScript"), CommandContent: tea.String("not base64!")})
	if code, status := apiCode(err); code != "InvalidParameter" || status != 400 {
		t.Errorf("CreateCommand with plain text and the default Base64 encoding: %v", err)
	}
}

// TestRunCommandKeepCommand: a kept RunCommand command can be invoked again.
func TestRunCommandKeepCommand(t *testing.T) {
	w := newCmdWorld(t, nil)
	region := tea.String("cn-hangzhou")
	out, err := w.ecs.RunCommand(&ecs.RunCommandRequest{RegionId: region, Type: tea.String("RunShellScript"), Name: tea.String("kept"),
		CommandContent: tea.String("uptime"), KeepCommand: tea.Bool(true), InstanceId: tea.StringSlice([]string{"i-fake01"})})
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.ecs.InvokeCommand(&ecs.InvokeCommandRequest{RegionId: region, CommandId: out.Body.CommandId, InstanceId: tea.StringSlice([]string{"i-fake02"})})
	if err != nil {
		t.Fatal(err)
	}
	if inv := w.invocation(t, tea.StringValue(again.Body.InvokeId)); decode64(t, inv.CommandContent) != "uptime" || tea.StringValue(inv.CommandName) != "kept" {
		t.Errorf("re-invoked: %v", inv)
	}
	if c := w.ts.Snapshot().ECS.Commands; len(c) != 1 || c[0].InvokeTimes != 2 {
		t.Errorf("kept commands: %+v", c)
	}
	notKept := w.run(t, "gone", "uptime", "i-fake01")
	_ = notKept
	if c := w.ts.Snapshot().ECS.Commands; len(c) != 1 {
		t.Errorf("a command run without KeepCommand was kept: %+v", c)
	}
}
