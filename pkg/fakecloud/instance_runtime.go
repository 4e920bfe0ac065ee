package fakecloud

// The instance runtime: test and demo wiring that lets something outside
// the fake act out what a Cloud Assistant command does on an instance. The
// fake still only records commands; with Options.InstanceRuntime set, each
// run that its seed and fault rules decide is a Success is handed to the
// runtime (the instance, the command as sent, the OOS secret parameters it
// references resolved), and stays Running until the runtime returns: nil
// keeps the Success, an error makes it Failed with exit code 1 and the
// error as its output. `wsdeploy demo` uses it to start wschat for
// wsdeploy's install commands, so the demo deploys through the same path
// as a real account. Nothing of it is reachable through the API.

import (
	"context"
	"strings"
)

// InstanceRuntime acts out Cloud Assistant commands (Options.InstanceRuntime).
type InstanceRuntime interface {
	// CommandSucceeded is called, without the fake's lock held (it may call
	// the Server, e.g. SetInstancePorts), for each run decided a Success.
	// ctx ends when the server stops.
	CommandSucceeded(ctx context.Context, c RuntimeCommand) error
}

// RuntimeCommand is one successful run handed to the runtime.
type RuntimeCommand struct {
	InvokeID string
	Instance ECSInstance
	// Name and Content are the command as sent (Content decoded, its
	// {{…}} placeholders as they were).
	Name, Content string
	// Secrets are the values of the OOS secret parameters the content
	// references ({{oos-secret:name}}), by name, as Cloud Assistant would
	// substitute them on the instance.
	Secrets map[string]string
}

// runtimeJob is a run waiting for the runtime.
type runtimeJob struct {
	cmd RuntimeCommand
}

// queueRuntime marks rec, a run decided a Success, as waiting for the
// runtime and queues it on r (startInvocation, under the lock).
func queueRuntime(st *State, r *Request, inv *ECSInvocation, rec *InvocationRecord, in *ECSInstance, content string) {
	if !r.runtime || rec.Status != "Success" {
		return
	}
	secrets := map[string]string{}
	for _, name := range inv.SecretParameters {
		if p := st.secretParameter(name); p != nil {
			secrets[name] = p.Value().Reveal()
		}
	}
	rec.RuntimePending = true
	r.runtimeJobs = append(r.runtimeJobs, runtimeJob{cmd: RuntimeCommand{
		InvokeID: inv.ID, Instance: *in, Name: inv.Name, Content: content, Secrets: secrets,
	}})
}

// startRuntime hands the queued runs to the runtime, one after another, in
// the background, and records each outcome. Caller holds s.mu.
func (s *Server) startRuntime(jobs []runtimeJob) {
	rt := s.opts.InstanceRuntime
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	go func() {
		defer cancel()
		for _, j := range jobs {
			err := rt.CommandSucceeded(ctx, j.cmd)
			if aerr := s.locked(func() *APIError {
				inv := s.st.invocation(j.cmd.InvokeID)
				if inv == nil {
					return nil
				}
				for i := range inv.Instances {
					rec := &inv.Instances[i]
					if rec.InstanceID != j.cmd.Instance.ID || !rec.RuntimePending {
						continue
					}
					rec.RuntimePending = false
					if err != nil {
						rec.Status, rec.ExitCode = "Failed", 1
						rec.Output = strings.TrimRight(err.Error(), "\n") + "\n"
					}
				}
				return nil
			}); aerr != nil {
				s.logf("fakecloud: record the runtime's outcome of %s on %s: %s", j.cmd.InvokeID, j.cmd.Instance.ID, aerr.Message)
			}
		}
	}()
}
