// What the stack deployed on its instances (app.deploy): the instances'
// deployment tags, their Cloud Assistant agents, and whether the stack's
// Redis password parameter exists.

package inventory

import (
	"context"
	"fmt"
	"sort"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/install"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// CloudAssistant is what the inventory needs of ECS Cloud Assistant.
type CloudAssistant interface {
	// AgentStatus says, per instance ID, whether its agent is running.
	AgentStatus(ctx context.Context, ids []string) (map[string]bool, error)
}

// Secrets is what the inventory needs of OOS encrypted parameters.
type Secrets interface {
	SecretExists(ctx context.Context, name string) (bool, error)
}

// AppState is what the stack deployed on its instances.
type AppState struct {
	// Redis is app.deploy.redis.instance, resolved (nil with a managed Redis).
	Redis *resource.Instance `json:"redis,omitempty"`
	// Backends are backends.servers resolved, in config order (ForUp).
	Backends []resource.Instance `json:"backends,omitempty"`
	// Agents says, per instance ID, whether its Cloud Assistant agent runs (ForUp).
	Agents map[string]bool `json:"agents,omitempty"`
	// Secret says the stack's Redis password parameter exists.
	Secret bool `json:"secret"`
	// Tagged (ForDown) are the instances carrying the stack's deployment tag.
	Tagged []resource.Instance `json:"tagged,omitempty"`
}

// readAppUp resolves the app's instances from the VPC's listing and reads
// their agents and the password parameter.
func (r Reader) readAppUp(ctx context.Context, s *config.Stack, insts []resource.Instance, backends []resource.Backend) (*AppState, error) {
	d := s.DeployOf()
	app := &AppState{}
	byID := map[string]resource.Instance{}
	byName := map[string][]resource.Instance{}
	for _, in := range insts {
		byID[in.ID] = in
		byName[in.Name] = append(byName[in.Name], in)
	}
	for _, b := range backends {
		app.Backends = append(app.Backends, byID[b.InstanceID])
	}
	if d.Redis != nil && d.Redis.Instance != "" {
		ref := d.Redis.Instance
		const path = "app.deploy.redis.instance"
		var in resource.Instance
		if x, ok := byID[ref]; ok {
			in = x
		} else if xs := byName[ref]; len(xs) == 1 {
			in = xs[0]
		} else if len(xs) > 1 {
			return nil, &ResolveError{Problems: []string{fmt.Sprintf("%s: %d ECS instances are named %q; use the instance ID instead", path, len(xs), ref)}}
		} else {
			return nil, &ResolveError{Problems: []string{fmt.Sprintf("%s: no ECS instance %q in the load balancer's VPC (region %s): Redis must be reachable from the backends by its private address; use the ID or name of an instance in that VPC", path, ref, s.Region)}}
		}
		if in.Status != "" && in.Status != "Running" {
			return nil, &ResolveError{Problems: []string{fmt.Sprintf("%s: instance %s is %s, not Running; start it first", path, in.ID, in.Status)}}
		}
		if in.PrivateIP == "" {
			return nil, &ResolveError{Problems: []string{fmt.Sprintf("%s: instance %s has no private (VPC) address", path, in.ID)}}
		}
		app.Redis = &in
	}
	ids := app.instanceIDs()
	w := newReads(ctx)
	w.Go(func(ctx context.Context) error {
		st, err := r.Assistant.AgentStatus(ctx, ids)
		if err != nil {
			return fmt.Errorf("read the Cloud Assistant status of %d instances: %w", len(ids), err)
		}
		app.Agents = st
		return nil
	})
	if app.Redis != nil {
		w.Go(r.readSecret(s, app))
	}
	if err := w.Wait(); err != nil {
		return nil, err
	}
	return app, nil
}

// ReadApp reads, for `down --app`, the instances carrying the stack's
// deployment tag and whether its password parameter exists.
func (r Reader) ReadApp(ctx context.Context, s *config.Stack) (*AppState, error) {
	app := &AppState{}
	w := newReads(ctx)
	w.Go(func(ctx context.Context) error {
		insts, err := r.ECS.List(ctx, resource.InstanceFilter{TagKey: resource.AppTagKey(s.Stack)})
		if err != nil {
			return fmt.Errorf("list the ECS instances stack %s deployed to: %w", s.Stack, err)
		}
		sort.Slice(insts, func(i, j int) bool { return insts[i].ID < insts[j].ID })
		app.Tagged = insts
		return nil
	})
	w.Go(r.readSecret(s, app))
	if err := w.Wait(); err != nil {
		return nil, err
	}
	return app, nil
}

// readSecret is the read of whether the stack's password parameter exists,
// into app.Secret.
func (r Reader) readSecret(s *config.Stack, app *AppState) func(context.Context) error {
	return func(ctx context.Context) error {
		ok, err := r.Secrets.SecretExists(ctx, install.PasswordParameter(s.Stack))
		if err != nil {
			return fmt.Errorf("look up the OOS encrypted parameter %s: %w", install.PasswordParameter(s.Stack), err)
		}
		app.Secret = ok
		return nil
	}
}

func (a *AppState) instanceIDs() []string {
	var ids []string
	if a.Redis != nil {
		ids = append(ids, a.Redis.ID)
	}
	for _, b := range a.Backends {
		ids = append(ids, b.ID)
	}
	return ids
}
