package cli

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
)

// RunWith is Run with the Factory adjusted by tweak before the command runs
// (a shorter retry give-up, a working directory of the test's own).
func RunWith(ctx context.Context, args []string, ios IOStreams, build Build, getenv Getenv, tweak func(*cmdutil.Factory)) int {
	f := cmdutil.New(ios.Synchronized(), build, getenv)
	tweak(f)
	return run(ctx, args, f)
}
