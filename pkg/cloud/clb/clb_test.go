package clb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestListListenersPages reads listeners over several pages through the real
// SDK: 25 listeners with pages of 10 are three calls, and nothing is lost.
func TestListListenersPages(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{AsyncDuration: 10 * time.Millisecond})
	cfg.PageSize = 10
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gid, err := c.CreateGroup(ctx, "lb-fake01", "g", map[string]string{resource.OwnerTagKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		if err := c.CreateListener(ctx, "lb-fake01", resource.Listener{Protocol: "HTTP", Port: 8000 + i, IdleTimeout: 30, RequestTimeout: 60,
			ServerGroupID: gid, Description: fmt.Sprintf("l-%d", i), Tags: map[string]string{resource.OwnerTagKey: "t"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	fc.ResetCalls()
	ls, err := c.ListListeners(ctx, "lb-fake01")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 25 {
		t.Fatalf("%d listeners, want 25", len(ls))
	}
	seen := map[int]bool{}
	for _, l := range ls {
		if seen[l.Port] || l.IdleTimeout != 30 || !resource.OwnedBy(l.Tags, "t") || l.ServerGroupID != gid {
			t.Fatalf("bad listener %+v", l)
		}
		seen[l.Port] = true
	}
	if n := len(fc.Calls()); n != 3 {
		t.Fatalf("%d calls for 25 listeners in pages of 10, want 3", n)
	}
}
