package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestBuildRemovesExtraGroups: a stack-tagged server group that is not the
// plan's (left by a lost create or a race) is removed by `up`, after the
// listeners; the plan's group is the one the stack's listeners forward to,
// even when the extra one has the lower ID. A group that a listener the
// stack does not own forwards to stays, with a warning: deleting it would
// touch what something else uses (and wait for ever on the cloud's refusal).
func TestBuildRemovesExtraGroups(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		other       bool // a listener the stack does not own forwards to the extra group
		wantDelete  bool
	}{
		{name: "later copy", extra: "sgp-2", wantDelete: true},
		{name: "earlier copy, unused", extra: "sgp-0", wantDelete: true},
		{name: "used by a listener the stack does not own", extra: "sgp-2", other: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := stack()
			snap := converged(s)
			g := snap.ServerGroups[0]
			g.ID = tt.extra
			snap.ServerGroups = append(snap.ServerGroups, g)
			slices.SortFunc(snap.ServerGroups, func(a, b resource.ServerGroup) int { return strings.Compare(a.ID, b.ID) }) // as the inventory lists them
			if tt.other {
				snap.Listeners = append(snap.Listeners, resource.Listener{ID: "lsn-other", Protocol: "HTTP", Port: 9000, ServerGroupID: tt.extra, Tags: map[string]string{}})
			}
			p, err := Build(s, snap)
			if err != nil {
				t.Fatal(err)
			}
			del := "delete:server-group/" + tt.extra
			got := ids(p)
			if strings.Contains(got, del) != tt.wantDelete {
				t.Fatalf("actions %q: want %s %v", got, del, tt.wantDelete)
			}
			if strings.Contains(got, "sgp-1") {
				t.Errorf("actions %q touch sgp-1, the group the stack's listeners use", got)
			}
			warned := strings.Contains(strings.Join(p.Warnings, "\n"), tt.extra+" ")
			if warned == tt.wantDelete {
				t.Errorf("warnings %q: want a warning about %s only when it stays", p.Warnings, tt.extra)
			}
		})
	}
}
