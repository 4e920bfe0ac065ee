// The app's steps (app.deploy): Cloud Assistant commands on the instances,
// their deployment tags, the stack's Redis password parameter, and the
// rolling update's weights.

package apply

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Commands is what the engine needs of ECS to deploy the app.
type Commands interface {
	RunCommand(ctx context.Context, instanceID, name, content string, timeoutSec int64, token string, p cloud.Progress) (cloud.Invocation, error)
	// Runs lists the invocations Cloud Assistant has on record for an
	// instance (the app steps' ClientTokens depend on them: apptoken.go).
	Runs(ctx context.Context, instanceID string) ([]cloud.Run, error)
	SetTag(ctx context.Context, instanceID, key, value string) error
	RemoveTag(ctx context.Context, instanceID, key string) error
}

// SecretStore keeps the stack's Redis password (OOS encrypted parameters).
type SecretStore interface {
	CreateSecret(ctx context.Context, name, value, description string, tags map[string]string, token string) error
	DeleteSecret(ctx context.Context, name string) error
}

// CommandError is a Cloud Assistant command that failed on an instance.
type CommandError struct {
	Instance, Command, InvokeID, Status string
	ExitCode                            int64
	ErrorCode, ErrorInfo                string
	// Tail is the end of the command's output, secrets redacted.
	Tail string
	// Drained names the server group the instance was left at weight 0 in ("" if none).
	Drained string
	Resume  string
}

func (e *CommandError) Error() string {
	msg := fmt.Sprintf("command %s on %s ended %s with exit code %d (invocation %s)", e.Command, e.Instance, e.Status, e.ExitCode, e.InvokeID)
	if e.ErrorCode != "" {
		msg += fmt.Sprintf(": %s %s", e.ErrorCode, e.ErrorInfo)
	}
	if e.Tail != "" {
		msg += "; the end of its output:\n    " + strings.ReplaceAll(strings.TrimRight(e.Tail, "\n"), "\n", "\n    ")
	}
	return msg
}

// Hint says what to do; the rolling update stopped here.
func (e *CommandError) Hint() string {
	h := "the rolling update stopped at " + e.Instance + " and the other backends are untouched: fix what the output above says (on the instance, or in app.deploy)"
	if e.Drained != "" {
		h += "; " + e.Instance + " stays at weight 0 in " + e.Drained + " until a run succeeds there"
	}
	return h
}

// tailLines is how much of a failed command's output is shown.
const tailLines = 20

var secretInURL = regexp.MustCompile(`(rediss?://[^:@/\s]*:)[^@\s]+@`)
var secretInEnv = regexp.MustCompile(`(?i)(REDIS_PASSWORD=|REDISCLI_AUTH=|requirepass\s+)[^\s]+`)

// madePassword is the shape of the passwords wsdeploy makes (newPassword):
// the engine does not know one made by an earlier run, but knows its shape.
var madePassword = regexp.MustCompile(`\b[0-9a-f]{48}\b`)

// redact removes the secrets the engine knows of (made in this run) and
// anything shaped like a password from command output.
func (e *Engine) redact(s string) string {
	e.secretsMu.Lock()
	for _, v := range e.secretValues {
		s = strings.ReplaceAll(s, v, "[REDACTED]")
	}
	e.secretsMu.Unlock()
	s = secretInURL.ReplaceAllString(s, "${1}[REDACTED]@")
	s = madePassword.ReplaceAllString(s, "[REDACTED]")
	return secretInEnv.ReplaceAllString(s, "${1}[REDACTED]")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	out := strings.Join(lines, "\n")
	if len(out) > 4096 {
		out = "…" + out[len(out)-4096:]
	}
	return out
}

// appState is the engine's memory of the secrets it made (for redaction).
type appState struct {
	secretsMu    sync.Mutex
	secretValues []string
}

func newPassword() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (e *Engine) runApp(ctx context.Context, p *plan.Plan, a *plan.Action, lb Executor, groupID func(plan.ServerGroupRef) (string, error), progress cloud.Progress) error {
	st := a.App
	if st.Role == "secret" {
		if e.Secrets == nil {
			return errors.New("no OOS client to keep the Redis password")
		}
		switch a.Op {
		case plan.Create:
			pw, err := newPassword()
			if err != nil {
				return fmt.Errorf("make the Redis password: %w", err)
			}
			e.secretsMu.Lock()
			e.secretValues = append(e.secretValues, pw)
			e.secretsMu.Unlock()
			pp, err := withRunNonce(p)
			if err != nil {
				return err
			}
			if err := e.Secrets.CreateSecret(ctx, st.Secret, pw, "Redis password of wsdeploy stack "+p.Stack+" (wschat user)",
				map[string]string{resource.OwnerTagKey: p.Stack}, token(pp, a, 0)); err != nil {
				return fmt.Errorf("create OOS encrypted parameter %s: %w", st.Secret, err)
			}
			return nil
		case plan.Delete:
			if err := e.Secrets.DeleteSecret(ctx, st.Secret); err != nil {
				return fmt.Errorf("delete OOS encrypted parameter %s: %w", st.Secret, err)
			}
			return nil
		}
		return errors.New("unknown secret step " + a.ID.String())
	}
	if e.Commands == nil {
		return errors.New("no ECS client to run Cloud Assistant commands")
	}
	p, err := e.onInstance(ctx, p, a)
	if err != nil {
		return err
	}
	key := resource.AppTagKey(p.Stack)
	drained := ""
	if d := st.Drain; d != nil {
		gid, err := groupID(d.Group)
		if err != nil {
			return err
		}
		out := d.Backend
		out.Weight = 0
		progress("weight 0 in "+gid+": new connections go to the other backends", 0)
		if err := lb.SetWeights(ctx, gid, []resource.Backend{out}, token(p, a, 1), progress); err != nil {
			return fmt.Errorf("set %s's weight to 0 in server group %s: %w", st.InstanceID, gid, err)
		}
		drained = gid
	}
	c := st.Command
	inv, err := e.Commands.RunCommand(ctx, st.InstanceID, c.Name, c.Content, int64(c.Timeout), token(p, a, 0), progress)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", c.Name, st.InstanceID, err)
	}
	if !inv.OK() {
		return &CommandError{
			Instance: st.InstanceID, Command: c.Name, InvokeID: inv.InvokeID, Status: inv.Status, ExitCode: inv.ExitCode,
			ErrorCode: inv.ErrorCode, ErrorInfo: e.redact(inv.ErrorInfo), Tail: e.redact(tail(inv.Output, tailLines)), Drained: drained,
		}
	}
	if a.Op == plan.Delete {
		if err := e.Commands.RemoveTag(ctx, st.InstanceID, key); err != nil {
			return fmt.Errorf("remove tag %s from %s: %w", key, st.InstanceID, err)
		}
		return nil
	}
	if st.Drain != nil {
		// The load balancer reports it healthy (and its weight is back)
		// before the roll moves on (rollhealth.go).
		if err := e.awaitHealthy(ctx, p, a, lb, drained, progress); err != nil {
			return err
		}
	}
	if err := e.Commands.SetTag(ctx, st.InstanceID, key, st.Tag); err != nil {
		return fmt.Errorf("tag %s with %s: %w", st.InstanceID, key, err)
	}
	return nil
}
