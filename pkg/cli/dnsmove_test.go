package cli_test

import (
	"strings"
	"testing"
)

// TestDNSNameChange: when dns.rr changes, up moves the record (the old one is
// the stack's, so it goes), and down finds the stack's records wherever they are.
func TestDNSNameChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("up")
	e.write(strings.Replace(stackYAML, "rr: chat", "rr: ws", 1))
	r := e.mustRun("plan")
	for _, w := range []string{"- dns-record chat.example.com CNAME", "the stack's name is now ws.example.com", "+ dns-record ws.example.com CNAME"} {
		if !strings.Contains(r.stdout, w) {
			t.Fatalf("plan lacks %q:\n%s", w, r.stdout)
		}
	}
	if r := e.run("up"); r.code != 1 || len(r.writes()) != 0 {
		t.Fatalf("up deleting a DNS record without --yes: exit %d, writes %v", r.code, r.writes())
	}
	e.mustRun("up", "--yes")
	var names []string
	for _, d := range e.fc.Snapshot().DNS.Domains {
		for _, rec := range d.Records {
			if rec.Remark == "wsdeploy:chat" {
				names = append(names, rec.RR)
			}
		}
	}
	if strings.Join(names, ",") != "ws" {
		t.Fatalf("owned records after the move: %v, want [ws]", names)
	}
	if r := e.mustRun("up"); len(r.writes()) != 0 || r.reads() > 8 {
		t.Fatalf("converged after the move: %d reads, writes %v", r.reads(), r.writes())
	}

	// The file changes its name again, and down is run without an up: the record at ws is still found.
	e.write(strings.Replace(stackYAML, "rr: chat", "rr: other", 1))
	e.mustRun("down", "--yes")
	if _, _, rec := owned(e.fc.Snapshot(), "chat"); rec != 0 {
		t.Fatalf("down left %d owned records", rec)
	}
}
