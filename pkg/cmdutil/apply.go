package cmdutil

import (
	"bufio"
	"context"
	"errors"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// BuildPlan reads the inventory and plans `up`.
func BuildPlan(ctx context.Context, c *Clients, s *config.Stack) (*plan.Plan, *inventory.Snapshot, error) {
	snap, err := c.Reader().Read(ctx, s, inventory.ForUp)
	if err != nil {
		return nil, nil, err
	}
	p, err := plan.Build(s, snap)
	if err != nil {
		return nil, nil, err
	}
	p.Endpoint = c.Endpoint
	return p, snap, nil
}

// Confirm asks on a terminal; without one it requires yes (--yes).
func (f *Factory) Confirm(output string, yes bool, what string) error {
	if yes {
		return nil
	}
	if !f.IOStreams.InTTY {
		return WithHint(errors.New(what+" Refusing without confirmation: no terminal to ask on"), "re-run with --yes to confirm")
	}
	f.Log(output).Prompt(what)
	line, _ := bufio.NewReader(f.IOStreams.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return Cancelled()
	}
	return nil
}

// Apply applies p, a plan for sess's stack, after asking for confirmation
// when the plan needs it (yes is --yes). cmdCtx is the command's context:
// Ctrl-C cancels it, and the engine then starts no new step, but the steps
// run in a context only --timeout ends, so nothing is left half-done. An
// empty plan is not applied (nil result).
func (f *Factory) Apply(cmdCtx context.Context, sess *Session, o *CloudOptions, yes bool, p *plan.Plan) (*apply.Result, error) {
	if p.Empty() {
		return nil, nil
	}
	if p.NeedsConfirmation() {
		if err := f.Confirm(o.Output, yes, render.ConfirmText(p)); err != nil {
			return nil, err
		}
	}
	log := f.Log(o.Output)
	log.ApplyStarted(p)
	eng := f.Engine(sess.Clients, sess.Stack, log.Action, cmdCtx.Done())
	eng.Resume = Rerun(f.Args)
	if sess.Resume != "" {
		eng.Resume = sess.Resume
	}
	actx, acancel := f.WithTimeout(context.WithoutCancel(cmdCtx), o.Cloud.Timeout)
	applied := make(chan struct{})
	// Tell the user, once, what Ctrl-C does during an apply.
	go func() {
		select {
		case <-cmdCtx.Done():
			log.Interrupt()
		case <-applied:
		}
	}()
	res, err := eng.Apply(actx, p)
	close(applied)
	acancel()
	if err != nil {
		return nil, err
	}
	log.ApplyCompleted(p)
	return res, nil
}
