// Package apply executes plans. The engine walks the plan's dependency graph,
// running each action once its dependencies have succeeded (independent
// branches in parallel), waits for every asynchronous job before dependants
// start, and reports progress as events. There is no rollback: the planner
// converges, so the recovery from any failure is to run `wsdeploy up` again.
package apply

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// EventKind says what happened to an action.
type EventKind string

// Event kinds.
const (
	Started   EventKind = "started"
	Waiting   EventKind = "waiting"
	Succeeded EventKind = "succeeded"
	Failed    EventKind = "failed"
	Skipped   EventKind = "skipped"
)

// Event is one progress report.
type Event struct {
	Kind    EventKind     `json:"event"`
	Action  plan.Addr     `json:"action"`
	Op      plan.Op       `json:"op"`
	What    string        `json:"what"`
	Detail  string        `json:"detail,omitempty"`
	Elapsed time.Duration `json:"elapsedNs,omitempty"`
}

// Engine applies plans.
type Engine struct {
	// ALB and CLB carry out load balancer steps on each kind. An action runs
	// on the plan's load balancer, or on the one its On names.
	ALB, CLB Executor
	DNS      DNS
	// Commands and Secrets carry out the app's steps (app.deploy).
	Commands Commands
	Secrets  SecretStore
	// Network adds and removes the stack's security-group rules.
	Network Network
	// Health reads backend health for the rolling update's gate, polled
	// at HealthPace (nil: health.PaceFor); nil Health: no gate.
	Health     HealthReader
	HealthPace func(resource.HealthCheck) health.Pace
	Stack      string
	Events     func(Event)
	// Interrupt, when closed, stops the engine from starting new actions;
	// running ones finish (bounded by ctx), and the result says what is left.
	Interrupt <-chan struct{}
	// Resume is the command that continues this run, for hints
	// ("wsdeploy up -f prod.yaml"); "" means `wsdeploy <plan mode>`.
	Resume string

	appState
	lbState
}

// Result is what an apply did.
type Result struct {
	Succeeded []plan.Addr          `json:"succeeded"`
	Failed    []plan.Addr          `json:"failed"`
	Skipped   []plan.Addr          `json:"skipped"`
	Errors    map[plan.Addr]string `json:"errors,omitempty"`
	// Created maps action IDs to the IDs of the resources they created.
	Created map[plan.Addr]string `json:"created,omitempty"`
	// LB is the load balancer the run created (alb.create / clb.create), if any.
	LB    *resource.LoadBalancer `json:"lb,omitempty"`
	errs  map[plan.Addr]error
	whats map[plan.Addr]string
	mode  string
}

// PartialError is returned when some actions failed.
type PartialError struct {
	Result *Result
	Resume string // the command that continues the run
}

// FailedStep describes the first step that failed ("create listener HTTP:5000").
func (e *PartialError) FailedStep() string {
	for _, id := range e.Result.Failed {
		if w := e.Result.whats[id]; w != "" {
			return w
		}
		return id.String()
	}
	return ""
}

func (e *PartialError) Error() string {
	r := e.Result
	msg := fmt.Sprintf("apply failed: %d succeeded, %d failed, %d skipped", len(r.Succeeded), len(r.Failed), len(r.Skipped))
	for _, id := range r.Succeeded {
		msg += fmt.Sprintf("\n  %s: done", id)
	}
	for _, id := range r.Failed {
		msg += fmt.Sprintf("\n  %s: %v", id, r.errs[id])
	}
	for _, id := range r.Skipped {
		msg += fmt.Sprintf("\n  %s: skipped", id)
	}
	return msg
}

// InterruptedError is returned when the run was stopped (Ctrl-C, --timeout)
// between steps: nothing is half-done, some steps were not started.
type InterruptedError struct {
	Result *Result
	Total  int
	Mode   string // up | down
	Cause  error  // the context's error, nil for an interrupt
	Resume string // the command that continues the run
}

