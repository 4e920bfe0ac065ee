package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// progress prints engine events on stderr: one line per event in text mode
// (waits at most every 2 seconds per action), JSON lines with -o json.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	format   render.Format
	lastWait map[string]time.Time
}

func newProgress(w io.Writer, f render.Format) *progress {
	return &progress{w: w, format: f, lastWait: map[string]time.Time{}}
}

func (p *progress) Event(ev apply.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.format == render.JSON {
		b, _ := json.Marshal(ev)
		fmt.Fprintf(p.w, "%s\n", b)
		return
	}
	switch ev.Kind {
	case apply.Started:
		fmt.Fprintf(p.w, "  … %s\n", ev.What)
	case apply.Waiting:
		if time.Since(p.lastWait[ev.Action]) < 2*time.Second {
			return
		}
		p.lastWait[ev.Action] = time.Now()
		fmt.Fprintf(p.w, "    waiting: %s (%s, %s so far)\n", ev.What, ev.Detail, ev.Elapsed.Round(100*time.Millisecond))
	case apply.Succeeded:
		id := ""
		if ev.Detail != "" {
			id = " → " + ev.Detail
		}
		fmt.Fprintf(p.w, "  ✔ %s%s (%s)\n", ev.What, id, ev.Elapsed.Round(100*time.Millisecond))
	case apply.Failed:
		fmt.Fprintf(p.w, "  ✘ %s: %s\n", ev.What, ev.Detail)
	case apply.Skipped:
		fmt.Fprintf(p.w, "  - skipped %s %s\n", ev.What, ev.Detail)
	}
}
