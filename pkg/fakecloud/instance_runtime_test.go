package fakecloud

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// chanRuntime hands each run to the test and returns what the test says.
type chanRuntime struct {
	got   chan RuntimeCommand
	reply chan error
}

func (c *chanRuntime) CommandSucceeded(ctx context.Context, rc RuntimeCommand) error {
	c.got <- rc
	select {
	case err := <-c.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestInstanceRuntime: a run decided a Success is handed to the runtime
// with the instance, the content as sent and its OOS secrets resolved; it
// stays Running until the runtime returns; an error makes it Failed (exit
// code 1, the error as output); a run decided a failure is not handed over;
// the invocation keeps the placeholder, never the value.
func TestInstanceRuntime(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef0123456789abcdef"
	rt := &chanRuntime{got: make(chan RuntimeCommand, 4), reply: make(chan error)}
	clock := &testClock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	ts := NewTestServer(t, Options{Seed: DemoSeed(), AsyncDuration: cmdAsync, Now: clock.Now, InstanceRuntime: rt,
		Faults: []Fault{{Product: ProductECS, Command: &CommandFault{Instance: "i-fake02", CommandOutcome: CommandOutcome{ExitCode: 2, Output: "broken"}}}}})
	w := &cmdWorld{ts: ts, clock: clock, ecs: fcECS(t, ts)}
	if _, err := oosCall(fcGeneric(t, ts), "CreateSecretParameter", map[string]string{"RegionId": "cn-hangzhou", "Name": "pw", "Value": secret, "Type": "Secret"}); err != nil {
		t.Fatal(err)
	}
	content := "export REDIS_PASSWORD={{oos-secret:pw}}\nstart wschat"
	out, err := w.ecs.RunCommand(&ecs.RunCommandRequest{RegionId: tea.String("cn-hangzhou"), Type: tea.String("RunShellScript"), Name: tea.String("wsdeploy-install-wschat"),
		CommandContent: tea.String(content), EnableParameter: tea.Bool(true), InstanceId: tea.StringSlice([]string{"i-fake01", "i-fake02"})})
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(out.Body.InvokeId)
	rc := <-rt.got
	if rc.InvokeID != id || rc.Instance.ID != "i-fake01" || rc.Instance.PrivateIP == "" || rc.Name != "wsdeploy-install-wschat" || rc.Content != content || rc.Secrets["pw"] != secret {
		t.Fatalf("runtime got %+v", rc)
	}
	clock.Add(cmdAsync)
	res := w.results(t, id)
	if s := tea.StringValue(res["i-fake01"].InvocationStatus); s != "Running" {
		t.Errorf("i-fake01 is %s while the runtime runs it, want Running", s)
	}
	if s := tea.StringValue(res["i-fake02"].InvocationStatus); s != "Failed" {
		t.Errorf("i-fake02 (a fault's failure, never handed to the runtime) is %s", s)
	}
	rt.reply <- nil
	waitStatus(t, w, id, "i-fake01", "Success")

	// A runtime error fails the run.
	id = w.run(t, "wsdeploy-install-wschat", "start wschat", "i-fake01")
	<-rt.got
	rt.reply <- errors.New("port 5000 is taken")
	clock.Add(cmdAsync)
	r := waitStatus(t, w, id, "i-fake01", "Failed")
	if tea.Int64Value(r.ExitCode) != 1 || decode64(t, r.Output) != "port 5000 is taken\n" {
		t.Errorf("failed run: exit %d, output %q", tea.Int64Value(r.ExitCode), decode64(t, r.Output))
	}
	for _, inv := range ts.Snapshot().ECS.Invocations {
		if inv.DecodedContent() == "" || containsString(inv.DecodedContent(), secret) || containsString(inv.Parameters, secret) {
			t.Errorf("invocation %s holds the secret or nothing", inv.ID)
		}
	}
	select {
	case extra := <-rt.got:
		t.Errorf("runtime handed a run it should not have: %+v", extra)
	default:
	}
}

// waitStatus reads the run of instance in invocation id until it is want
// (the runtime's outcome is recorded in the background).
func waitStatus(t *testing.T, w *cmdWorld, id, instance, want string) *ecs.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := w.results(t, id)[instance]
		if tea.StringValue(r.InvocationStatus) == want {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s on %s is %s, want %s", id, instance, tea.StringValue(r.InvocationStatus), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func containsString(s, sub string) bool { return strings.Contains(s, sub) }
