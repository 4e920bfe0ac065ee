package apply

import (
	"context"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// installPlan installs wschat on i-1 (a first install: no drain).
func installPlan() *plan.Plan {
	return &plan.Plan{Mode: "up", Stack: "chat", Epoch: "0", Observed: "o", Actions: []plan.Action{{
		ID: plan.Addr{Op: plan.Create, Kind: plan.KindWschat, Key: "i-1"}, Op: plan.Create, Kind: plan.KindWschat,
		App: &plan.AppStep{Role: "wschat", InstanceID: "i-1", Tag: "wschat/v1/x", Command: &plan.CommandStep{Name: "wsdeploy-install-wschat", Content: "install v1"}},
	}}}
}

// TestAppTokenFollowsTheInstanceRecord: the same plan sends a new
// RunCommand ClientToken once the instance has a run of another command on
// record (an uninstall, another version's install: a new cycle), and the
// same token when only runs of its own command were added (a re-run after a
// crash, whose command was already sent).
func TestAppTokenFollowsTheInstanceRecord(t *testing.T) {
	install := cloud.Run{InvokeID: "t-1", Name: "wsdeploy-install-wschat", Content: "install v1"}
	uninstall := cloud.Run{InvokeID: "t-2", Name: "wsdeploy-uninstall-wschat", Content: "uninstall"}
	v2 := cloud.Run{InvokeID: "t-3", Name: "wsdeploy-install-wschat", Content: "install v2"}
	again := cloud.Run{InvokeID: "t-4", Name: "wsdeploy-install-wschat", Content: "install v1"}
	tokenWith := func(runs ...cloud.Run) string {
		t.Helper()
		r := &appRecorder{runs: map[string][]cloud.Run{"i-1": runs}}
		e := &Engine{Commands: r, Stack: "chat"}
		if _, err := e.Apply(context.Background(), installPlan()); err != nil {
			t.Fatal(err)
		}
		if len(r.tokens) != 1 {
			t.Fatalf("%d tokens sent, want 1 (RunCommand)", len(r.tokens))
		}
		return r.tokens[0]
	}
	first := tokenWith()
	if got := tokenWith(install); got != first {
		t.Errorf("a re-run that finds its own install on record sends %s, want the first token %s", got, first)
	}
	afterDown := tokenWith(install, uninstall)
	if afterDown == first {
		t.Errorf("after an uninstall the install sends the first cycle's token %s", first)
	}
	if got := tokenWith(uninstall, again, install); got != afterDown {
		t.Errorf("the second cycle's re-run (its install on record, in any order) sends %s, want %s", got, afterDown)
	}
	rolledBack := tokenWith(install, v2)
	if rolledBack == first || rolledBack == afterDown {
		t.Errorf("v1 -> v2 -> v1 sends an earlier token %s", rolledBack)
	}
	if tokenWith(install, uninstall, again, uninstall, cloud.Run{InvokeID: "t-5", Name: "wsdeploy-uninstall-wschat", Content: "uninstall"}) == afterDown {
		t.Error("a third cycle sends the second cycle's token")
	}
}

// TestAppTokenIgnoresThePlanAroundTheStep: an app step's tokens hash what
// the step does, not its dependencies or reason, which a re-run's plan may
// change (the failed run made the password, so no step waits for it).
func TestAppTokenIgnoresThePlanAroundTheStep(t *testing.T) {
	p := installPlan()
	a := p.Actions[0]
	b := a
	b.DependsOn = []plan.Addr{{Op: plan.Create, Kind: plan.KindAppSecret, Key: "pw"}}
	b.Reason = "another reason"
	if token(p, &a, 0) != token(p, &b, 0) {
		t.Error("the token of an app step depends on its dependencies or reason")
	}
	c := a
	app := *a.App
	app.Command = &plan.CommandStep{Name: "wsdeploy-install-wschat", Content: "install v2"}
	c.App = &app
	if token(p, &a, 0) == token(p, &c, 0) {
		t.Error("two commands share a token")
	}
}

// TestSecretTokenIsNewEveryRun: the password parameter's create sends a new
// ClientToken in every run (every run makes a new password), so a cycle
// after `down --app` never repeats the first cycle's token with another value.
func TestSecretTokenIsNewEveryRun(t *testing.T) {
	p := &plan.Plan{Mode: "up", Stack: "chat", Epoch: "0", Observed: "o", Actions: []plan.Action{{
		ID: plan.Addr{Op: plan.Create, Kind: plan.KindAppSecret, Key: "pw"}, Op: plan.Create, Kind: plan.KindAppSecret,
		App: &plan.AppStep{Role: "secret", Secret: "pw"},
	}}}
	seen := map[string]bool{}
	for run := 0; run < 3; run++ {
		r := &appRecorder{}
		e := &Engine{Secrets: r, Stack: "chat"}
		if _, err := e.Apply(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if len(r.tokens) != 1 {
			t.Fatalf("%d tokens sent, want 1 (CreateSecret)", len(r.tokens))
		}
		if seen[r.tokens[0]] {
			t.Fatalf("run %d sent an earlier run's password token %s", run+1, r.tokens[0])
		}
		seen[r.tokens[0]] = true
	}
}
