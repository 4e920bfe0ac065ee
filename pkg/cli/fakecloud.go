package cli

import (
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

type fakecloudOptions struct {
	addr       string
	seed       string
	state      string
	requestLog string
	async      time.Duration
}

func newCmdFakecloud(g *globals) *cobra.Command {
	opts := &fakecloudOptions{}
	cmd := &cobra.Command{
		Use:   "fakecloud [--addr host:port] [--seed seed.yaml] [--state state.json] [--request-log calls.jsonl]",
		Short: "Serve a faithful local Alibaba Cloud API (ALB, Alidns, ECS) for tests and rehearsals",
		Long: `fakecloud serves the ALB (2020-06-16), Alidns (2015-01-09) and ECS DescribeInstances
(2014-05-26) APIs on one HTTP address, to the real Alibaba Cloud SDKs: signed
requests are verified against the seed's access keys, ALB writes are
asynchronous, errors carry the real codes. Point wsdeploy at it with
--endpoint http://ADDR (or WSDEPLOY_ENDPOINT) and the seed's access key.

Without --seed it serves the built-in demo world (access key fake-ak / fake-secret).`,
		Example: `  wsdeploy fakecloud --addr 127.0.0.1:18080 --seed seed.yaml --request-log calls.jsonl
  export WSDEPLOY_ENDPOINT=http://127.0.0.1:18080 ALIBABA_CLOUD_ACCESS_KEY_ID=fake-ak ALIBABA_CLOUD_ACCESS_KEY_SECRET=fake-secret`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			seed := fakecloud.DemoSeed()
			if opts.seed != "" {
				var err error
				if seed, err = fakecloud.LoadSeed(opts.seed); err != nil {
					return err
				}
			}
			fo := fakecloud.Options{Seed: seed, StatePath: opts.state, AsyncDuration: opts.async}
			if opts.requestLog != "" {
				f, err := os.OpenFile(opts.requestLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
				if err != nil {
					return fmt.Errorf("open request log: %w", err)
				}
				defer f.Close()
				fo.RequestLog = f
			}
			srv, err := fakecloud.New(fo)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", opts.addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", opts.addr, err)
			}
			fmt.Fprintf(g.ios.Out, "fakecloud listening on http://%s\n", ln.Addr())
			if f, ok := g.ios.Out.(interface{ Sync() error }); ok {
				_ = f.Sync()
			}
			printEnvHint(g.ios.Err, ln.Addr().String(), seed)
			return fakecloud.Serve(cmd.Context(), ln, srv)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.addr, "addr", "127.0.0.1:18080", "address to listen on")
	f.StringVar(&opts.seed, "seed", "", "seed file describing the starting world (default: the built-in demo world)")
	f.StringVar(&opts.state, "state", "", "JSON file the world is loaded from and saved to, so it survives restarts")
	f.StringVar(&opts.requestLog, "request-log", "", "append one JSON line per request to this file")
	f.DurationVar(&opts.async, "async-duration", time.Second, "how long ALB objects and jobs stay transitional after a write")
	return cmd
}

func printEnvHint(w io.Writer, addr string, seed *fakecloud.Seed) {
	if len(seed.AccessKeys) == 0 {
		return
	}
	fmt.Fprintf(w, "Point wsdeploy at it with:\n  export WSDEPLOY_ENDPOINT=http://%s ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the seed's secret>\n", addr, seed.AccessKeys[0].ID)
}
