//go:build !unix

package redistest

import "os"

// No SIGSTOP here: Server.Pause skips.
var stopSignal, contSignal os.Signal //nolint:gochecknoglobals // per-platform constants
