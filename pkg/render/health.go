package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/health"
)

// The progress of `up --wait-healthy` on stderr: health.started, then
// health.waiting for each round that finds a backend not healthy yet, then
// health.ready (or the error); health.skipped when there is nothing to wait
// for.

// healthRepeat is how often text mode repeats an unchanged waiting line.
const healthRepeat = 10 * time.Second

// HealthStarted says that up waits for the backends to be healthy; check
// is the health check, as people write it ("GET /healthz every 2s, healthy
// after 3 passes").
func (l *Log) HealthStarted(backends int, listeners []string, check string) {
	msg := fmt.Sprintf("Waiting for %d backend(s) to be healthy on %s (%s)…", backends, strings.Join(listeners, ", "), check)
	l.emit(struct {
		head
		Backends  int      `json:"backends"`
		Listeners []string `json:"listeners"`
	}{head{LevelInfo, "health.started", msg}, backends, listeners}, "\n"+msg)
}

// HealthWaiting reports a round of reads that found backends not healthy
// yet: every round with -o json; in text mode when what it found changed,
// and at least every 10 seconds.
func (l *Log) HealthWaiting(p health.Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	waiting := p.Waiting()
	msg := fmt.Sprintf("waiting: %d of %d backend(s) healthy; %s (%s so far)", p.Healthy, p.Backends, strings.Join(waiting, "; "), p.Elapsed.Round(100*time.Millisecond))
	if l.format == JSON {
		l.emitLocked(struct {
			head
			health.Progress
			ElapsedMs int64 `json:"elapsedMs"`
		}{head{LevelInfo, "health.waiting", msg}, p, p.Elapsed.Milliseconds()}, "")
		return
	}
	key := strings.Join(waiting, "\n")
	if key == l.lastHealth && time.Since(l.lastHealthAt) < healthRepeat {
		return
	}
	l.lastHealth, l.lastHealthAt = key, time.Now()
	l.emitLocked(nil, "  "+msg)
}

// HealthReady says that every backend is healthy on every listener.
func (l *Log) HealthReady(p health.Progress) {
	msg := fmt.Sprintf("%d backend(s) healthy on %s (%s).", p.Backends, strings.Join(p.Listeners, ", "), p.Elapsed.Round(100*time.Millisecond))
	l.emit(struct {
		head
		Backends  int      `json:"backends"`
		Listeners []string `json:"listeners"`
		ElapsedMs int64    `json:"elapsedMs"`
	}{head{LevelInfo, "health.ready", msg}, p.Backends, p.Listeners, p.Elapsed.Milliseconds()}, fmt.Sprintf("%s %s", mark(l.cs, true), msg))
}

// HealthSkipped says that there is no backend health to wait for, and why.
func (l *Log) HealthSkipped(reason string) {
	msg := "Not waiting for backend health: " + reason + "."
	l.emit(struct {
		head
		Reason string `json:"reason"`
	}{head{LevelInfo, "health.skipped", msg}, reason}, "\n"+msg)
}
