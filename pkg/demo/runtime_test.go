package demo

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/install"
)

// The demo's stack is the stack with app.deploy added (the rest kept), and
// valid; the Redis URL keeps no password.
func TestDeployStackYAML(t *testing.T) {
	out, err := DeployStackYAML(DemoStackYAML(3), "redis://:pw123@127.0.0.1:6390/0")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "pw123") {
		t.Fatalf("the Redis password is in the stack file:\n%s", out)
	}
	s, err := config.Parse("demo-deploy.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s.ApplyDefaults()
	if err := s.Validate(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	d := s.DeployOf()
	if d == nil || d.Wschat.Version != DemoWschatVersion || d.Redis.URL != "redis://127.0.0.1:6390/0" || len(s.Backends.Servers) != 3 || s.App.PingInterval != "10s" {
		t.Fatalf("stack %+v, deploy %+v", s, d)
	}
}

// The runtime reads the settings wsdeploy's install command carries, and
// gives wschat the demo's own Redis URL (with its password) when the
// command points at the demo's Redis.
func TestRuntimeReadsTheInstallCommand(t *testing.T) {
	c, err := install.WschatInstall(install.Backend{Name: "ECS01", Port: 5000, PingInterval: "7s", AllowedOrigins: []string{"chat.example.com", "o'k.example"},
		Release: install.Release{Version: DemoWschatVersion}, Redis: install.Redis{URL: "redis://127.0.0.1:6390/0"}})
	if err != nil {
		t.Fatal(err)
	}
	set := settings(c.Content)
	if set["BACKEND_NAME"] != "ECS01" || set["APP_PORT"] != "5000" || set["PING_INTERVAL"] != "7s" || set["ALLOWED_ORIGINS"] != "chat.example.com,o'k.example" || set["REDIS_PRIVATE_IP"] != "managed" {
		t.Fatalf("settings %v", set)
	}
	rt := &runtime{redisURL: "redis://:pw123@127.0.0.1:6390/0"}
	got, err := rt.redisFor(fakecloud.RuntimeCommand{Content: c.Content}, set)
	if err != nil || got != rt.redisURL {
		t.Fatalf("redis %q, %v", got, err)
	}
	// A managed Redis elsewhere, its password from OOS.
	c, err = install.WschatInstall(install.Backend{Name: "ECS01", Port: 5000, PingInterval: "7s", Release: install.Release{Version: DemoWschatVersion},
		Redis: install.Redis{URL: "rediss://wschat@r-1.example:6380", Secret: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err = rt.redisFor(fakecloud.RuntimeCommand{Content: c.Content, Secrets: map[string]string{"pw": "s3cret"}}, settings(c.Content))
	if err != nil || got != "rediss://wschat:s3cret@r-1.example:6380/0" {
		t.Fatalf("redis %q, %v", got, err)
	}
	// Redis on an instance is not the demo's.
	c, err = install.WschatInstall(install.Backend{Name: "ECS01", Port: 5000, PingInterval: "7s", Release: install.Release{Version: DemoWschatVersion},
		Redis: install.Redis{Host: "192.168.0.13", Secret: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.redisFor(fakecloud.RuntimeCommand{Content: c.Content}, settings(c.Content)); err == nil || !strings.Contains(err.Error(), "app.deploy.redis.url") {
		t.Fatalf("Redis on an instance: %v", err)
	}
}
