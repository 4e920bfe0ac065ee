package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// appRecorder records weights, commands, tags and secrets in one log.
type appRecorder struct {
	recorder
	failOn   string                 // instance whose command fails
	output   string                 // its output
	password string                 // the value CreateSecret was given
	runs     map[string][]cloud.Run // Cloud Assistant's record, per instance
}

func (r *appRecorder) SetWeights(_ context.Context, gid string, s []resource.Backend, token string, _ cloud.Progress) error {
	return r.rec(fmt.Sprintf("weight %s %s=%d", gid, s[0].InstanceID, s[0].Weight), token)
}
func (r *appRecorder) RunCommand(_ context.Context, id, name, content string, _ int64, token string, _ cloud.Progress) (cloud.Invocation, error) {
	if err := r.rec("run "+id, token); err != nil {
		return cloud.Invocation{}, err
	}
	if id == r.failOn {
		return cloud.Invocation{InvokeID: "t-1", Status: "Failed", ExitCode: 3, Output: r.output}, nil
	}
	return cloud.Invocation{InvokeID: "t-1", Status: "Success"}, nil
}
func (r *appRecorder) Runs(_ context.Context, id string) ([]cloud.Run, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[id], nil
}
func (r *appRecorder) SetTag(_ context.Context, id, key, value string) error {
	return r.rec("tag "+id, "")
}
func (r *appRecorder) RemoveTag(_ context.Context, id, key string) error {
	return r.rec("untag "+id, "")
}
func (r *appRecorder) CreateSecret(_ context.Context, name, value, _ string, _ map[string]string, token string) error {
	r.password = value
	return r.rec("secret "+name, token)
}
func (r *appRecorder) DeleteSecret(_ context.Context, name string) error {
	return r.rec("delete secret "+name, "")
}

func rollingPlan() *plan.Plan {
	p := &plan.Plan{Mode: "up", Stack: "chat", LB: resource.LoadBalancer{Type: "alb", ID: "alb-1"}}
	var prev []plan.Addr
	p.Actions = append(p.Actions, plan.Action{ID: plan.Addr{Op: plan.Create, Kind: plan.KindAppSecret, Key: "pw"}, Op: plan.Create, Kind: plan.KindAppSecret,
		App: &plan.AppStep{Role: "secret", Secret: "pw"}})
	prev = []plan.Addr{p.Actions[0].ID}
	for _, id := range []string{"i-1", "i-2", "i-3"} {
		a := plan.Action{ID: plan.Addr{Op: plan.Update, Kind: plan.KindWschat, Key: id}, Op: plan.Update, Kind: plan.KindWschat, DependsOn: prev,
			App: &plan.AppStep{Role: "wschat", InstanceID: id, Tag: "wschat/v2/x", Command: &plan.CommandStep{Name: "wsdeploy-install-wschat", Content: "true"},
				Drain: &plan.DrainStep{Group: plan.ServerGroupRef{ID: "sgp-1"}, Backend: resource.Backend{InstanceID: id, Port: 5000, Weight: 100}}}}
		p.Actions = append(p.Actions, a)
		prev = []plan.Addr{a.ID}
	}
	return p
}

func TestApplyRollsOneBackendAtATime(t *testing.T) {
	r := &appRecorder{}
	e := &Engine{ALB: r, Commands: r, Secrets: r, Stack: "chat"}
	if _, err := e.Apply(context.Background(), rollingPlan()); err != nil {
		t.Fatal(err)
	}
	want := "secret pw, " +
		"weight sgp-1 i-1=0, run i-1, weight sgp-1 i-1=100, tag i-1, " +
		"weight sgp-1 i-2=0, run i-2, weight sgp-1 i-2=100, tag i-2, " +
		"weight sgp-1 i-3=0, run i-3, weight sgp-1 i-3=100, tag i-3"
	if got := strings.Join(r.calls, ", "); got != want {
		t.Fatalf("calls:\n got %s\nwant %s", got, want)
	}
	if len(r.password) != 48 {
		t.Errorf("password of %d characters, want 48", len(r.password))
	}
}

func TestApplyFailedCommandStopsTheRoll(t *testing.T) {
	r := &appRecorder{failOn: "i-2"}
	e := &Engine{ALB: r, Commands: r, Secrets: r, Stack: "chat"}
	// The instance prints the password the run made, and a URL with another.
	r.output = "line 1\n"
	e.secretsMu.Lock()
	e.secretValues = append(e.secretValues, "made-this-run-0123456789")
	e.secretsMu.Unlock()
	r.output += "WRONGPASS made-this-run-0123456789\nWSCHAT_REDIS_URL=redis://wschat:hunter2hunter2@10.0.0.13:6379/0\n" +
		"AUTH failed: 0123456789abcdef0123456789abcdef0123456789abcdef\n" // made by an earlier run
	_, err := e.Apply(context.Background(), rollingPlan())
	var ce *CommandError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *CommandError", err)
	}
	want := "secret pw, weight sgp-1 i-1=0, run i-1, weight sgp-1 i-1=100, tag i-1, weight sgp-1 i-2=0, run i-2"
	if got := strings.Join(r.calls, ", "); got != want {
		t.Fatalf("calls:\n got %s\nwant %s (i-2 left at weight 0, i-3 untouched)", got, want)
	}
	msg := err.Error()
	if ce.ExitCode != 3 || !strings.Contains(msg, "exit code 3") || !strings.Contains(msg, "WRONGPASS") {
		t.Errorf("error %q lacks the exit code or the output tail", msg)
	}
	for _, secret := range []string{"made-this-run-0123456789", "hunter2hunter2", "0123456789abcdef0123456789abcdef0123456789abcdef"} {
		if strings.Contains(msg, secret) {
			t.Errorf("the error shows the secret %q:\n%s", secret, msg)
		}
	}
	var pe *PartialError
	if !errors.As(err, &pe) || !strings.Contains(pe.Hint(), "weight 0 in sgp-1") {
		t.Errorf("hint %q does not say the instance stays at weight 0", pe.Hint())
	}
}
