package cmdutil_test

import (
	"runtime/debug"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
)

func TestBuildWithBuildInfo(t *testing.T) {
	git := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{
			Main: debug.Module{Path: "github.com/wsdeploy/wsdeploy", Version: "(devel)"},
			Settings: []debug.BuildSetting{
				{Key: "-compiler", Value: "gc"},
				{Key: "vcs", Value: "git"},
				{Key: "vcs.revision", Value: "a27a9e61f7091044545176252fdc3d77f44419b5"},
				{Key: "vcs.time", Value: "2026-11-22T01:21:58Z"},
				{Key: "vcs.modified", Value: modified},
			},
		}
	}
	tests := []struct {
		name    string
		stamped cmdutil.Build
		info    *debug.BuildInfo
		want    cmdutil.Build
	}{
		{
			name: "plain go build in a clean checkout",
			info: git("false"),
			want: cmdutil.Build{Version: "dev", Commit: "a27a9e61f7091044545176252fdc3d77f44419b5", Date: "2026-11-22T01:21:58Z"},
		},
		{
			name: "plain go build with local changes",
			info: git("true"),
			want: cmdutil.Build{Version: "dev", Commit: "a27a9e61f7091044545176252fdc3d77f44419b5-dirty", Date: "2026-11-22T01:21:58Z"},
		},
		{
			name:    "ldflags win over build info",
			stamped: cmdutil.Build{Version: "v1.4.0", Commit: "feedbee", Date: "2026-12-01T00:00:00Z"},
			info:    git("true"),
			want:    cmdutil.Build{Version: "v1.4.0", Commit: "feedbee", Date: "2026-12-01T00:00:00Z"},
		},
		{
			name: "go install module@version",
			info: &debug.BuildInfo{Main: debug.Module{Path: "github.com/wsdeploy/wsdeploy", Version: "v1.3.0"}},
			want: cmdutil.Build{Version: "v1.3.0", Commit: "none", Date: "unknown"},
		},
		{
			name: "go build with VCS stamping (Go 1.24+ pseudo-version)",
			info: func() *debug.BuildInfo {
				bi := git("false")
				bi.Main.Version = "v0.0.0-20261122012158-a27a9e61f709"
				return bi
			}(),
			want: cmdutil.Build{Version: "v0.0.0-20261122012158-a27a9e61f709", Commit: "a27a9e61f7091044545176252fdc3d77f44419b5", Date: "2026-11-22T01:21:58Z"},
		},
		{
			name: "no build info (go run, -buildvcs=false)",
			want: cmdutil.Build{Version: "dev", Commit: "none", Date: "unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.stamped.WithBuildInfo(tt.info); got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
