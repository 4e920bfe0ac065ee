package verify

import (
	"fmt"
	"io"
	"strings"
)

// Status is the outcome of one check.
type Status string

// Statuses. Only Fail makes a report fail.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // works, but something needs attention, or a check was inconclusive
	Skip Status = "skip" // not run: not asked for, not applicable, or a prerequisite failed
)

// Check names, in the order they run.
const (
	CheckDNS       = "dns"
	CheckTCP       = "tcp"
	CheckTLS       = "tls"
	CheckUpgrade   = "upgrade"
	CheckClients   = "clients"
	CheckBroadcast = "broadcast"
	CheckFanout    = "fan-out"
	CheckLatency   = "latency"
	CheckIdle      = "idle"
)

// Result is what one check found.
type Result struct {
	Check   string   `json:"check"`
	Status  Status   `json:"status"`
	Summary string   `json:"summary"`
	Details []string `json:"details,omitempty"`
	// Hint says what to do about a failure, a warning, or a check that could
	// not be made.
	Hint string `json:"hint,omitempty"`
	// Metrics are the check's numbers (durations in milliseconds).
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// ClientInfo says which backend one test client reached.
type ClientInfo struct {
	Client  int    `json:"client"`
	Backend string `json:"backend,omitempty"`
}

// TargetReport is the result of every check against one target.
type TargetReport struct {
	URL     string       `json:"url"`
	Addr    string       `json:"addr"`
	Dialed  []string     `json:"dialed,omitempty"` // explicit dial addresses, when given
	Clients []ClientInfo `json:"clients,omitempty"`
	Results []Result     `json:"checks"`
}

// Report is the result of a verify run.
type Report struct {
	OK       bool           `json:"ok"`
	Passed   int            `json:"passed"`
	Failed   int            `json:"failed"`
	Warnings int            `json:"warnings"`
	Skipped  int            `json:"skipped"`
	Targets  []TargetReport `json:"targets"`
}

func (r *Report) tally() {
	r.Passed, r.Failed, r.Warnings, r.Skipped = 0, 0, 0, 0
	for _, t := range r.Targets {
		for _, res := range t.Results {
			switch res.Status {
			case Pass:
				r.Passed++
			case Fail:
				r.Failed++
			case Warn:
				r.Warnings++
			case Skip:
				r.Skipped++
			}
		}
	}
	r.OK = r.Failed == 0
}

// Find returns the result of check against the target whose URL is url
// ("" = the first target).
func (r *Report) Find(url, check string) (Result, bool) {
	for _, t := range r.Targets {
		if url != "" && t.URL != url {
			continue
		}
		for _, res := range t.Results {
			if res.Check == check {
				return res, true
			}
		}
		return Result{}, false
	}
	return Result{}, false
}

var marks = map[Status]string{Pass: "✔", Fail: "✘", Warn: "!", Skip: "–"}

// WriteText prints the report as a checklist: a ✔/✘/!/– line per check with
// its numbers, its details indented below, and a "To fix:" line for each
// failure, warning and skip that has a hint.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for i, t := range r.Targets {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Verifying %s", t.URL)
		if len(t.Dialed) > 0 {
			fmt.Fprintf(&b, " (connecting to %s)", strings.Join(t.Dialed, ", "))
		}
		b.WriteString("\n")
		for _, res := range t.Results {
			fmt.Fprintf(&b, "  %s %-10s %s\n", marks[res.Status], res.Check, res.Summary)
			for _, d := range res.Details {
				fmt.Fprintf(&b, "               %s\n", d)
			}
			if res.Hint != "" && res.Status != Pass {
				fmt.Fprintf(&b, "               To fix: %s\n", res.Hint)
			}
		}
	}
	fmt.Fprintf(&b, "\n%d passed, %d failed, %d warning(s), %d skipped\n", r.Passed, r.Failed, r.Warnings, r.Skipped)
	_, err := io.WriteString(w, b.String())
	return err
}
