package up

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// oneListener is a stack with one HTTP listener: verify's targets are then
// ws://chat.example.com:5000, which the tests dial to a wschat backend.
const oneListener = `stack: chat
region: cn-hangzhou
lb: alb
alb: {id: alb-fake01}
backends:
  port: 5000
  servers: [ECS01]
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
dns: {domain: example.com, rr: chat, ttl: 600}
`

// verifyUp is a Factory, fake cloud and options for `up --verify` on
// oneListener, with verify's connections dialled to dial.
func verifyUp(t *testing.T, dial string) (*cmdutil.Factory, *cmdtest.Streams, *fakecloud.TestServer, *UpOptions) {
	t.Helper()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	f.HealthPace = func(resource.HealthCheck) health.Pace {
		return health.Pace{First: time.Millisecond, Max: 5 * time.Millisecond, StaysUnhealthy: 20 * time.Millisecond}
	}
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", oneListener)
	opts := &UpOptions{IO: f.IOStreams, Factory: f, Verify: true, verifyDial: []string{dial}}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "text"
	return f, ios, fc, opts
}

// lastCall is the index of the last call to action in calls, -1 if none.
func lastCall(calls []fakecloud.Call, action string) int {
	at := -1
	for i, c := range calls {
		if c.Action == action {
			at = i
		}
	}
	return at
}

// up --verify waits for the backends to be healthy, then runs verify's
// checks against the stack's listener (here dialled to a wschat backend)
// and prints their report under the deployment.
func TestUpVerifyWaitsThenVerifies(t *testing.T) {
	t.Parallel()
	backend := chattest.Start(t, chat.Options{Name: "web-a"})
	_, ios, fc, opts := verifyUp(t, backend.Addr)
	if err := upRun(context.Background(), opts); err != nil {
		t.Fatalf("up --verify: %v\n%s\n%s", err, ios.Out, ios.Err)
	}
	calls := fc.Calls()
	health, record := lastCall(calls, "GetListenerHealthStatus"), lastCall(calls, "DescribeSubDomainRecords")
	if health < 0 || record < health {
		t.Fatalf("health read at %d, verify's record read at %d: want the wait, then verify", health, record)
	}
	for _, want := range []string{"✔ 1 backend(s) healthy on HTTP:5000", "Verifying the WebSocket path…"} {
		if !strings.Contains(ios.Err.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, ios.Err)
		}
	}
	for _, want := range []string{`Stack "chat" is up on ALB alb-fake01`, "Verifying ws://chat.example.com:5000/ws (connecting to " + backend.Addr + ")", "✔ upgrade", "0 failed"} {
		if !strings.Contains(ios.Out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, ios.Out)
		}
	}
}

// A backend that stays unhealthy fails up --verify before verify runs.
func TestUpVerifyNotHealthy(t *testing.T) {
	t.Parallel()
	backend := chattest.Start(t, chat.Options{Name: "web-a"})
	_, ios, fc, opts := verifyUp(t, backend.Addr)
	if err := fc.AddFaults(fakecloud.Fault{Product: "alb", Health: &fakecloud.HealthFault{ReasonCode: "CONNECT_FAILED"}}); err != nil {
		t.Fatal(err)
	}
	err := upRun(context.Background(), opts)
	var ne *health.NotHealthyError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "ECS01 (i-fake01):5000 on listener HTTP:5000: unhealthy (CONNECT_FAILED)") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(ios.Err.String(), "Verifying") || strings.Contains(ios.Out.String(), "Verifying") || lastCall(fc.Calls(), "DescribeSubDomainRecords") > lastCall(fc.Calls(), "GetListenerHealthStatus") {
		t.Fatalf("verify ran:\n%s\n%s", ios.Out, ios.Err)
	}
}

// A failed check fails up --verify, after the report.
func TestUpVerifyFails(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, ios, _, opts := verifyUp(t, closed)
	opts.Verify, opts.WaitHealthy = true, false
	err = upRun(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "verify found failures") || !strings.Contains(ios.Out.String(), "✘ tcp") {
		t.Fatalf("error %v\n%s", err, ios.Out)
	}
	if !strings.Contains(ios.Err.String(), "backend(s) healthy") {
		t.Fatalf("--verify did not wait for health:\n%s", ios.Err)
	}
}
