// The app's part of a plan (app.deploy): the stack's Redis password
// parameter, Redis on its instance, wschat on each backend (one after
// another on a rolling update, all at once on a first install), all before
// the load balancer's and DNS's steps, so nothing points traffic at a
// backend that is not installed.

package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/install"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Kinds of the app's actions.
const (
	KindAppSecret = "app-secret" // the stack's OOS encrypted parameter with the Redis password
	KindRedis     = "redis"      // Redis on its instance
	KindWschat    = "wschat"     // wschat on one backend
)

// AppStep runs one Cloud Assistant command on an instance and records it in
// the instance's deployment tag, or creates or deletes the stack's password
// parameter. It holds no secret: commands reference the password as
// {{oos-secret:NAME}}.
type AppStep struct {
	Role       string `json:"role"` // redis | wschat | secret
	InstanceID string `json:"instanceId,omitempty"`
	// Secret is the OOS encrypted parameter's name (never its value).
	Secret string `json:"secret,omitempty"`
	// Command is the command to run (its Content is in the saved plan too:
	// applying a saved plan runs exactly what was reviewed).
	Command *CommandStep `json:"command,omitempty"`
	// Tag is the value of the instance's deployment tag after the command
	// succeeded ("" on delete: the tag is removed).
	Tag string `json:"tag,omitempty"`
	// Drain, on a backend that is serving, takes it out of its server group
	// (weight 0) while the command runs and puts it back after.
	Drain *DrainStep `json:"drain,omitempty"`
}

// CommandStep is a Cloud Assistant command.
type CommandStep struct {
	Name    string `json:"name"`
	Content string `json:"content"`
	Hash    string `json:"hash"`
	Timeout int    `json:"timeoutSeconds"`
}

// DrainStep is a backend's place in the server group during a rolling update.
type DrainStep struct {
	Group   ServerGroupRef   `json:"group"`
	Backend resource.Backend `json:"backend"` // with the weight to restore
	// Health, when the load balancer checks its backends, is where the
	// engine reads that the backend is healthy again before the roll moves
	// on (rollhealth.go); nil with the health check off.
	Health *RollHealth `json:"health,omitempty"`
}

// AgentError lists instances whose Cloud Assistant agent is not running:
// nothing can be installed on them.
type AgentError struct {
	Region    string
	Instances []string // "ECS01 (i-…)"
	IDs       []string
}

func (e *AgentError) Error() string {
	return fmt.Sprintf("app.deploy: Cloud Assistant's agent is not running on %s, so wsdeploy cannot install anything there", strings.Join(e.Instances, ", "))
}

// Hint says how to install the agent.
func (e *AgentError) Hint() string {
	var ids []string
	for i, id := range e.IDs {
		ids = append(ids, fmt.Sprintf("--InstanceId.%d %s", i+1, id))
	}
	return fmt.Sprintf("install (or start) the Cloud Assistant agent on each: in the ECS console, Cloud Assistant → ECS instances → Install, or `aliyun ecs InstallCloudAssistant --RegionId %s %s` and restart the instances; "+
		"instances created from Alibaba Cloud public images since 2017 have it already. Then run the command again", e.Region, strings.Join(ids, " "))
}

// tagValue is the deployment tag's value: role, build and command hash.
func tagValue(role, label, hash string) string { return role + "/" + label + "/" + hash }

func commandStep(c install.Command) *CommandStep {
	return &CommandStep{Name: c.Name, Content: c.Content, Hash: c.Hash, Timeout: install.Timeout}
}

func instanceLabel(in resource.Instance) string {
	if in.Name != "" && in.Name != in.ID {
		return in.Name + " (" + in.ID + ")"
	}
	return in.ID
}

