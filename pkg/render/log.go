package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// Log writes what wsdeploy tells the user on stderr while it works: notices,
// progress, prompts and the final error. In text mode these are lines for
// people; with -o json every line is one JSON object (the vocabulary is in
// the README, "-o json on stderr"), so a script can parse stderr line by line.
// Safe for concurrent use.
type Log struct {
	mu       sync.Mutex
	w        io.Writer
	format   Format
	cs       *iostreams.ColorScheme
	lastWait map[plan.Addr]time.Time
	// lastHealth is the last waiting line of a health wait, and when it was written.
	lastHealth   string
	lastHealthAt time.Time
}

// NewLog writes to w in format f; cs colours text lines (nil: no colour).
func NewLog(w io.Writer, f Format, cs *iostreams.ColorScheme) *Log {
	return &Log{w: w, format: f, cs: cs, lastWait: map[plan.Addr]time.Time{}}
}

// Format is the log's format.
func (l *Log) Format() Format { return l.format }

// Levels of log lines.
const (
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
	LevelDebug = "debug"
)

// head is the part every JSON line has.
type head struct {
	Level   string `json:"level"`
	Event   string `json:"event"`
	Message string `json:"message,omitempty"`
}

// emit writes v as a JSON line, or text (which may hold several lines, and
// gets a final newline unless it ends in a space: a prompt).
func (l *Log) emit(v any, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.emitLocked(v, text)
}

func (l *Log) emitLocked(v any, text string) {
	if l.format == JSON {
		b, err := json.Marshal(v)
		if err != nil { // cannot happen for the types below; stay parseable regardless
			b, _ = json.Marshal(head{Level: LevelError, Event: "log.error", Message: err.Error()})
		}
		fmt.Fprintf(l.w, "%s\n", b)
		return
	}
	if !strings.HasSuffix(text, " ") {
		text += "\n"
	}
	io.WriteString(l.w, text)
}

// Counts says what a plan does, in the words of its last line:
// "1 to create, 2 to update, 0 to delete".
func Counts(s plan.Summary) string {
	return fmt.Sprintf("%d to create, %d to update, %d to delete", s.Create, s.Update, s.Delete)
}

// Done says what an applied plan did: "1 created, 2 updated, 0 deleted".
func Done(s plan.Summary) string {
	return fmt.Sprintf("%d created, %d updated, %d deleted", s.Create, s.Update, s.Delete)
}

// Notice is a line of information with no fields of its own.
func (l *Log) Notice(event, msg string) {
	l.emit(head{Level: LevelInfo, Event: event, Message: msg}, msg)
}

// DemoStack says that the built-in demo stack stands in for a missing file.
func (l *Log) DemoStack(file, stack string) {
	msg := fmt.Sprintf("No %s here: using the built-in demo stack %q (wsdeploy init writes it to a file).", file, stack)
	l.emit(struct {
		head
		File  string `json:"file"`
		Stack string `json:"stack"`
	}{head{LevelInfo, "stack.demo", msg}, file, stack}, msg)
}

// ConfirmText is what the user is asked to agree to before p is applied.
func ConfirmText(p *plan.Plan) string {
	if p.Mode == "down" {
		return fmt.Sprintf("This destroys stack %q: %s.", p.Stack, Counts(p.Summary))
	}
	var names []string
	for _, a := range p.Destructive() {
		names = append(names, a.Kind+" "+a.Name)
	}
	return fmt.Sprintf("This plan deletes what can carry traffic or a name: %s (%s).", strings.Join(names, ", "), Counts(p.Summary))
}

// Prompt asks the user to type 'yes'. what is ConfirmText's sentence.
func (l *Log) Prompt(what string) {
	const ask = "Type 'yes' to continue:"
	l.emit(struct {
		head
		Prompt string `json:"prompt"`
	}{head{LevelInfo, "confirm", what}, ask}, what+" "+ask+" ")
}

