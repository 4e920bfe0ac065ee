package fakecloud

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdFakecloud(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		want     func(o *FakecloudOptions) bool
		wantErr  string
		wantHint string
	}{
		{name: "defaults", want: func(o *FakecloudOptions) bool {
			return o.Addr == "127.0.0.1:18080" && o.Async == time.Second && o.Seed == "" && !o.FaultSeedSet && o.Latency == 0 &&
				o.Profile == fakecloud.ProfileFast && o.TimeScale == 1 && o.DataPlane
		}},
		{name: "realistic", args: []string{"--profile", "realistic", "--time-scale", "0.05", "--fault-seed", "7"}, want: func(o *FakecloudOptions) bool {
			return o.Profile == fakecloud.ProfileRealistic && o.TimeScale == 0.05 && o.FaultSeed == 7
		}},
		{name: "unknown profile", args: []string{"--profile", "slow"}, wantErr: `--profile slow: unknown profile "slow" (want one of fast, realistic)`},
		{name: "async duration with realistic", args: []string{"--profile", "realistic", "--async-duration", "2s"},
			wantErr: "--async-duration 2s does not apply to --profile realistic", wantHint: "--time-scale"},
		{name: "realistic drops the default async duration", args: []string{"--profile", "realistic"}, want: func(o *FakecloudOptions) bool {
			return o.Profile == fakecloud.ProfileRealistic && o.Async == 0
		}},
		{name: "zero time scale", args: []string{"--profile", "realistic", "--time-scale", "0"}, wantErr: "--time-scale 0 must be more than 0"},
		{name: "flags", args: []string{"--addr", "127.0.0.1:0", "--seed", "s.yaml", "--state", "st.json", "--request-log", "c.jsonl",
			"--async-duration", "30ms", "--faults", "f.yaml", "--fault-seed", "0", "--latency", "5ms", "--latency-jitter", "2ms", "--data-plane=false"},
			want: func(o *FakecloudOptions) bool {
				return o.Addr == "127.0.0.1:0" && o.Seed == "s.yaml" && o.State == "st.json" && o.RequestLog == "c.jsonl" && o.Async == 30*time.Millisecond &&
					o.Faults == "f.yaml" && o.FaultSeed == 0 && o.FaultSeedSet && o.Latency == 5*time.Millisecond && o.Jitter == 2*time.Millisecond && !o.DataPlane
			}},
		{name: "negative latency", args: []string{"--latency", "-1s"}, wantErr: "--latency -1s and --latency-jitter 0s must not be negative"},
		{name: "a cloud flag", args: []string{"--endpoint", "http://x"}, wantErr: "unknown flag: --endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			var got *FakecloudOptions
			err := cmdtest.Execute(NewCmdFakecloud(f, func(o *FakecloudOptions) error { got = o; return nil }), tt.args...)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || got != nil {
					t.Fatalf("error %v, want %q before running", err, tt.wantErr)
				}
				var h cmdutil.Hinter
				if tt.wantHint != "" && (!errors.As(err, &h) || !strings.Contains(h.Hint(), tt.wantHint)) {
					t.Fatalf("error %v: no hint with %q", err, tt.wantHint)
				}
			case err != nil:
				t.Fatal(err)
			case !tt.want(got):
				t.Fatalf("options %+v", got)
			}
		})
	}
}

// The line that points wsdeploy at the fake prints the built-in world's
// public secret, and only the file name for a key of a seed file.
func TestEnvHint(t *testing.T) {
	t.Parallel()
	demo := fakecloud.DemoSeed()
	k, secret, ok := envHint(demo.AccessKeys, demo, &FakecloudOptions{})
	if !ok || k.ID != "fake-ak" || secret != "fake-secret" {
		t.Fatalf("built-in world: %v %q %v", k, secret, ok)
	}
	mine := &fakecloud.Seed{AccessKeys: []fakecloud.Key{{ID: "my-ak", Secret: "s3cret"}}}
	if _, secret, _ := envHint(mine.AccessKeys, mine, &FakecloudOptions{Seed: "my-seed.yaml"}); secret != "<the secret of my-ak in my-seed.yaml>" {
		t.Fatalf("seed file: %q", secret)
	}
	if _, secret, _ := envHint(demo.AccessKeys, demo, &FakecloudOptions{Seed: "copy-of-demo.yaml"}); secret != "<the secret of fake-ak in copy-of-demo.yaml>" {
		t.Fatalf("a seed file with the demo key: %q", secret)
	}
	if _, _, ok := envHint(nil, demo, &FakecloudOptions{}); ok {
		t.Fatal("a world with no key has no hint")
	}
}