// appActions plans the app's actions for `up`: they run one after another,
// except that a first install runs wschat on every backend at once.
func appActions(s *config.Stack, snap *inventory.Snapshot, group *resource.ServerGroup) ([]Action, error) {
	d, app := s.DeployOf(), snap.App
	if d == nil || app == nil {
		return nil, nil
	}
	key := resource.AppTagKey(s.Stack)
	var out []Action
	var needAgent []resource.Instance
	// newPassword: the password parameter is made now, so everything that uses it is installed again.
	newPassword := app.Redis != nil && !app.Secret
	add := func(a Action) {
		if len(out) > 0 {
			a.DependsOn = []Addr{out[len(out)-1].ID}
		}
		out = append(out, a)
	}
	step := func(role string, in resource.Instance, c install.Command, label string, drain *DrainStep) {
		want := tagValue(role, label, c.Hash)
		cur := in.Tags[key]
		if cur == want && !newPassword {
			return
		}
		op, reason := Create, "not installed"
		var ch []Change
		if cur != "" {
			op, reason = Update, "changed"
			if cur == want {
				reason = "the Redis password is new"
			}
			oldRole, rest, _ := strings.Cut(cur, "/")
			oldLabel, oldHash, _ := strings.Cut(rest, "/")
			if oldRole == role && oldLabel != label {
				ch = append(ch, Change{Field: "version", Old: oldLabel, New: label})
			}
			if oldHash != c.Hash {
				ch = append(ch, Change{Field: "command", Old: oldHash, New: c.Hash})
			}
		} else {
			ch = append(ch, Change{Field: "version", New: label}, Change{Field: "command", New: c.Hash})
		}
		if drain != nil {
			reason += "; rolling: weight 0 in " + drain.Group.String() + " while it runs"
			ch = append(ch, Change{Field: "weight during update", Old: itoa(drain.Backend.Weight), New: "0"})
		}
		needAgent = append(needAgent, in)
		add(Action{
			ID: Addr{Op: op, Kind: role, Key: in.ID}, Op: op, Kind: role, Name: instanceLabel(in), Reason: reason, Changes: ch,
			App: &AppStep{Role: role, InstanceID: in.ID, Command: commandStep(c), Tag: want, Drain: drain},
		})
	}

	redis := install.Redis{URL: d.Redis.URL, Secret: d.Redis.PasswordSecret}
	if app.Redis != nil {
		secret := install.PasswordParameter(s.Stack)
		redis = install.Redis{Host: app.Redis.PrivateIP, Secret: secret}
		if newPassword {
			add(Action{
				ID: Addr{Op: Create, Kind: KindAppSecret, Key: secret}, Op: Create, Kind: KindAppSecret, Name: secret,
				Reason:  "missing: the Redis password, made once per stack (its value is never shown)",
				Changes: []Change{{Field: "type", New: "OOS encrypted parameter"}},
				App:     &AppStep{Role: "secret", Secret: secret},
			})
		}
		c, err := install.RedisInstall(app.Redis.PrivateIP, secret)
		if err != nil {
			return nil, err
		}
		step(install.RoleRedis, *app.Redis, c, "os-package", nil)
	}
	rel := install.Release{Version: d.Wschat.Version, URL: d.Wschat.URL, SHA256: d.Wschat.SHA256}
	serving := map[string]resource.Backend{}
	if group != nil {
		for _, b := range snap.Servers[group.ID] {
			serving[b.InstanceID] = b
		}
	}
	type backendStep struct {
		in    resource.Instance
		c     install.Command
		drain *DrainStep
	}
	var backends []backendStep
	for i, in := range app.Backends {
		c, err := install.WschatInstall(install.Backend{
			Name: in.Name, Port: s.Backends.Port, PingInterval: s.Ping().String(),
			AllowedOrigins: s.Origins(), Release: rel, Redis: redis,
		})
		if err != nil {
			return nil, err
		}
		var drain *DrainStep
		if b, ok := serving[in.ID]; ok && b.Weight > 0 && group != nil {
			restore := b
			if i < len(snap.Backends) {
				restore.Weight = snap.Backends[i].Weight
			}
			drain = &DrainStep{Group: ServerGroupRef{ID: group.ID}, Backend: restore, Health: rollHealth(s, snap)}
		}
		backends = append(backends, backendStep{in, c, drain})
	}
	// A first install (no backend takes traffic: nothing to drain) runs on
	// every backend at once, after Redis; a rolling update goes one backend
	// at a time, each back in service before the next is drained.
	parallel := true
	for _, b := range backends {
		if b.drain != nil {
			parallel = false
		}
	}
	before := len(out)
	for _, b := range backends {
		step(install.RoleWschat, b.in, b.c, rel.Label(), b.drain)
	}
	if parallel && len(out)-before > 1 {
		var after []Addr
		if before > 0 {
			after = []Addr{out[before-1].ID}
		}
		for i := before; i < len(out); i++ {
			out[i].DependsOn = append([]Addr(nil), after...)
			out[i].Reason += "; first install: on every backend at once, none takes traffic yet"
		}
	}
	var missing []string
	var ids []string
	for _, in := range needAgent {
		if !app.Agents[in.ID] {
			missing = append(missing, instanceLabel(in))
			ids = append(ids, in.ID)
		}
	}
	if len(missing) > 0 {
		return nil, &AgentError{Region: s.Region, Instances: missing, IDs: ids}
	}
	return out, nil
}

