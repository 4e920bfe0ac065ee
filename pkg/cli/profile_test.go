package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileCredentials takes credentials from a profile of the aliyun CLI's
// config file (--profile), with none in the environment.
func TestProfileCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"current": "default", "profiles": [
		{"name": "default", "mode": "AK", "access_key_id": "nobody", "access_key_secret": "nothing", "region_id": "cn-hangzhou"},
		{"name": "ci", "mode": "AK", "access_key_id": "fake-ak", "access_key_secret": "fake-secret", "region_id": "cn-hangzhou"}
	]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e.setenv("ALIBABA_CLOUD_CONFIG_FILE", cfg)
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	// A missing profile is refused before any call. This runs first: a run
	// refused by the cloud (below) returns as soon as one of its concurrent
	// reads fails, and the reads it cancelled may still reach the fake, and
	// enter its request log, after the run has returned.
	if r := e.run("plan", "--profile", "missing"); r.code != 1 || len(r.calls) != 0 || r.stderr != "Error: --profile missing: aliyun CLI config "+cfg+": has no profile \"missing\" (it has: ci, default)\nTo fix: pass --profile with one of: ci, default; or create the profile with `aliyun configure --profile missing`\n" {
		t.Fatalf("plan --profile missing: exit %d, %d calls\n%s", r.code, len(r.calls), r.stderr)
	}
	if r := e.run("plan", "--profile", "ci"); r.code != 0 || !strings.Contains(r.stdout, "Plan: 5 to create") {
		t.Fatalf("plan --profile ci: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The wrong profile's key is refused by the (fake) cloud, with a hint about credentials.
	if r := e.run("plan", "--profile", "default"); r.code != 1 || !strings.Contains(r.stderr, "InvalidAccessKeyId.NotFound") || !strings.Contains(r.stderr, "To fix: check the access key pair") {
		t.Fatalf("plan --profile default: exit %d\n%s", r.code, r.stderr)
	}
}
