package status

import (
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// appReport: an instance the plan leaves alone matches; one it installs
// differs (or is not installed); without a plan nothing is compared; a tag
// of another role is not taken for this role's build.
func TestAppReport(t *testing.T) {
	key := resource.AppTagKey("chat")
	app := &inventory.AppState{
		Redis: &resource.Instance{ID: "i-3", Name: "ECS03", Tags: map[string]string{key: "redis/os-package/aaa"}},
		Backends: []resource.Instance{
			{ID: "i-1", Name: "ECS01", Tags: map[string]string{key: "wschat/v0.4.0/bbb"}},
			{ID: "i-2", Name: "i-2", Tags: map[string]string{key: "redis/os-package/ccc"}},
		},
	}
	p := &plan.Plan{Actions: []plan.Action{
		{Reason: "changed", App: &plan.AppStep{InstanceID: "i-1", Tag: "wschat/v0.5.0/ddd"}},
		{Reason: "not installed", App: &plan.AppStep{InstanceID: "i-2", Tag: "wschat/v0.5.0/eee"}},
	}}
	got := appReport("chat", app, p).Instances
	want := []AppInstance{
		{InstanceID: "i-3", Name: "ECS03", Role: "redis", Installed: "os-package", Tag: "redis/os-package/aaa", Wanted: "os-package", State: AppMatches},
		{InstanceID: "i-1", Name: "ECS01", Role: "wschat", Installed: "v0.4.0", Tag: "wschat/v0.4.0/bbb", Wanted: "v0.5.0", State: AppDiffers, Reason: "changed"},
		{InstanceID: "i-2", Role: "wschat", Tag: "redis/os-package/ccc", Wanted: "v0.5.0", State: AppNotInstalled, Reason: "not installed"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d instances, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("instance %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	for _, in := range appReport("chat", app, nil).Instances {
		if in.State != AppUnknown || in.Wanted != "" {
			t.Errorf("without a plan: %+v", in)
		}
	}
	if appReport("chat", nil, p) != nil {
		t.Error("a report without app.deploy")
	}
}