// ApplyStarted announces that p is being applied.
func (l *Log) ApplyStarted(p *plan.Plan) {
	var msg string
	if p.Mode == "down" {
		msg = fmt.Sprintf("Destroying stack %q: %s…", p.Stack, Counts(p.Summary))
	} else {
		msg = fmt.Sprintf("Applying %d change(s): %s…", p.Summary.Total(), Counts(p.Summary))
	}
	l.emit(applyEvent(p, "apply.started", msg), "\n"+msg)
}

// ApplyCompleted says that every action of p succeeded.
func (l *Log) ApplyCompleted(p *plan.Plan) {
	var msg string
	if p.Mode == "down" {
		msg = fmt.Sprintf("Destroy complete: %s. %s", Done(p.Summary), leftInPlace(p))
	} else {
		msg = fmt.Sprintf("Apply complete: %s.", Done(p.Summary))
	}
	l.emit(applyEvent(p, "apply.completed", msg), msg)
}

// applyEventLine is the JSON line of apply.started and apply.completed.
type applyEventLine struct {
	head
	Mode    string       `json:"mode"`
	Stack   string       `json:"stack"`
	Changes int          `json:"changes"`
	Summary plan.Summary `json:"summary"`
}

func applyEvent(p *plan.Plan, event, msg string) applyEventLine {
	return applyEventLine{head{LevelInfo, event, msg}, p.Mode, p.Stack, p.Summary.Total(), p.Summary}
}

// Interrupt tells the user, once, what Ctrl-C does during an apply.
func (l *Log) Interrupt() {
	const msg = "Interrupt: finishing the steps already running, starting no new ones (Ctrl-C again to abort at once)."
	l.emit(head{Level: LevelWarn, Event: "interrupt", Message: msg}, "\n"+msg)
}

// VerifyStarted says that up goes on to verify the deployment.
func (l *Log) VerifyStarted() {
	const msg = "Verifying the WebSocket path…"
	l.emit(head{Level: LevelInfo, Event: "verify.started", Message: msg}, "\n"+msg)
}

// Action prints one engine event: a line per event in text mode (waits at
// most every 2 seconds per action), every event with -o json.
func (l *Log) Action(ev apply.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	level := LevelInfo
	if ev.Kind == apply.Failed {
		level = LevelError
	}
	v := struct {
		head
		Action    plan.Addr `json:"action"`
		Op        plan.Op   `json:"op"`
		What      string    `json:"what"`
		Detail    string    `json:"detail,omitempty"`
		ElapsedMs int64     `json:"elapsedMs,omitempty"`
	}{head{Level: level, Event: "action." + string(ev.Kind)}, ev.Action, ev.Op, ev.What, ev.Detail, ev.Elapsed.Milliseconds()}
	if l.format == JSON {
		l.emitLocked(v, "")
		return
	}
	elapsed := ev.Elapsed.Round(100 * time.Millisecond)
	switch ev.Kind {
	case apply.Started:
		l.emitLocked(v, fmt.Sprintf("  … %s", ev.What))
	case apply.Waiting:
		if ev.Elapsed == cloud.Notice { // news: shown at once
			v.ElapsedMs = 0
			l.emitLocked(v, fmt.Sprintf("    waiting: %s (%s)", ev.What, ev.Detail))
			return
		}
		if time.Since(l.lastWait[ev.Action]) < 2*time.Second {
			return
		}
		l.lastWait[ev.Action] = time.Now()
		l.emitLocked(v, fmt.Sprintf("    waiting: %s (%s, %s so far)", ev.What, ev.Detail, elapsed))
	case apply.Succeeded:
		id := ""
		if ev.Detail != "" {
			id = " → " + ev.Detail
		}
		l.emitLocked(v, fmt.Sprintf("  %s %s%s (%s)", mark(l.cs, true), ev.What, id, elapsed))
	case apply.Failed:
		l.emitLocked(v, fmt.Sprintf("  %s %s: %s", mark(l.cs, false), ev.What, ev.Detail))
	case apply.Skipped:
		l.emitLocked(v, fmt.Sprintf("  - skipped %s %s", ev.What, ev.Detail))
	}
}

