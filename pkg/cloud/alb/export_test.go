package alb

import "time"

// MaxChain is maxChain, for the test of the bound.
const MaxChain = maxChain

// SetBusyPause sets the first wait before a step whose job failed as busy is
// sent again, until the test ends.
func SetBusyPause(t interface{ Cleanup(func()) }, d time.Duration) {
	old := busyPause
	busyPause = d
	t.Cleanup(func() { busyPause = old })
}
