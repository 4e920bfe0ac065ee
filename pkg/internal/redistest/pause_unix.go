//go:build unix

package redistest

import (
	"os"
	"syscall"
)

// The signals of Server.Pause.
var stopSignal, contSignal os.Signal = syscall.SIGSTOP, syscall.SIGCONT //nolint:gochecknoglobals // per-platform constants
