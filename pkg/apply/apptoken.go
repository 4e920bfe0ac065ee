// What an app step's ClientTokens start from besides the plan: the
// instance's Cloud Assistant record.

package apply

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// onInstance returns the plan as a Cloud Assistant step on an instance sees
// it for its ClientTokens (token): the epoch extended with a digest of the
// invocations Cloud Assistant has on record for the instance, leaving out
// those of the step's own command (same name and content).
//
// The plan's epoch and fingerprint follow the load balancer, and neither
// moves for the instances: `down --app` uninstalls and removes the
// deployment tags, so the next `up` plans the same install from the same
// snapshot (a created load balancer is gone with its epoch tag; a CLB has no
// epoch tag), and a version rolled back plans an install it ran before.
// With the same token, ECS answers the earlier invocation and runs nothing.
// Every cycle leaves a run of another command on the instance (the
// uninstall, the other version's install), so the digest, and the token,
// are new. A retried call inside a run reuses the token it was given, and a
// re-run after a crash from the same state finds only its own command added
// to the record, which the digest leaves out: it sends the same token and
// waits for the invocation already sent instead of starting the install a
// second time beside it. A run of another command in between (anyone's)
// only makes the re-run's token new: the command runs again, never an
// earlier cycle's answer.
func (e *Engine) onInstance(ctx context.Context, p *plan.Plan, a *plan.Action) (*plan.Plan, error) {
	st := a.App
	runs, err := e.Commands.Runs(ctx, st.InstanceID)
	if err != nil {
		return nil, fmt.Errorf("read what Cloud Assistant ran on %s (the step's ClientToken depends on it): %w", st.InstanceID, err)
	}
	seen := map[string]bool{}
	var others []string
	for _, r := range runs {
		if (r.Name == st.Command.Name && r.Content == st.Command.Content) || seen[r.InvokeID] {
			continue
		}
		seen[r.InvokeID] = true
		others = append(others, r.InvokeID)
	}
	sort.Strings(others)
	h := sha256.Sum256([]byte(strings.Join(others, "\n")))
	pp := *p
	pp.Epoch = p.Epoch + "~" + hex.EncodeToString(h[:8])
	return &pp, nil
}

// withRunNonce returns the plan as the password step sees it for its
// ClientToken: the epoch extended with a random value made in this run,
// with the password. Every run makes a new password, and an OOS create
// repeated with the first one's token but another value is an error
// (IdempotentParameterMismatch), or, should OOS remember the token of a
// parameter `down --app` deleted, the deleted parameter's answer with
// nothing created. So only the retries of the call inside the run, which
// send the same value, share its token; a re-run finds the parameter by its
// name if the lost create had made it (the plan then has no step for it).
func withRunNonce(p *plan.Plan) (*plan.Plan, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("make the password step's ClientToken: %w", err)
	}
	pp := *p
	pp.Epoch = p.Epoch + "~run-" + hex.EncodeToString(b)
	return &pp, nil
}
