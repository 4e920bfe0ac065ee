//go:build !unix

package fakecloud

// lockFile is a no-op off unix: a state file is then safe for one process
// only (documented in doc.go).
func lockFile(path string) (func(), error) { return func() {}, nil }
