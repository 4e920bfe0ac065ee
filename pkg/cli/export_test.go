package cli

import (
	"testing"
	"time"
)

// SetRetryGiveUp shortens how long a call retries an unreachable endpoint,
// for the test's duration (tests in this package do not run in parallel).
func SetRetryGiveUp(t testing.TB, d time.Duration) {
	old := retryGiveUp
	retryGiveUp = d
	t.Cleanup(func() { retryGiveUp = old })
}
