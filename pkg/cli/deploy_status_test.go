package cli_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestDeployStatus: status shows, per instance, what the stack installed
// (its deployment tag on the instance in the fake) and whether that is what
// wsdeploy.yaml asks for.
func TestDeployStatus(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, e *env)
		wants []string
	}{
		{name: "deployed", wants: []string{
			"✔ ECS03 (i-fake03)     redis   os-package       matches wsdeploy.yaml",
			"✔ ECS01 (i-fake01)     wschat  v0.4.0           matches wsdeploy.yaml",
		}},
		{name: "version-change", edit: func(t *testing.T, e *env) { e.write(fmt.Sprintf(deployYAML, "v0.5.0")) }, wants: []string{
			"✔ ECS03 (i-fake03)     redis   os-package       matches wsdeploy.yaml",
			"✘ ECS01 (i-fake01)     wschat  v0.4.0           wsdeploy.yaml wants v0.5.0",
			"✘ ECS02 (i-fake02)     wschat  v0.4.0           wsdeploy.yaml wants v0.5.0",
		}},
		{name: "tag-removed", edit: func(t *testing.T, e *env) {
			// Someone removed ECS02's tag in the console: wsdeploy no longer knows what runs there.
			if err := e.fc.Update(func(st *fakecloud.State) error {
				for i := range st.ECS.Instances {
					if st.ECS.Instances[i].ID != "i-fake02" {
						continue
					}
					var keep []fakecloud.Tag
					for _, tg := range st.ECS.Instances[i].Tags {
						if tg.Key != appTag {
							keep = append(keep, tg)
						}
					}
					st.ECS.Instances[i].Tags = keep
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}, wants: []string{"✘ ECS02 (i-fake02)     wschat  (not installed)  wsdeploy.yaml wants v0.4.0 (not installed;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := deployEnv(t, "v0.4.0")
			e.mustRun("up", "--yes")
			if tt.edit != nil {
				tt.edit(t, e)
			}
			r := e.mustRun("status")
			if w := r.writes(); len(w) != 0 {
				t.Fatalf("status made writes: %v", w)
			}
			for _, w := range tt.wants {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("status lacks %q:\n%s", w, r.stdout)
				}
			}
			goldenAt(t, "status/app-"+tt.name+".txt", r.stdout)
			r = e.mustRun("status", "-o", "json")
			goldenAt(t, "status/app-"+tt.name+".json", r.stdout)
		})
	}
}
