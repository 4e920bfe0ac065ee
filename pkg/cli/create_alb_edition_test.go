package cli_test

// alb.create.edition: an upgrade the ALB API makes in place
// (UpdateLoadBalancerEdition) is an update (~) that keeps the ALB, its ID
// and DNS name; a change it refuses (a downgrade to Basic) is a
// replacement (-/+) whose reason says why. Every assertion reads the fake's
// state (Snapshot) or its request log (Calls).

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// editionConfig is the create stack with edition and deletion protection.
func editionConfig(edition, protect string) string {
	return strings.Replace(createConfig(protect), "edition: Standard", "edition: "+edition, 1)
}

func TestCreatedALBEditionUpgradeInPlace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(editionConfig("Basic", "false"))
	e.mustRun("up", "--yes")
	lbs := stackALBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 || lbs[0].Edition != "Basic" {
		t.Fatalf("after up with Basic: %+v", lbs)
	}
	id, dns := lbs[0].ID, lbs[0].DNSName

	// Basic → Standard: an in-place update of the ALB, no write in plan.
	e.write(editionConfig("Standard", "false"))
	r := e.mustRun("plan")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan made write calls: %v", w)
	}
	golden(t, "create-alb/edition-upgrade.txt", r.stdout)
	if !strings.Contains(r.stdout, "~ load-balancer chat-alb ("+id+")") || !strings.Contains(r.stdout, "edition  Basic → Standard") ||
		strings.Contains(r.stdout, "-/+") {
		t.Fatalf("plan of an edition upgrade is not an in-place update:\n%s", r.stdout)
	}
	r = e.mustRun("plan", "-o", "json")
	golden(t, "create-alb/edition-upgrade.json", r.stdout)

	// up changes the edition of the same ALB: one write, no confirmation needed.
	r = e.mustRun("up")
	if w := r.okWrites(); !slices.Equal(w, []string{"alb UpdateLoadBalancerEdition"}) {
		t.Fatalf("edition upgrade wrote %v", w)
	}
	st := e.fc.Snapshot()
	lbs = stackALBs(st, "chat")
	if len(lbs) != 1 || lbs[0].ID != id || lbs[0].DNSName != dns || lbs[0].Edition != "Standard" || lbs[0].EditionTo != "" {
		t.Fatalf("after the upgrade: %+v, want %s (%s) in edition Standard", lbs, id, dns)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != dns {
		t.Fatalf("record → %q, want %q", rec.Value, dns)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the upgrade:\n%s", r.stdout)
	}

	// Standard → Basic: the API refuses a downgrade; the plan replaces it
	// and says why, and up asks first.
	e.write(editionConfig("Basic", "false"))
	r = e.mustRun("plan")
	golden(t, "create-alb/edition-downgrade.txt", r.stdout)
	if !strings.Contains(r.stdout, "-/+ load-balancer chat-alb (replaces ALB "+id+": edition cannot change in place; ALB changes its edition in place only from Basic") {
		t.Fatalf("plan of a downgrade:\n%s", r.stdout)
	}
	if r := e.run("up"); r.code == 0 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("up of a downgrade without confirmation: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].ID != id || lbs[0].Edition != "Standard" {
		t.Fatalf("after the refused up: %+v", lbs)
	}
}

// TestCreatedALBEditionDowngradeProtected: a downgrade of an ALB whose
// deletion protection stays on is refused before any write, saying what
// the API allows.
func TestCreatedALBEditionDowngradeProtected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(editionConfig("StandardWithWaf", "true"))
	e.mustRun("up", "--yes")
	e.write(editionConfig("Basic", "true"))
	for _, cmd := range [][]string{{"plan"}, {"up", "--yes"}} {
		r := e.run(cmd...)
		if r.code == 0 || len(r.writes()) != 0 ||
			!strings.Contains(r.stderr, "alb.create.edition: changing StandardWithWaf → Basic replaces ALB") ||
			!strings.Contains(r.stderr, "only from Basic to Standard or StandardWithWaf, and from StandardWithWaf to Standard") ||
			!strings.Contains(r.stderr, "To fix: set alb.create.deletionProtection: false") {
			t.Fatalf("%s: exit %d, writes %v\n%s", cmd[0], r.code, r.writes(), r.stderr)
		}
	}
	// StandardWithWaf → Standard is made in place, protection on or not.
	e.write(editionConfig("Standard", "true"))
	r := e.mustRun("up", "--yes")
	if w := r.okWrites(); !slices.Equal(w, []string{"alb UpdateLoadBalancerEdition"}) {
		t.Fatalf("StandardWithWaf → Standard wrote %v", w)
	}
	if lbs := stackALBs(e.fc.Snapshot(), "chat"); len(lbs) != 1 || lbs[0].Edition != "Standard" || !lbs[0].DeletionProtection {
		t.Fatalf("after StandardWithWaf → Standard: %+v", lbs)
	}
}

// TestEditionChangeKilledWhileItWaits: a run killed while it waits for the
// edition change it sent leaves the ALB Configuring, still answering its
// old edition. The next plan waits for it (and shows the edition change);
// the next up waits until it is Active, finds the new edition and sends
// nothing again.
func TestEditionChangeKilledWhileItWaits(t *testing.T) {
	t.Parallel()
	e, clk := newClockEnv(t)
	e.write(editionConfig("Basic", "false"))
	e.mustRun("up", "--yes")
	id := stackALBs(e.fc.Snapshot(), "chat")[0].ID
	e.write(editionConfig("Standard", "false"))

	clk.stop() // the change never ends while the clock stands
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	poll(t, p, true, "UpdateLoadBalancerEdition answered", func() (bool, string) {
		sent := okWriteSet(e.fc.Calls())
		return slices.Contains(sent, "alb UpdateLoadBalancerEdition"), fmt.Sprintf("writes %v", sent)
	})
	_ = p.cmd.Process.Kill()
	p.wait(t)
	if lb := stackALBs(e.fc.Snapshot(), "chat")[0]; lb.Edition != "Basic" || lb.EditionTo != "Standard" {
		t.Fatalf("after the kill: %+v, want Basic changing to Standard", lb)
	}

	r := e.mustRun("plan")
	for _, w := range []string{
		"~ load-balancer chat-alb (" + id + ") (a change is still in progress (an interrupted run's): wait until it is Active)",
		"status   Configuring → Active", "edition  Basic → Standard",
	} {
		if !strings.Contains(r.stdout, w) {
			t.Fatalf("plan lacks %q:\n%s", w, r.stdout)
		}
	}
	if len(r.writes()) != 0 {
		t.Fatalf("plan wrote %v", r.writes())
	}

	e.fc.ResetCalls()
	resumeOnNthRead(t, e, clk, id, 2) // the inventory's read, then the wait's: the change then ends
	r = e.mustRun("up", "--yes")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("up after the killed change wrote %v, want nothing: the change it waited for was done", w)
	}
	lbs := stackALBs(e.fc.Snapshot(), "chat")
	if len(lbs) != 1 || lbs[0].ID != id || lbs[0].Edition != "Standard" {
		t.Fatalf("after the re-run: %+v", lbs)
	}
	if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after the re-run:\n%s", r.stdout)
	}
}
