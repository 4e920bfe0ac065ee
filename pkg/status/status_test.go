package status

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

func TestIssues(t *testing.T) {
	ok := func() *Report {
		return &Report{
			ServerGroup: &ServerGroup{Backends: []Backend{{InstanceID: "i-1", Port: 5000, Health: "healthy"}, {InstanceID: "i-2", Port: 5000, Weight: 0, Health: "unused"}}},
			DNS:         &DNS{FQDN: "chat.example.com", Exists: true, PointsAtLB: true},
			Drift:       Drift{InSync: true},
		}
	}
	tests := []struct {
		name string
		edit func(r *Report)
		want string // joined issues
	}{
		{name: "all well", want: ""},
		{name: "no dns block", edit: func(r *Report) { r.DNS = nil }, want: ""},
		{name: "drift", edit: func(r *Report) { r.Drift = Drift{Summary: plan.Summary{Update: 2}} }, want: "drift: `wsdeploy up` would make 2 change(s)"},
		{name: "cannot plan", edit: func(r *Report) { r.Drift = Drift{Problems: []string{"a", "b"}} }, want: "drift: `wsdeploy up` cannot plan (2 problem(s))"},
		{name: "unhealthy", edit: func(r *Report) { r.ServerGroup.Backends[0].Health = "unhealthy" }, want: "backend i-1:5000 is unhealthy"},
		{name: "initial", edit: func(r *Report) { r.ServerGroup.Backends[0].Health = "initial" }, want: "backend i-1:5000 is initial"},
		{name: "dns elsewhere", edit: func(r *Report) { r.DNS.PointsAtLB = false }, want: "dns: chat.example.com does not point at the load balancer"},
		{name: "dns missing", edit: func(r *Report) { r.DNS.Exists, r.DNS.PointsAtLB = false, false }, want: "dns: no record for chat.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			if tt.edit != nil {
				tt.edit(r)
			}
			if got := strings.Join(r.Issues(), "; "); got != tt.want {
				t.Fatalf("Issues() = %q, want %q", got, tt.want)
			}
		})
	}
}
