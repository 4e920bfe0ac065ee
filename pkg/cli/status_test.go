package cli_test

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name  string
				edit  func(e *env)
				wants []string
			}{
				{name: "healthy", wants: []string{"none: the stack matches wsdeploy.yaml", "points at the load balancer"}},
				{
					name: "unhealthy-backend",
					edit: func(e *env) {
						if err := e.fc.Update(func(st *fakecloud.State) error {
							for i := range st.ECS.Instances {
								if st.ECS.Instances[i].ID == "i-fake02" {
									st.ECS.Instances[i].Health = "unhealthy"
								}
							}
							return nil
						}); err != nil {
							t.Fatal(err)
						}
					},
					wants: []string{"✘ i-fake02:5000", "unhealthy"},
				},
				{
					name: "drifted-listener",
					edit: func(e *env) {
						e.write(strings.Replace(clbStack(lb), "idleTimeout: 60, requestTimeout: 60}", "idleTimeout: 30, requestTimeout: 60}", 1))
					},
					wants: []string{"would make 1 change(s)", "idleTimeout: 60 → 30"},
				},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					e.write(clbStack(lb))
					e.mustRun("up", "--lb", lb)
					if tt.edit != nil {
						tt.edit(e)
					}
					r := e.mustRun("status", "--lb", lb)
					if w := r.writes(); len(w) != 0 {
						t.Fatalf("status made writes: %v", w)
					}
					for _, w := range tt.wants {
						if !strings.Contains(r.stdout, w) {
							t.Errorf("status lacks %q:\n%s", w, r.stdout)
						}
					}
					goldenAt(t, "status/"+lb+"-"+tt.name+".txt", r.stdout)
					r = e.mustRun("status", "--lb", lb, "-o", "json")
					goldenAt(t, "status/"+lb+"-"+tt.name+".json", r.stdout)
				})
			}
		})
	}
}

// clbStack is the example stack with a clb block too, so --lb can pick either.
// CLB health checks need a path other than "/".
func clbStack(lb string) string {
	s := strings.Replace(stackYAML, "alb: {id: alb-fake01}", "alb: {id: alb-fake01}\nclb: {id: lb-fake01}", 1)
	s = strings.Replace(s, "    - ECS03\n", "", 1)
	return strings.Replace(s, "  port: 5000\n", "  port: 5000\n  healthCheck: {path: /healthz}\n", 1)
}
