package version

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdVersion(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	var got *VersionOptions
	if err := cmdtest.Execute(NewCmdVersion(f, func(o *VersionOptions) error { got = o; return nil }), "-o", "json"); err != nil {
		t.Fatal(err)
	}
	if got.Output != "json" || got.Build != f.Build {
		t.Fatalf("options %+v", got)
	}
	if err := cmdtest.Execute(NewCmdVersion(f, nil), "extra"); err == nil {
		t.Fatal("version takes no argument")
	}
	if ios.Out.Len() != 0 {
		t.Fatalf("printed with runF: %q", ios.Out)
	}
}

func TestVersionRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	if err := versionRun(&VersionOptions{IO: f.IOStreams, Build: f.Build, Output: "text"}); err != nil {
		t.Fatal(err)
	}
	if ios.Out.String() != "wsdeploy test (commit abc123, built 2026-11-01)\n" {
		t.Fatalf("text %q", ios.Out)
	}
	ios.Out.Reset()
	if err := versionRun(&VersionOptions{IO: f.IOStreams, Build: f.Build, Output: "json"}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"commit\": \"abc123\",\n  \"date\": \"2026-11-01\",\n  \"version\": \"test\"\n}\n"; ios.Out.String() != want {
		t.Fatalf("json %q", ios.Out)
	}
	if err := versionRun(&VersionOptions{IO: f.IOStreams, Output: "yaml"}); err == nil || !strings.Contains(err.Error(), "use text or json") {
		t.Fatalf("-o yaml: %v", err)
	}
}
