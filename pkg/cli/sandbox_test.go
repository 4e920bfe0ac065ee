package cli_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
)

// sandbox is a test's own environment variables and working directory.
// wsdeploy reads both through its Factory, never from the process, so
// tests that each have a sandbox run in parallel (t.Setenv and t.Chdir
// would forbid that).
type sandbox struct {
	mu   sync.Mutex
	vars map[string]string // over the process's environment; "" empties a variable
	// workDir is the working directory of the runs ("" = the process's).
	workDir string
	// giveUp bounds the retrying of an unreachable endpoint (0: the default).
	giveUp time.Duration
}

// setenv sets a variable for the runs in the sandbox.
func (s *sandbox) setenv(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vars == nil {
		s.vars = map[string]string{}
	}
	s.vars[k] = v
}

// setenvT is setenv until t ends, as t.Setenv is for the process.
func (s *sandbox) setenvT(t testing.TB, k, v string) {
	s.mu.Lock()
	old, had := s.vars[k]
	s.mu.Unlock()
	s.setenv(k, v)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if had {
			s.vars[k] = old
		} else {
			delete(s.vars, k)
		}
	})
}

// getenv is the environment of the runs: the sandbox's variables over the process's.
func (s *sandbox) getenv(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.vars[k]; ok {
		return v
	}
	return os.Getenv(k)
}

// environ is the environment of a wsdeploy subprocess in the sandbox.
func (s *sandbox) environ() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	env := os.Environ()
	for k, v := range s.vars {
		env = append(env, k+"="+v) // the last one of a name wins
	}
	return env
}

// runCLI runs wsdeploy in the sandbox, as cli.Run does.
func (s *sandbox) runCLI(ctx context.Context, args []string, ios cli.IOStreams, build cli.Build) int {
	return cli.RunWith(ctx, args, ios, build, s.getenv, func(f *cmdutil.Factory) {
		f.WorkDir = s.workDir
		f.RetryGiveUp = s.giveUp
	})
}