func (e *InterruptedError) Error() string {
	why := "interrupted"
	if e.Cause != nil {
		why = "stopped: " + e.Cause.Error()
	}
	return fmt.Sprintf("%s: %d of %d steps done, %d not started", why, len(e.Result.Succeeded), e.Total, len(e.Result.Skipped))
}

// Hint tells the user how to resume.
func (e *InterruptedError) Hint() string {
	return fmt.Sprintf("run `%s` again to finish: it continues from what exists", resume(e.Resume, e.Mode))
}

func resume(cmd, mode string) string {
	if cmd != "" {
		return cmd
	}
	if mode == "" {
		mode = "up"
	}
	return "wsdeploy " + mode
}

func (e *InterruptedError) Unwrap() error { return e.Cause }

// Hint tells the user what to do next: what the first failure's own hint
// says, then how to continue.
func (e *PartialError) Hint() string {
	again := fmt.Sprintf("run `%s` again: %s", resume(e.Resume, e.mode()), continues(e.mode()))
	cause := e.Unwrap()
	if cloud.IsRetryable(cause) {
		return "the cloud was busy, throttling or did not answer: " + again
	}
	var h interface{ Hint() string }
	if errors.As(cause, &h) && h.Hint() != "" {
		// A hint whose last step is to run the command again says what
		// comes before it as Fix: the command is named once, here.
		if f, ok := h.(interface{ Fix() string }); ok {
			if f.Fix() == "" {
				return again
			}
			return f.Fix() + "; then " + again
		}
		return h.Hint() + "; then " + again
	}
	return "fix the cause above and " + again
}

// continues says what running the command of mode again does.
func continues(mode string) string {
	if mode == "down" {
		return "it deletes what is left of the stack"
	}
	return "it continues from what exists and never creates duplicates"
}

func (e *PartialError) mode() string {
	if e.Result != nil {
		return e.Result.mode
	}
	return ""
}

// Unwrap exposes the first failure (for cloud.Error inspection).
func (e *PartialError) Unwrap() error {
	for _, id := range e.Result.Failed {
		return e.Result.errs[id]
	}
	return nil
}

// Apply runs the plan.
func (e *Engine) Apply(ctx context.Context, p *plan.Plan) (*Result, error) {
	res := &Result{Errors: map[plan.Addr]string{}, Created: map[plan.Addr]string{}, errs: map[plan.Addr]error{}, whats: map[plan.Addr]string{}, mode: p.Mode}
	state := map[plan.Addr]EventKind{}
	var mu sync.Mutex
	done := make(chan plan.Addr)
	running := 0
	ea := newEarly(p) // earlygroup.go
	byID := map[plan.Addr]*plan.Action{}
	for i := range p.Actions {
		byID[p.Actions[i].ID] = &p.Actions[i]
	}
	for {
		// Start every action whose dependencies are settled.
		mu.Lock()
		progress := false
		for i := range p.Actions {
			a := &p.Actions[i]
			if _, seen := state[a.ID]; seen {
				continue
			}
			ready, blocked, after := true, plan.Addr{}, plan.Addr{}
			for _, d := range a.DependsOn {
				switch state[d] {
				case Succeeded:
				case Failed, Skipped:
					blocked = d
				case Started:
					if ea.startsBefore(a, d) {
						after = d // a reports its end only after d's
						continue
					}
					ready = false
				default:
					ready = false
				}
			}
			if blocked != (plan.Addr{}) || (ready && (ctx.Err() != nil || e.interrupted())) {
				state[a.ID] = Skipped
				res.Skipped = append(res.Skipped, a.ID)
				why := "because " + blocked.String() + " did not succeed"
				if blocked == (plan.Addr{}) {
					why = "because the run was interrupted"
				}
				e.emit(Event{Kind: Skipped, Action: a.ID, Op: a.Op, What: what(a), Detail: why})
				progress = true
				continue
			}
			if !ready {
				continue
			}
			state[a.ID] = Started
			running++
			progress = true
			go func(a *plan.Action, after plan.Addr) {
				defer close(ea.ended[a.ID])
				start := time.Now()
				e.emit(Event{Kind: Started, Action: a.ID, Op: a.Op, What: what(a)})
				id, err := e.run(ctx, p, a, res, &mu, ea)
				if after != (plan.Addr{}) {
					<-ea.ended[after]
				}
				mu.Lock()
				if err != nil {
					state[a.ID] = Failed
					res.Failed = append(res.Failed, a.ID)
					res.errs[a.ID] = err
					res.whats[a.ID] = what(a)
					res.Errors[a.ID] = err.Error()
				} else {
					state[a.ID] = Succeeded
					res.Succeeded = append(res.Succeeded, a.ID)
					if id != "" {
						res.Created[a.ID] = id
					}
				}
				mu.Unlock()
				if err != nil {
					e.emit(Event{Kind: Failed, Action: a.ID, Op: a.Op, What: what(a), Detail: err.Error(), Elapsed: time.Since(start)})
				} else {
					e.emit(Event{Kind: Succeeded, Action: a.ID, Op: a.Op, What: what(a), Detail: id, Elapsed: time.Since(start)})
				}
				done <- a.ID
			}(a, after)
		}
		all := len(state) == len(p.Actions)
		mu.Unlock()
		if progress {
			continue
		}
		if running == 0 {
			if !all {
				return res, fmt.Errorf("plan has a dependency cycle or unknown dependency")
			}
			break
		}
		select {
		case <-done:
			running--
		case <-ea.wake:
		}
	}
	res.LB = e.madeLB()
	if len(res.Failed) > 0 || len(res.Skipped) > 0 {
		if len(res.Failed) == 0 && (ctx.Err() != nil || e.interrupted()) {
			return res, &InterruptedError{Result: res, Total: len(p.Actions), Mode: p.Mode, Cause: ctx.Err(), Resume: e.Resume}
		}
		return res, &PartialError{Result: res, Resume: e.Resume}
	}
	return res, nil
}