// APICall is one --debug line.
type APICall struct {
	Product   string `json:"product"`
	Action    string `json:"apiAction"`
	Status    int    `json:"status,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	Millis    int64  `json:"ms"`
	Params    string `json:"params"`
	Error     string `json:"error,omitempty"`
}

// Debug prints one API call (--debug). Parameters arrive redacted.
func (l *Log) Debug(c APICall) {
	var text string
	if c.Error != "" {
		text = fmt.Sprintf("debug: %s %s error=%q %dms params=%s", c.Product, c.Action, c.Error, c.Millis, c.Params)
	} else {
		text = fmt.Sprintf("debug: %s %s status=%d requestId=%s %dms params=%s", c.Product, c.Action, c.Status, c.RequestID, c.Millis, c.Params)
	}
	l.emit(struct {
		head
		APICall
	}{head{Level: LevelDebug, Event: "api.call"}, c}, text)
}

// Retrying says that an API call is retried because the endpoint cannot be
// reached or gave no answer: attempt is the one about to start.
func (l *Log) Retrying(product, action, reason string, attempt int, delay time.Duration) {
	msg := fmt.Sprintf("retrying %s: %s (attempt %d, next in %s)", action, reason, attempt, delay.Round(100*time.Millisecond))
	l.emit(struct {
		head
		Product string `json:"product"`
		Action  string `json:"apiAction"`
		Reason  string `json:"reason"`
		Attempt int    `json:"attempt"`
		DelayMs int64  `json:"delayMs"`
	}{head{LevelWarn, "api.retrying", msg}, product, action, reason, attempt, delay.Milliseconds()}, msg)
}

// Error prints the error that ends the command, and what to do about it.
func (l *Log) Error(err error, hint string, exitCode int) {
	msg := strings.TrimRight(err.Error(), "\n")
	text := "Error: " + msg
	if hint != "" {
		text += "\nTo fix: " + hint
	}
	l.emit(struct {
		head
		Error    string `json:"error"`
		Hint     string `json:"hint,omitempty"`
		ExitCode int    `json:"exitCode"`
	}{head{Level: LevelError, Event: "error"}, msg, hint, exitCode}, text)
}

// leftInPlace names the load balancers a teardown kept.
func leftInPlace(p *plan.Plan) string {
	name := func(kind, id string) string { return strings.TrimSpace(strings.ToUpper(kind) + " " + id) }
	var names []string
	if !deletesLB(p, p.LB.ID) {
		names = append(names, name(p.LB.Type, p.LB.ID))
	}
	for _, lb := range p.Also {
		names = append(names, name(lb.Type, lb.ID))
	}
	switch len(names) {
	case 0:
		return "The load balancer " + name(p.LB.Type, p.LB.ID) + ", which the stack created, was deleted."
	case 1:
		return "The load balancer " + names[0] + " itself was left in place."
	}
	return "The load balancers " + strings.Join(names, " and ") + " themselves were left in place."
}

// PlanSaved says where `plan --out` saved the plan and how to apply it.
func (l *Log) PlanSaved(path, apply string) {
	msg := fmt.Sprintf("Saved this plan to %s. Review it (`wsdeploy show %s`), then apply exactly it: %s", path, path, apply)
	l.emit(struct {
		head
		Path  string `json:"path"`
		Apply string `json:"apply"`
	}{head{LevelInfo, "plan.saved", msg}, path, apply}, "\n"+msg)
}

// deletesLB reports whether the plan deletes the load balancer id itself
// (one the stack created).
func deletesLB(p *plan.Plan, id string) bool {
	for _, a := range p.Actions {
		if a.Kind == plan.KindLoadBalancer && a.Op == plan.Delete && a.LoadBalancer != nil && a.LoadBalancer.ID == id {
			return true
		}
	}
	return false
}
