package demo

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdDemo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, o *DemoOptions)
		wantErr string
	}{
		{name: "defaults", check: func(t *testing.T, o *DemoOptions) {
			if o.Backends != 2 || o.Redis != "" || o.ReadyFile != "" || o.Stack.ConfigPath != "wsdeploy.yaml" || o.Stack.ConfigSet || o.Stack.LBSet {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "flags", args: []string{"--backends", "3", "--lb", "clb", "--redis", "redis://127.0.0.1:6379/0", "--ready-file", "r.json", "-f", "s.yaml"},
			check: func(t *testing.T, o *DemoOptions) {
				if o.Backends != 3 || o.Stack.LB != "clb" || !o.Stack.LBSet || o.Redis != "redis://127.0.0.1:6379/0" || o.ReadyFile != "r.json" ||
					o.Stack.ConfigPath != "s.yaml" || !o.Stack.ConfigSet {
					t.Errorf("options %+v", o)
				}
			}},
		{name: "no backend", args: []string{"--backends", "0"}, wantErr: "--backends 0: use 1-10"},
		{name: "too many", args: []string{"--backends", "11"}, wantErr: "--backends 11: use 1-10"},
		{name: "a cloud flag", args: []string{"--endpoint", "http://x"}, wantErr: "unknown flag: --endpoint"},
		{name: "an argument", args: []string{"x"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			var got *DemoOptions
			err := cmdtest.Execute(NewCmdDemo(f, func(o *DemoOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestLookPath(t *testing.T) {
	t.Parallel()
	if lookPath("sh", "/nonexistent:/bin:/usr/bin") == "" {
		t.Error("sh not found on /bin:/usr/bin")
	}
	if got := lookPath("sh", ""); got != "" {
		t.Errorf("found %s on an empty PATH", got)
	}
}