func (e *Engine) interrupted() bool {
	if e.Interrupt == nil {
		return false
	}
	select {
	case <-e.Interrupt:
		return true
	default:
		return false
	}
}

func (e *Engine) emit(ev Event) {
	if e.Events != nil {
		e.Events(ev)
	}
}

func what(a *plan.Action) string {
	if a.Kind == plan.KindServers {
		return a.Kind + ": " + a.Name // "servers: add 2 to wsdeploy-chat"
	}
	return fmt.Sprintf("%s %s %s", a.Op, a.Kind, a.Name)
}

// token derives the ClientToken of one call of an action from the stack, the
// action and its spec, the owned resources the plan started from and the
// stack's epoch. A retried call, a re-run after a crash from the same state
// and a concurrent run all send the same token, so ALB returns the first
// result instead of creating a second resource; `down` moves the epoch on, and
// any change to the owned resources changes the fingerprint, so a token never
// hands back a resource deleted since. A failed job changes none of these,
// so a re-run derives the same token again: the executor that owns the
// product's tokens walks on from it (the ALB executor's token chain).
//
// The app's Cloud Assistant steps run on instances, which neither the epoch
// nor the fingerprint follows: `down --app` leaves the same snapshot behind,
// so the next cycle would send the same RunCommand token and ECS would answer
// the first cycle's invocation, installing nothing. Their plan's epoch also
// carries a digest of the instance's Cloud Assistant record (onInstance,
// apptoken.go), which every cycle moves on (the uninstall, another
// version's install) and a re-run's own earlier command does not; and an app
// step's token hashes what the step does (its AppStep), not where the plan
// put it (its dependencies and reason), so a re-run whose plan no longer
// holds the password step the failed run carried out sends the same token.
func token(p *plan.Plan, a *plan.Action, part int) string {
	var subject any = a
	if a.App != nil {
		// What the step does, not where the plan put it: a re-run whose
		// plan lost an action before it (the password made by the failed
		// run) sends the same tokens.
		subject = struct {
			ID  plan.Addr
			Op  plan.Op
			App *plan.AppStep
		}{a.ID, a.Op, a.App}
	}
	payload, _ := json.Marshal(subject)
	h := sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%s|%s|%d|%s", p.Epoch, p.Observed, p.Stack, a.ID, part, payload)))
	return "wsd-" + hex.EncodeToString(h[:])[:40]
}

