package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// adoptListener finishes a listener create step that found the stack's own
// listener on its port (ex: another run of the stack created it, even after
// this run's plan read the load balancer, or this run's earlier attempt did):
// the step takes that listener over instead of failing. It is compared with
// the plan's spec, and what differs (another run applied another version of
// the stack file, or has not started the listener yet) is updated as drift
// would be, with the step's next token. Two runs of the same file thus both
// end converged on one listener.
func (e *Engine) adoptListener(ctx context.Context, p *plan.Plan, a *plan.Action, lb Executor, lbID, gid string, ex *cloud.ListenerExistsError, progress cloud.Progress) (string, error) {
	cur, spec := ex.Listener, a.Listener.Spec
	changes := plan.ListenerChanges(cur, spec, gid)
	if len(changes) == 0 {
		progress("already created by another run of the stack ("+cur.ID+"): using it", cloud.Notice)
		return cur.ID, nil
	}
	var fields []string
	for i, c := range changes {
		if i == 3 {
			fields = append(fields, fmt.Sprintf("and %d more", len(changes)-i))
			break
		}
		fields = append(fields, strings.TrimSpace(fmt.Sprintf("%s %s", c.Field, c.Old))+" → "+c.New)
	}
	progress("created by another run of the stack ("+cur.ID+"), differing in "+strings.Join(fields, ", ")+": updating it", cloud.Notice)
	if err := lb.UpdateListener(ctx, lbID, cur, spec, gid, token(p, a, 1), progress); err != nil {
		return cur.ID, fmt.Errorf("update listener %s (%s), which another run of the stack created on the port: %w", spec.Name(), cur.ID, err)
	}
	return cur.ID, nil
}
