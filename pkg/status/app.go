// What the stack installed on its instances (app.deploy), from each
// instance's deployment tag, and whether it is what wsdeploy.yaml asks for.

package status

import (
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/install"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// App states of an instance.
const (
	AppMatches      = "matches"       // installed as wsdeploy.yaml asks
	AppDiffers      = "differs"       // `up` would install it again (version, settings or password)
	AppNotInstalled = "not installed" // `up` would install it
	AppUnknown      = "unknown"       // `up` cannot plan: no comparison
)

// App is what app.deploy installed on the stack's instances.
type App struct {
	Instances []AppInstance `json:"instances"`
}

// AppInstance is one instance the stack deploys to: Redis's, then each
// backend in wsdeploy.yaml's order.
type AppInstance struct {
	InstanceID string `json:"instanceId"`
	Name       string `json:"name,omitempty"`
	// Role is what app.deploy puts there: redis or wschat.
	Role string `json:"role"`
	// Installed is the build recorded in the instance's deployment tag
	// (a wschat version, "os-package" for Redis); empty when the tag is absent
	// or names another role.
	Installed string `json:"installed,omitempty"`
	// Tag is the deployment tag's value as read ("role/build/command hash").
	Tag string `json:"tag,omitempty"`
	// Wanted is the build wsdeploy.yaml asks for (empty when unknown).
	Wanted string `json:"wanted,omitempty"`
	// State is matches, differs, not installed or unknown.
	State string `json:"state"`
	// Reason is why `up` would install it again.
	Reason string `json:"reason,omitempty"`
}

// appReport compares each instance's deployment tag with the plan of `up`
// (nil when it could not be made): an instance `up` leaves alone matches.
func appReport(stack string, app *inventory.AppState, p *plan.Plan) *App {
	if app == nil {
		return nil
	}
	key := resource.AppTagKey(stack)
	actions := map[string]plan.Action{}
	if p != nil {
		for _, a := range p.Actions {
			if a.App != nil && a.App.InstanceID != "" {
				actions[a.App.InstanceID] = a
			}
		}
	}
	out := &App{Instances: []AppInstance{}}
	add := func(in resource.Instance, role string) {
		ai := AppInstance{InstanceID: in.ID, Role: role, Tag: in.Tags[key]}
		if in.Name != "" && in.Name != in.ID {
			ai.Name = in.Name
		}
		if r, rest, ok := strings.Cut(ai.Tag, "/"); ok && r == role {
			ai.Installed, _, _ = strings.Cut(rest, "/")
		}
		a, planned := actions[in.ID]
		switch {
		case p == nil:
			ai.State = AppUnknown
		case !planned:
			ai.State, ai.Wanted = AppMatches, ai.Installed
		default:
			ai.State, ai.Reason = AppDiffers, a.Reason
			if ai.Installed == "" {
				ai.State = AppNotInstalled
			}
			if _, rest, ok := strings.Cut(a.App.Tag, "/"); ok {
				ai.Wanted, _, _ = strings.Cut(rest, "/")
			}
		}
		out.Instances = append(out.Instances, ai)
	}
	if app.Redis != nil {
		add(*app.Redis, install.RoleRedis)
	}
	for _, b := range app.Backends {
		add(b, install.RoleWschat)
	}
	return out
}