// executor returns how to carry out steps on a kind of load balancer.
func (e *Engine) executor(kind string) (Executor, error) {
	lb := e.ALB
	if kind == "clb" {
		lb = e.CLB
	}
	if lb == nil {
		return nil, fmt.Errorf("no way to carry out steps on a load balancer of kind %q", kind)
	}
	return lb, nil
}

func (e *Engine) run(ctx context.Context, p *plan.Plan, a *plan.Action, res *Result, mu *sync.Mutex, ea *early) (string, error) {
	kind, lbID := p.LB.Type, p.LB.ID
	if a.On != nil {
		kind, lbID = a.On.Type, a.On.ID
	}
	p, lbID = e.onMade(p, a, lbID) // a load balancer this run created (lb.go)
	var lb Executor
	if a.Kind != plan.KindDNSRecord && a.Kind != plan.KindSecurityRule && (a.App == nil || a.App.Drain != nil) {
		var err error
		if lb, err = e.executor(kind); err != nil {
			return "", err
		}
	}
	progress := func(status string, waited time.Duration) {
		e.emit(Event{Kind: Waiting, Action: a.ID, Op: a.Op, What: what(a), Detail: status, Elapsed: waited})
	}
	groupID := func(ref plan.ServerGroupRef) (string, error) {
		if ref.ID != "" {
			return ref.ID, nil
		}
		mu.Lock()
		defer mu.Unlock()
		id := res.Created[ref.FromAction]
		if id == "" {
			id = ea.groups[ref.FromAction] // created, its check under way (earlygroup.go)
		}
		if id == "" {
			return "", fmt.Errorf("server group of %s is unknown (%s did not report an ID)", a.ID, ref.FromAction)
		}
		return id, nil
	}
	tok := token(p, a, 0)
	if a.App != nil {
		return "", e.runApp(ctx, p, a, lb, groupID, progress)
	}
	switch a.Kind {
	case plan.KindServerGroup:
		st := a.ServerGroup
		switch a.Op {
		case plan.Create:
			var id string
			var err error
			if gs, ok := lb.(GroupStarter); ok {
				if id, err = gs.StartGroup(ctx, lbID, st.Spec, tok, progress); err == nil {
					mu.Lock()
					ea.created(a.ID, id)
					mu.Unlock()
					id, err = gs.Settle(ctx, id, progress)
				}
			} else {
				id, err = lb.CreateGroup(ctx, lbID, st.Spec, tok, progress)
			}
			if err != nil {
				return id, fmt.Errorf("create server group %s: %w", st.Spec.Name, err)
			}
			return id, nil
		case plan.Update:
			if err := lb.UpdateGroup(ctx, st.ID, st.Spec, tok, progress); err != nil {
				return "", fmt.Errorf("update server group %s: %w", st.ID, err)
			}
			return "", nil
		case plan.Delete:
			if err := lb.DeleteGroup(ctx, st.ID, tok, progress); err != nil {
				return "", fmt.Errorf("delete server group %s: %w", st.ID, err)
			}
			return "", nil
		}
	case plan.KindServers:
		st := a.Servers
		gid, err := groupID(st.Group)
		if err != nil {
			return "", err
		}
		for part, start := 0, 0; start < len(st.Servers); part, start = part+1, start+st.BatchSize {
			batch := st.Servers[start:min(start+st.BatchSize, len(st.Servers))]
			tok := token(p, a, part)
			switch a.Op {
			case plan.Create:
				err = lb.AddServers(ctx, gid, batch, tok, progress)
			case plan.Delete:
				err = lb.RemoveServers(ctx, gid, batch, tok, progress)
			case plan.Update:
				err = lb.SetWeights(ctx, gid, batch, tok, progress)
			}
			if err != nil {
				return "", fmt.Errorf("%s servers %d-%d of %d in server group %s: %w", verb(a.Op), start+1, start+len(batch), len(st.Servers), gid, err)
			}
		}
		return "", nil
	case plan.KindListener:
		st := a.Listener
		var gid string
		if a.Op != plan.Delete {
			var err error
			if gid, err = groupID(st.Group); err != nil {
				return "", err
			}
		}
		switch a.Op {
		case plan.Create:
			id, err := lb.CreateListener(ctx, lbID, st.Spec, gid, tok, progress)
			if ex := (*cloud.ListenerExistsError)(nil); errors.As(err, &ex) {
				id, err = e.adoptListener(ctx, p, a, lb, lbID, gid, ex, progress) // adopt.go
			}
			if err != nil {
				return id, fmt.Errorf("create listener %s: %w", st.Spec.Name(), err)
			}
			return id, nil
		case plan.Update:
			cur := st.Spec
			cur.ID, cur.Status = st.ID, st.Status
			if err := lb.UpdateListener(ctx, lbID, cur, st.Spec, gid, tok, progress); err != nil {
				return "", fmt.Errorf("update listener %s (%s): %w", st.Spec.Name(), st.ID, err)
			}
			return "", nil
		case plan.Delete:
			l := st.Spec
			l.ID = st.ID
			if err := lb.DeleteListener(ctx, lbID, l, tok, progress); err != nil {
				return "", fmt.Errorf("delete listener %s (%s): %w", st.Spec.Name(), st.ID, err)
			}
			return "", nil
		}
	case plan.KindLoadBalancer:
		return e.runLB(ctx, p, a, lb, progress)
	case plan.KindLBTag:
		if err := lb.SetTag(ctx, lbID, a.Tag.Key, a.Tag.Value); err != nil {
			return "", fmt.Errorf("tag load balancer %s with %s: %w", lbID, a.Tag.Key, err)
		}
		return "", nil
	case plan.KindSecurityRule:
		st := a.Rule
		if e.Network == nil {
			return "", errors.New("no way to change security groups")
		}
		switch a.Op {
		case plan.Create:
			if err := e.Network.AuthorizeRule(ctx, st.GroupID, st.Rule); err != nil {
				return "", fmt.Errorf("add rule %s to security group %s: %w", st.Rule, st.GroupID, err)
			}
			return "", nil
		case plan.Delete:
			if err := e.Network.RevokeRule(ctx, st.GroupID, st.Rule.ID); err != nil {
				return "", fmt.Errorf("remove rule %s (%s) from security group %s: %w", st.Rule.ID, st.Rule, st.GroupID, err)
			}
			return "", nil
		}
	case plan.KindDNSRecord:
		r := a.Record.Record
		if a.Record.ValueFrom != (plan.Addr{}) {
			v, err := e.recordTarget(a)
			if err != nil {
				return "", err
			}
			r.Value = v
		}
		switch a.Op {
		case plan.Create:
			id, err := e.DNS.CreateRecord(ctx, r)
			if err != nil {
				return "", fmt.Errorf("create DNS record %s %s: %w", r.FQDN(), r.Type, err)
			}
			if err := e.DNS.SetRemark(ctx, id, r.Remark); err != nil {
				return id, fmt.Errorf("mark DNS record %s (%s) as owned: %w", r.FQDN(), id, err)
			}
			return id, nil
		case plan.Update:
			if err := e.DNS.UpdateRecord(ctx, r); err != nil {
				return "", fmt.Errorf("update DNS record %s (%s): %w", r.FQDN(), r.ID, err)
			}
			if err := e.DNS.SetRemark(ctx, r.ID, r.Remark); err != nil {
				return "", fmt.Errorf("mark DNS record %s (%s) as owned: %w", r.FQDN(), r.ID, err)
			}
			return "", nil
		case plan.Delete:
			if err := e.DNS.DeleteRecord(ctx, r.ID); err != nil {
				return "", fmt.Errorf("delete DNS record %s (%s): %w", r.FQDN(), r.ID, err)
			}
			return "", nil
		}
	}
	return "", errors.New("unknown action " + a.ID.String())
}

func verb(op plan.Op) string {
	switch op {
	case plan.Create:
		return "add"
	case plan.Delete:
		return "remove"
	}
	return "reweight"
}
