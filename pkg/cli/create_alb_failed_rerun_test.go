package cli_test

// alb.create, the cases a re-run meets after a run that died while the
// stack's ALB was in flight: status of a failed ALB; an ALB whose creation
// fails while the re-run waits for it; a failed ALB still being deleted.
// Every assertion reads the fake's state (Snapshot) or request log (Calls).

import (
	"strings"
	"testing"
)

// TestStatusOfCreateFailedALB: status on a stack whose ALB ended
// CreateFailed says so, that it is not billed and that up deletes it and
// creates it again (text and JSON goldens), and writes nothing.
func TestStatusOfCreateFailedALB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	failed := failedALBOf(t, e)
	r := e.run("status")
	if len(r.writes()) != 0 {
		t.Fatalf("status wrote %v", r.writes())
	}
	want := "creation failed (CreateFailed, not billed): `wsdeploy up` deletes it and creates it again"
	if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, failed) {
		t.Fatalf("status lacks %q and %s:\n%s%s", want, failed, r.stdout, r.stderr)
	}
	goldenAt(t, "status/alb-create-failed.txt", r.stdout)
	r = e.run("status", "-o", "json")
	if len(r.writes()) != 0 {
		t.Fatalf("status -o json wrote %v", r.writes())
	}
	if !strings.Contains(r.stdout, `"status": "CreateFailed"`) || !strings.Contains(r.stdout, `"failed": [`) {
		t.Fatalf("status -o json lacks the failed ALB:\n%s", r.stdout)
	}
	goldenAt(t, "status/alb-create-failed.json", r.stdout)
}