// appTeardown plans `down --app`: remove wschat and Redis from the instances
// the stack deployed to, their tags, and the stack's password parameter,
// after everything in before (the load balancer's and DNS's teardown).
func appTeardown(s *config.Stack, app *inventory.AppState, before []Action) ([]Action, error) {
	if app == nil {
		return nil, nil
	}
	var deps []Addr
	for _, a := range before {
		deps = append(deps, a.ID)
	}
	key := resource.AppTagKey(s.Stack)
	tagged := append([]resource.Instance(nil), app.Tagged...)
	// wschat first, then Redis: the backends stop using it before it goes.
	sort.SliceStable(tagged, func(i, j int) bool {
		return strings.HasPrefix(tagged[i].Tags[key], install.RoleWschat+"/") && !strings.HasPrefix(tagged[j].Tags[key], install.RoleWschat+"/")
	})
	var out []Action
	add := func(a Action) {
		if len(out) > 0 {
			a.DependsOn = []Addr{out[len(out)-1].ID}
		} else {
			a.DependsOn = deps
		}
		out = append(out, a)
	}
	for _, in := range tagged {
		role, _, _ := strings.Cut(in.Tags[key], "/")
		var c install.Command
		var err error
		switch role {
		case install.RoleWschat:
			c, err = install.WschatUninstall()
		case install.RoleRedis:
			c, err = install.RedisUninstall()
		default:
			continue // not a tag wsdeploy writes: leave the instance alone
		}
		if err != nil {
			return nil, err
		}
		add(Action{
			ID: Addr{Op: Delete, Kind: role, Key: in.ID}, Op: Delete, Kind: role, Name: instanceLabel(in), Reason: "down --app",
			Changes: []Change{{Field: "installed", Old: in.Tags[key]}},
			App:     &AppStep{Role: role, InstanceID: in.ID, Command: commandStep(c)},
		})
	}
	if app.Secret {
		secret := install.PasswordParameter(s.Stack)
		add(Action{
			ID: Addr{Op: Delete, Kind: KindAppSecret, Key: secret}, Op: Delete, Kind: KindAppSecret, Name: secret, Reason: "down --app",
			App: &AppStep{Role: "secret", Secret: secret},
		})
	}
	return out, nil
}

// AddAppTeardown adds `down --app`'s steps to a teardown plan: they run
// after its other steps.
func AddAppTeardown(p *Plan, s *config.Stack, app *inventory.AppState) error {
	acts, err := appTeardown(s, app, p.Actions)
	if err != nil {
		return err
	}
	p.Actions = append(p.Actions, acts...)
	p.Summary = summarize(p.Actions)
	return nil
}

// appEnds are the app's actions nothing else of the app waits for: what the
// load balancer's and DNS's steps wait for.
func appEnds(acts []Action) []Addr {
	waited := map[Addr]bool{}
	for _, a := range acts {
		for _, d := range a.DependsOn {
			waited[d] = true
		}
	}
	var out []Addr
	for _, a := range acts {
		if !waited[a.ID] {
			out = append(out, a.ID)
		}
	}
	return out
}
