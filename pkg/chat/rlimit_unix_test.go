//go:build unix

package chat_test

import "syscall"

// raiseFDLimit lifts the soft (and, when allowed, hard) limit on open files
// to at least n, and returns the limit in force.
func raiseFDLimit(n uint64) uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0
	}
	if lim.Cur >= n {
		return lim.Cur
	}
	want := lim
	want.Cur = n
	if want.Max < n {
		want.Max = n
	}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) != nil {
		want = lim
		want.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want)
	}
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	return lim.Cur
}
