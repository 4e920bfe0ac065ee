package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func logAll(l *Log) {
	up := &plan.Plan{Mode: "up", Stack: "chat", Summary: plan.Summary{Create: 5},
		Actions: []plan.Action{{Op: plan.Delete, Kind: plan.KindListener, Name: "HTTP:5000 (lsn-1)"}}}
	down := &plan.Plan{Mode: "down", Stack: "chat", LB: resource.LoadBalancer{ID: "alb-1"}, Summary: plan.Summary{Update: 1, Delete: 4}}
	l.DemoStack("wsdeploy.yaml", "demo")
	l.Prompt(ConfirmText(up))
	l.Prompt(ConfirmText(down))
	l.ApplyStarted(up)
	l.ApplyStarted(down)
	for _, k := range []apply.EventKind{apply.Started, apply.Waiting, apply.Succeeded, apply.Failed, apply.Skipped} {
		l.Action(apply.Event{Kind: k, Action: plan.Addr{Op: plan.Create, Kind: plan.KindListener, Key: "HTTP:5000"}, Op: plan.Create, What: "create listener HTTP:5000", Detail: "lsn-1", Elapsed: 1500 * time.Millisecond})
	}
	l.Interrupt()
	l.ApplyCompleted(up)
	l.ApplyCompleted(down)
	l.VerifyStarted()
	l.Debug(APICall{Product: "alb", Action: "ListListeners", Status: 200, RequestID: "r-1", Millis: 3, Params: "a=b"})
	l.Debug(APICall{Product: "alb", Action: "ListListeners", Error: "dial tcp: refused", Params: "a=b"})
	l.Notice("note", "a\nmulti-line \"notice\"")
	l.Error(errors.New("two\nlines\n"), "do this", 1)
}

// With -o json, every line of every kind of message is one JSON object with a level and an event.
func TestLogJSONLines(t *testing.T) {
	var b bytes.Buffer
	logAll(NewLog(&b, JSON, nil))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 18 {
		t.Fatalf("%d lines, want 18:\n%s", len(lines), b.String())
	}
	events := map[string]bool{}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		level, _ := m["level"].(string)
		event, _ := m["event"].(string)
		if event == "" || (level != LevelInfo && level != LevelWarn && level != LevelError && level != LevelDebug) {
			t.Fatalf("line without a level or event: %q", line)
		}
		events[event] = true
	}
	for _, ev := range []string{"stack.demo", "confirm", "apply.started", "action.started", "action.waiting", "action.succeeded",
		"action.failed", "action.skipped", "interrupt", "apply.completed", "verify.started", "api.call", "note", "error"} {
		if !events[ev] {
			t.Errorf("no %s event", ev)
		}
	}
}

// Text mode prints lines for people, and the counts come from the plan's Summary.
func TestLogText(t *testing.T) {
	var b bytes.Buffer
	logAll(NewLog(&b, Text, nil))
	got := b.String()
	for _, want := range []string{
		"This plan deletes what can carry traffic or a name: listener HTTP:5000 (lsn-1) (5 to create, 0 to update, 0 to delete). Type 'yes' to continue: ",
		"This destroys stack \"chat\": 0 to create, 1 to update, 4 to delete. Type 'yes' to continue: ",
		"\nApplying 5 change(s): 5 to create, 0 to update, 0 to delete…\n",
		"\nDestroying stack \"chat\": 0 to create, 1 to update, 4 to delete…\n",
		"Apply complete: 5 created, 0 updated, 0 deleted.\n",
		"Destroy complete: 0 created, 1 updated, 4 deleted. The load balancer alb-1 itself was left in place.\n",
		"  ✔ create listener HTTP:5000 → lsn-1 (1.5s)\n",
		"Error: two\nlines\nTo fix: do this\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text log lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "{") {
		t.Errorf("JSON in the text log:\n%s", got)
	}
}
