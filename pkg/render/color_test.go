package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

func colourPlan() *plan.Plan {
	return &plan.Plan{Mode: "up", Stack: "chat", Summary: plan.Summary{Create: 1, Update: 1, Delete: 1}, Actions: []plan.Action{
		{Op: plan.Create, Kind: plan.KindListener, Name: "HTTP:80", Reason: "missing"},
		{Op: plan.Update, Kind: plan.KindListener, Name: "HTTP:5000", Reason: "drifted"},
		{Op: plan.Delete, Kind: plan.KindListener, Name: "HTTPS:443", Reason: "not in wsdeploy.yaml"},
	}}
}

// On a terminal the signs of a plan are coloured, and only they: without
// colour the text is what the goldens hold.
func TestPlanColour(t *testing.T) {
	t.Parallel()
	var plain, none, coloured bytes.Buffer
	if err := Plan(&plain, colourPlan(), Text, nil); err != nil {
		t.Fatal(err)
	}
	if err := Plan(&none, colourPlan(), Text, iostreams.NewColorScheme(false)); err != nil {
		t.Fatal(err)
	}
	if err := Plan(&coloured, colourPlan(), Text, iostreams.NewColorScheme(true)); err != nil {
		t.Fatal(err)
	}
	if none.String() != plain.String() || strings.Contains(plain.String(), "\x1b") {
		t.Fatalf("colour off is not plain text:\n%q\n%q", none.String(), plain.String())
	}
	for _, want := range []string{"  \x1b[32m+\x1b[0m listener HTTP:80", "  \x1b[33m~\x1b[0m listener HTTP:5000", "  \x1b[31m-\x1b[0m listener HTTPS:443"} {
		if !strings.Contains(coloured.String(), want) {
			t.Errorf("coloured plan lacks %q:\n%q", want, coloured.String())
		}
	}
	if stripped := strings.NewReplacer("\x1b[32m", "", "\x1b[33m", "", "\x1b[31m", "", "\x1b[0m", "").Replace(coloured.String()); stripped != plain.String() {
		t.Errorf("colour changed more than the signs:\n%q\n%q", stripped, plain.String())
	}
	var js bytes.Buffer
	if err := Plan(&js, colourPlan(), JSON, iostreams.NewColorScheme(true)); err != nil || strings.Contains(js.String(), "\x1b") {
		t.Errorf("JSON is never coloured: %v\n%s", err, js.String())
	}
}

// Progress: ✔ green, ✘ red on a terminal; never in JSON lines.
func TestLogColour(t *testing.T) {
	t.Parallel()
	ev := func(k apply.EventKind) apply.Event {
		return apply.Event{Kind: k, Action: plan.Addr{Op: plan.Create, Kind: plan.KindListener, Key: "HTTP:80"}, Op: plan.Create, What: "create listener HTTP:80", Detail: "lsn-1", Elapsed: time.Second}
	}
	var on, off, js bytes.Buffer
	for _, c := range []struct {
		w  *bytes.Buffer
		f  Format
		cs *iostreams.ColorScheme
	}{{&on, Text, iostreams.NewColorScheme(true)}, {&off, Text, iostreams.NewColorScheme(false)}, {&js, JSON, iostreams.NewColorScheme(true)}} {
		l := NewLog(c.w, c.f, c.cs)
		l.Action(ev(apply.Succeeded))
		l.Action(ev(apply.Failed))
	}
	if want := "  \x1b[32m✔\x1b[0m create listener HTTP:80 → lsn-1 (1s)\n  \x1b[31m✘\x1b[0m create listener HTTP:80: lsn-1\n"; on.String() != want {
		t.Errorf("coloured:\n%q\nwant\n%q", on.String(), want)
	}
	if want := "  ✔ create listener HTTP:80 → lsn-1 (1s)\n  ✘ create listener HTTP:80: lsn-1\n"; off.String() != want {
		t.Errorf("plain:\n%q\nwant\n%q", off.String(), want)
	}
	if strings.Contains(js.String(), "\x1b") {
		t.Errorf("JSON lines coloured:\n%s", js.String())
	}
}

// Status marks health and DNS with ✔/✘, coloured on a terminal.
func TestStatusColour(t *testing.T) {
	t.Parallel()
	r := &status.Report{Stack: "chat", DNS: &status.DNS{FQDN: "chat.example.com", Exists: false}}
	var on, off bytes.Buffer
	if err := Status(&on, r, Text, iostreams.NewColorScheme(true)); err != nil {
		t.Fatal(err)
	}
	if err := Status(&off, r, Text, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(on.String(), "  \x1b[31m✘\x1b[0m chat.example.com: no record owned by this stack") ||
		!strings.Contains(off.String(), "  ✘ chat.example.com: no record owned by this stack") || strings.Contains(off.String(), "\x1b") {
		t.Fatalf("coloured:\n%s\nplain:\n%s", on.String(), off.String())
	}
}
