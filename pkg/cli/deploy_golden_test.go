package cli_test

import (
	"fmt"
	"strings"
	"testing"
)

// clbDeployYAML is deployYAML on the demo world's CLB.
func clbDeployYAML(version string) string {
	return strings.Replace(fmt.Sprintf(deployYAML, version), "lb: alb\nalb: {id: alb-fake01}", "lb: clb\nclb: {id: lb-fake01}", 1)
}

// TestDeployPlanGoldens: what plan shows (text and -o json) for the deploy
// cases: a fresh install on ALB and CLB, a version change (a rolling
// update), a converged stack (no changes) and a managed Redis URL.
func TestDeployPlanGoldens(t *testing.T) {
	managed := strings.Replace(fmt.Sprintf(deployYAML, "v0.4.0"), "redis: {instance: ECS03}", `redis: {url: "rediss://wschat@r-bp1.redis.rds.aliyuncs.com:6380"}`, 1)
	cases := []struct {
		name   string
		before string // applied with up first ("" = nothing)
		config string
	}{
		{"fresh-alb", "", fmt.Sprintf(deployYAML, "v0.4.0")},
		{"fresh-clb", "", clbDeployYAML("v0.4.0")},
		{"version-change", fmt.Sprintf(deployYAML, "v0.4.0"), fmt.Sprintf(deployYAML, "v0.5.0")},
		{"converged", fmt.Sprintf(deployYAML, "v0.4.0"), fmt.Sprintf(deployYAML, "v0.4.0")},
		{"managed-redis", "", managed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			if tc.before != "" {
				e.write(tc.before)
				e.mustRun("up", "--yes")
			}
			e.write(tc.config)
			for _, o := range []string{"txt", "json"} {
				args := []string{"plan"}
				if o == "json" {
					args = append(args, "-o", "json")
				}
				r := e.mustRun(args...)
				if w := r.writes(); len(w) != 0 {
					t.Fatalf("plan wrote %v", w)
				}
				golden(t, "deploy/"+tc.name+"/plan."+o, r.stdout)
			}
		})
	}
}
