package cmdutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// LocalCloud is the fake cloud --local serves in-process.
type LocalCloud struct {
	URL, KeyID, Secret string
	Stop               func()
}

// startLocal serves the fake cloud in-process on a loopback port. Its world
// lives in statePath (LocalStatePath under the Factory's WorkDir), so
// separate wsdeploy processes see one cloud. It runs until Stop, whatever
// happens to ctx.
func startLocal(ctx context.Context, statePath string) (*LocalCloud, error) {
	if err := PrepareLocalDir(statePath); err != nil {
		return nil, err
	}
	seed := fakecloud.DemoSeed()
	srv, err := fakecloud.New(fakecloud.Options{Seed: seed, StatePath: statePath, AsyncDuration: 400 * time.Millisecond})
	if err != nil {
		return nil, fmt.Errorf("start the local fake cloud: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the local fake cloud: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = fakecloud.Serve(sctx, ln, srv)
	}()
	return &LocalCloud{
		URL: "http://" + ln.Addr().String(), KeyID: seed.AccessKeys[0].ID, Secret: seed.AccessKeys[0].Secret,
		Stop: func() { cancel(); <-done },
	}, nil
}

// PrepareLocalDir creates the folder of the local world's file statePath,
// which ignores itself so that the local world never lands in a commit.
func PrepareLocalDir(statePath string) error {
	dir := filepath.Dir(statePath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(LocalStatePath), err)
	}
	if ign := filepath.Join(dir, ".gitignore"); !fileExists(ign) {
		if err := os.WriteFile(ign, []byte("# written by wsdeploy --local: the local fake cloud's state\n*\n"), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(filepath.Dir(LocalStatePath), ".gitignore"), err)
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
